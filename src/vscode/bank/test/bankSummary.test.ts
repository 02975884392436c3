import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalBank, bankStats } from '../../../bank';
import { isHostToWebview, type BankPanelState } from '../../../presentation/protocol';
import { BankSummaryService, bankPanelState, type BankStatsInput, buildBankSummary, configuredModelKeys, lossKey, lossMessage, oneLine, restoreLine, skipCounts, firstModelsView } from '../bankSummary';
import { tempDir } from '../../../../test/fixtures/bankData';

const { dir: root, cleanup } = tempDir();
after(cleanup);

const embedder = { id: 'test:unit-3', dimension: 3 };
const vec = (i: number): number[] => [1, (i % 5) / 10, (i % 7) / 10];

/** A real bank: 6 questions over two domains and one without; alpha labelled on 5, beta on 3, gamma on none. */
async function sampleStats() {
  const bank = await LocalBank.open(path.join(root, 'bank'), { embedder, create: true, write: true });
  const rows: { domain?: string; alpha?: 0 | 1; beta?: 0 | 1 }[] = [
    { domain: 'math', alpha: 1, beta: 0 },
    { domain: 'math', alpha: 1, beta: 1 },
    { domain: 'math', alpha: 0 },
    { domain: 'cs', alpha: 1, beta: 1 },
    { domain: 'cs' },
    { alpha: 0 },
  ];
  await bank.add(
    rows.map((r, i) => {
      const correct: Record<string, 0 | 1> = {};
      if (r.alpha !== undefined) correct.alpha = r.alpha;
      if (r.beta !== undefined) correct.beta = r.beta;
      return { id: `q-${i}`, question: `question ${i}`, ...(r.domain ? { domain: r.domain } : {}), correct, embedding: vec(i) };
    }),
  );
  const stats = bankStats(bank);
  await bank.close();
  return stats;
}

describe('bank summary builder', () => {
  it('turns real bank statistics into the panel summary: ranked by what the labels support, domains sorted, unprofiled configured models listed', async () => {
    const stats = await sampleStats();
    const summary = buildBankSummary(stats, ['alpha', 'gamma', 'beta'], embedder.id);
    assert.equal(summary.size, 6);
    assert.equal(summary.embedder, embedder.id);
    assert.equal(summary.settingsEmbedder, undefined, 'same embedder: no mismatch reported');
    // Both have few labels; 3 of 5 supports more (Wilson lower bound 0.27) than 2 of 3 (0.25), though 2/3 > 3/5.
    assert.deepEqual(summary.models.map((m) => [m.model, m.fewLabels, Number(m.lowerBound.toFixed(2))]), [['alpha', true, 0.27], ['beta', true, 0.25]]);
    const [alpha, beta] = summary.models;
    assert.ok(beta && alpha);
    assert.equal(alpha.labelled, 5);
    assert.ok(Math.abs(alpha.accuracy - 3 / 5) < 1e-12);
    assert.deepEqual(
      alpha.byDomain.map((d) => [d.domain, d.labelled, Number(d.accuracy.toFixed(4))]),
      [['(none)', 1, 0], ['cs', 1, 1], ['math', 3, 0.6667]],
    );
    assert.deepEqual(beta.byDomain.map((d) => d.domain), ['cs', 'math']);
    assert.equal(beta.configured, true);
    assert.deepEqual(summary.unprofiled, ['gamma']);
    assert.equal(isHostToWebview({ type: 'bank-summary', bank: { status: 'ready', summary } }), true, 'the summary passes the webview-side validation');
  });

  it('marks models that are not in the settings and reports an embedder mismatch', () => {
    const stats: BankStatsInput = {
      size: 2,
      embedder: { id: 'lexical:1:256' },
      models: [
        { model: 'old-model', labelled: 2, accuracy: 0.5, byDomain: { cs: { labelled: 2, accuracy: 0.5 } } },
        { model: 'zero', labelled: 0, accuracy: 0, byDomain: {} },
      ],
    };
    const summary = buildBankSummary(stats, ['new-model'], 'transformers:Xenova/all-MiniLM-L6-v2');
    assert.deepEqual(summary.models.map((m) => [m.model, m.configured]), [['old-model', false]], 'models without labels are left out');
    assert.deepEqual(summary.unprofiled, ['new-model']);
    assert.equal(summary.settingsEmbedder, 'transformers:Xenova/all-MiniLM-L6-v2');
  });

  it('shows no bank and an empty bank alike, listing the configured models to profile', () => {
    assert.deepEqual(bankPanelState(null, ['a', 'b']), { status: 'none', unprofiled: ['a', 'b'] });
    assert.deepEqual(bankPanelState({ size: 0, embedder: { id: 'x' }, models: [] }, ['a']), { status: 'none', unprofiled: ['a'] });
    assert.equal(bankPanelState({ size: 1, embedder: { id: 'x' }, models: [] }, []).status, 'ready');
  });

  it('takes configured model keys from the settings: alias first, duplicates once, discovered endpoints add none', () => {
    const keys = configuredModelKeys({
      endpoints: [
        { id: 'a', provider: 'vllm', baseUrl: 'http://127.0.0.1:1/v1', models: [{ id: 'org/m1', alias: 'm1' }, { id: 'm2' }] },
        { id: 'b', provider: 'vllm', baseUrl: 'http://127.0.0.1:2/v1' },
        { id: 'c', provider: 'vllm', baseUrl: 'http://127.0.0.1:3/v1', models: [{ id: 'm2' }, { id: 'm3' }] },
      ],
    } as Parameters<typeof configuredModelKeys>[0]);
    assert.deepEqual(keys, ['m1', 'm2', 'm3']);
  });

  it('says which models answer without a bank: the first K of the settings, named unless an endpoint discovers its models', () => {
    const endpoint = (id: string, models?: string[]) => ({ id, provider: 'vllm', baseUrl: 'http://127.0.0.1:1/v1', headers: {}, maxConcurrency: 4, timeoutMs: 1000, ...(models ? { models: models.map((m) => ({ id: m })) } : {}) }) as Parameters<typeof firstModelsView>[0]['endpoints'][number];
    assert.deepEqual(firstModelsView({ k: 3, endpoints: [endpoint('a', ['zeta', 'mike']), endpoint('b', ['alpha', 'bravo'])] }), { k: 3, models: ['zeta', 'mike', 'alpha'], discovered: false });
    assert.deepEqual(firstModelsView({ k: 3, endpoints: [endpoint('a', ['zeta']), endpoint('b')] }), { k: 3, models: [], discovered: true });
  });

  it('cuts an error to one line for the chip', () => {
    assert.equal(oneLine(new Error('bank unreadable\nstack line')), 'bank unreadable');
    assert.equal(oneLine('x'.repeat(500)).length, 200);
  });
});

