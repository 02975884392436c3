import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describePostgres } from '../../../test/fixtures/postgres';
import { tempDir } from '../../../test/fixtures/bankData';
import { formatStoreTable } from '../../cli/commands/bench';
import { benchmarkStores } from '../storeBench';

const { dir, cleanup } = tempDir('smcs-store-bench-');
after(cleanup);

describePostgres('the store benchmark', (server) => {
  it('measures the team bank by exact scans and by its index, heads each row with the path the store takes at that size, and puts the local store beside it', async () => {
    const db = await server().createDatabase();
    const saved = process.env.PGPASSWORD;
    process.env.PGPASSWORD = db.owner.password;
    try {
      const rows = await benchmarkStores({ sizes: [600, 1200], localSizes: [600], dim: 16, pgUrl: db.owner.url, dir, queries: 4, indexFrom: 1000 });
      assert.deepEqual(rows.map((r) => [r.store, r.size, r.search]), [['local', 600, 'exact'], ['postgres', 600, 'exact'], ['postgres', 1200, 'ivfflat']]);
      const [local, small, large] = rows as [(typeof rows)[number], (typeof rows)[number], (typeof rows)[number]];
      assert.equal(local.index, undefined, 'the local store has no index');
      assert.equal(local.supportRecall, 1);
      for (const row of [small, large]) {
        assert.ok(row.index, 'both paths are measured at every size');
        assert.ok(row.exact.supportRecall > 0.99 && row.exact.topKAgreement === 1, `${row.size}: the exact scan gives the exact support set (${row.exact.supportRecall})`);
        assert.ok(row.indexMs > 0 && row.importPerS > 0 && row.diskBytesPerQuestion > 0);
        assert.ok(row.supportSize >= 400, `the support set holds at least nBase questions (${row.supportSize})`);
      }
      assert.deepEqual([small.p50Ms, small.supportRecall], [small.exact.p50Ms, small.exact.supportRecall], 'below the threshold the headline is the exact scan');
      assert.deepEqual([large.p50Ms, large.supportRecall], [large.index?.p50Ms, large.index?.supportRecall], 'from the threshold the headline is the index');
      const table = formatStoreTable(rows).split('\n');
      assert.equal(table.length, 4);
      assert.match(table[3] ?? '', /^postgres\s+1200\s+16\s+\d+\s+\d+ ivfflat /);
      assert.match(table[1] ?? '', /^local\s+600 .* – +– +– /);
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  });
});
