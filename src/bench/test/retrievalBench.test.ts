import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { benchmarkRetrieval } from '../retrievalBench';
import { tempDir } from '../../../test/fixtures/bankData';

const { dir: root, cleanup } = tempDir('smcs-retrieval-bench-');
after(cleanup);

describe('retrieval benchmark', () => {
  it('benchmarkRetrieval builds each bank once, then reports open and query times next to a plain scan', async () => {
    const rows = await benchmarkRetrieval([50, 300], 16, root, { queries: 3, topN: 10 });
    assert.deepEqual(rows.map((r) => [r.size, r.dim]), [[50, 16], [300, 16]]);
    for (const r of rows) for (const v of [r.openMs, r.p50Ms, r.p95Ms, r.scanP50Ms, r.cpuP50Ms]) assert.ok(Number.isFinite(v) && v >= 0);
    const manifest = path.join(root, 'bench-300x16', 'manifest.json');
    const before = statSync(manifest).mtimeMs;
    await benchmarkRetrieval([300], 16, root, { queries: 1 });
    assert.equal(statSync(manifest).mtimeMs, before, 'an existing benchmark bank is reused');
    assert.deepEqual(readdirSync(root).sort(), ['bench-300x16', 'bench-50x16']);
  });
});