describe('bank summary service', () => {
  /** A loader whose calls the test resolves by hand. */
  function manualLoader() {
    const calls: { resolve: (s: BankPanelState) => void; reject: (e: Error) => void }[] = [];
    const load = () => new Promise<BankPanelState>((resolve, reject) => calls.push({ resolve, reject }));
    return { calls, load };
  }
  const until = async (probe: () => boolean) => {
    for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 1));
    assert.ok(probe(), 'condition not reached');
  };

  it('reads nothing until a panel asks, then publishes loading and the loaded state', async () => {
    const { calls, load } = manualLoader();
    const service = new BankSummaryService({ load, logError: () => undefined });
    const seen: string[] = [];
    service.onDidChange((s) => seen.push(s.status));
    await service.refreshIfLoaded();
    assert.equal(calls.length, 0, 'a bank change before any panel asked reads nothing');
    service.ensure();
    service.ensure();
    assert.deepEqual(seen, ['loading']);
    await until(() => calls.length === 1);
    calls[0]!.resolve({ status: 'none', unprofiled: ['m'] });
    await until(() => seen.length === 2);
    assert.deepEqual(seen, ['loading', 'none']);
    assert.deepEqual(service.current, { status: 'none', unprofiled: ['m'] });
    service.ensure();
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(calls.length, 1, 'ensure after a load reads nothing again');
  });

  it('coalesces refreshes during a load into one more load, and each caller sees a state loaded after its call', async () => {
    const { calls, load } = manualLoader();
    const service = new BankSummaryService({ load, logError: () => undefined });
    const first = service.refresh();
    await until(() => calls.length === 1);
    let secondDone = false;
    const second = service.refresh().then(() => (secondDone = true));
    const third = service.refresh();
    calls[0]!.resolve({ status: 'none', unprofiled: [] });
    await first;
    assert.equal(secondDone, false, 'a refresh asked during a load waits for the next load');
    await until(() => calls.length === 2);
    const ready: BankPanelState = { status: 'ready', summary: { size: 1, embedder: 'e', models: [], unprofiled: [] } };
    calls[1]!.resolve(ready);
    await Promise.all([second, third]);
    assert.equal(calls.length, 2, 'two refreshes during one load cost one more load');
    assert.deepEqual(service.current, ready);
  });

  it('turns a load failure into a one-line error state and logs the full message', async () => {
    const logged: string[] = [];
    const service = new BankSummaryService({
      load: async () => {
        throw new Error('the question bank at /x cannot be read (manifest.json: checksum mismatch)\nmore detail');
      },
      logError: (m) => logged.push(m),
    });
    await service.refresh();
    assert.deepEqual(service.current, { status: 'error', message: 'the question bank at /x cannot be read (manifest.json: checksum mismatch)' });
    assert.match(logged[0]!, /more detail/);
  });
});

describe('the Bank section while a team bank is in use', () => {
  const banks = { team: 'db.example:5432/smcs', local: { location: '/home/ann/bank', size: 12413 } };

  it('shows the team bank and the local bank beside it in every state, also when the team bank cannot be read', async () => {
    const ready: BankPanelState = { status: 'ready', summary: { size: 12623, embedder: 'e', models: [], unprofiled: [] } };
    let next: () => Promise<BankPanelState> = async () => ready;
    const service = new BankSummaryService({ load: () => next(), choice: async () => banks, logError: () => undefined });
    await service.refresh();
    assert.deepEqual(service.current, { ...ready, banks });
    next = async () => {
      throw new Error('team bank db.example:5432/smcs: the connection broke');
    };
    await service.refresh();
    assert.deepEqual(service.current, { status: 'error', message: 'team bank db.example:5432/smcs: the connection broke', banks });
  });

  it('offers Set Password (remedy "password") when the team bank’s password is missing or refused, and only then', async () => {
    const missing = Object.assign(new Error('team bank db:5432/smcs: the server asks smcs_owner for a password and none is set'), { name: 'BankUnavailableError', kind: 'auth', remedy: 'password' });
    const tls = Object.assign(new Error('team bank db:5432/smcs: the server accepts smcs_owner only over TLS'), { name: 'BankUnavailableError', kind: 'auth' });
    for (const [err, remedy] of [[missing, 'password'], [tls, undefined]] as const) {
      const service = new BankSummaryService({
        load: async () => {
          throw err;
        },
        logError: () => undefined,
      });
      await service.refresh();
      assert.equal(service.current?.status === 'error' ? service.current.remedy : 'not an error', remedy);
    }
  });

  it('logs and leaves out the local bank when it cannot be read, keeping the team bank’s state', async () => {
    const logged: string[] = [];
    const service = new BankSummaryService({
      load: async () => ({ status: 'none', unprofiled: [] }),
      choice: async () => {
        throw new Error('the bank location /x is a file, not a folder');
      },
      logError: (m) => logged.push(m),
    });
    await service.refresh();
    assert.deepEqual(service.current, { status: 'none', unprofiled: [] });
    assert.match(logged[0] ?? '', /the local bank: the bank location \/x is a file/);
  });

  it('adds the team usage lines beside the bank, whatever its state; none when no endpoint is a team server', async () => {
    const lines = [{ endpoint: 'team', text: 'Team key alice: $3.20 of $10.00 this week · resets Mon', problem: false }];
    let usage = lines;
    const service = new BankSummaryService({ load: async () => ({ status: 'none', unprofiled: [] }), teamUsage: async () => usage, logError: () => undefined });
    await service.refresh();
    assert.deepEqual(service.current, { status: 'none', unprofiled: [], teamUsage: lines });
    usage = [];
    await service.refresh();
    assert.deepEqual(service.current, { status: 'none', unprofiled: [] });
  });
});

describe('import and recovery notices', () => {
  it('counts skipped records per reason, most first', () => {
    const skipped = [...Array(43).fill({ reason: 'not-a-record' }), { reason: 'bad-options' }, { reason: 'bad-options' }, { reason: 'bad-json' }];
    assert.equal(skipCounts(skipped), '43 not-a-record, 2 bad-options, 1 bad-json');
  });

  it('names each loss with what to do, and tells a new loss from one already shown', async () => {
    const dir = path.join(root, 'lost');
    const bank = await LocalBank.open(dir, { embedder: { id: 'test:notice', dimension: 3 }, create: true, write: true });
    await bank.add([{ id: 'a', question: 'A?', embedding: [1, 0, 0] }]);
    await bank.add([{ id: 'b', question: 'B?', embedding: [0, 1, 0] }]);
    await bank.close();
    writeFileSync(path.join(dir, 'manifest.json'), '{');
    const reader = await LocalBank.open(dir, { embedder: { id: 'test:notice', dimension: 3 } });
    const lost = reader.recovery?.lost ?? [];
    await reader.close();
    assert.match(lossMessage(lost), /^SMCS: the question bank could not load all its data: generation 2 \(2 questions, 1 question of them and its labels\) could not be loaded .* Recover puts back what can be read; Discard deletes it\.$/);
    const writer = await LocalBank.open(dir, { embedder: { id: 'test:notice', dimension: 3 }, write: true });
    const setAside = writer.recovery?.lost ?? [];
    await writer.close();
    assert.notEqual(lossKey(setAside), lossKey(lost), 'set aside after being found in place: announced again');
    assert.equal(lossKey(setAside), lossKey([...setAside]));
    assert.equal(restoreLine({ generation: 2, questions: 1, labels: 0, unrestorable: ['shards/s0000.g2 (no readable copy)'] }), 'restored generation 2: 1 question and 0 labels; could not restore shards/s0000.g2 (no readable copy)');
  });
});
