import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as path from 'node:path';
import { LocalBank } from '../..';
import type { BankRecord } from '../../../core/contracts/types';
import { copyBank, type CopyProgress } from '../copyBank';
import { tempDir } from '../../../../test/fixtures/bankData';

const EMBEDDER = { id: 'test:copy-3', dimension: 3 };
const { dir: root, cleanup } = tempDir('smcs-copy-');
after(cleanup);
let n = 0;
const fresh = () => LocalBank.open(path.join(root, `b-${n++}`), { embedder: EMBEDDER, create: true, write: true });
const q = (id: string, question: string, correct: Record<string, 0 | 1> = {}) => ({ id, question, correct, embedding: [1, id.length, 0] });
const dump = (bank: LocalBank) => [...bank.records()].map((r: BankRecord) => [r.id, r.question, r.correct ?? {}]);

describe('copyBank: one bank into another, deduplicated by id and text, labels merged', () => {
  it('adds what the target lacks, skips questions it holds by id or text, merges their labels and counts each', async () => {
    const local = await fresh();
    const team = await fresh();
    try {
      await local.commit({ add: [q('l-1', 'Only local', { m1: 1 }), q('shared-id', 'Local wording', { m1: 0, m2: 1 }), q('l-3', 'Same text', { m1: 1 }), q('l-4', 'Agreeing', { m1: 1 })] });
      await team.commit({ add: [q('shared-id', 'Team wording', { m1: 1, m3: 0 }), q('t-7', 'Same text', { m3: 1 }), q('t-8', 'Agreeing', { m1: 1 }), q('t-9', 'Only team')] });
      const phases: string[] = [];
      const result = await copyBank(local, team, { batch: Number.POSITIVE_INFINITY, onProgress: (p: CopyProgress) => phases.push(p.phase) });
      assert.deepEqual(
        { copied: result.copied, skipped: result.skipped, total: result.total, labelsMerged: result.labelsMerged, labelsUpdated: result.labelsUpdated },
        { copied: 1, skipped: 3, total: 4, labelsMerged: 2, labelsUpdated: 3 },
      );
      assert.deepEqual(dump(team), [
        ['shared-id', 'Team wording', { m1: 0, m3: 0, m2: 1 }],
        ['t-7', 'Same text', { m3: 1, m1: 1 }],
        ['t-8', 'Agreeing', { m1: 1 }],
        ['t-9', 'Only team', {}],
        ['l-1', 'Only local', { m1: 1 }],
      ]);
      assert.deepEqual([...new Set(phases)], ['write', 'committed'], 'one commit for the whole copy');
      const again = await copyBank(local, team, { batch: Number.POSITIVE_INFINITY });
      assert.deepEqual([again.copied, again.skipped, again.labelsMerged], [0, 4, 0], 'copying again changes nothing');
    } finally {
      await local.close();
      await team.close();
    }
  });

  it('in one commit, a cancel before the write leaves the target as it was; in batches, a second copy goes on where the first stopped', async () => {
    const local = await fresh();
    const team = await fresh();
    try {
      await local.commit({ add: Array.from({ length: 6 }, (_, i) => q(`l-${i}`, `Question ${i}`, { m: (i % 2) as 0 | 1 })) });
      await team.commit({ add: [q('t-0', 'Team question')] });
      const abort = new AbortController();
      const cancelled = copyBank(local, team, { batch: Number.POSITIVE_INFINITY, signal: abort.signal, onProgress: (p) => p.phase === 'write' && abort.abort() });
      await assert.rejects(cancelled, /copy cancelled, nothing was written/);
      assert.deepEqual(dump(team).map((r) => r[0]), ['t-0']);

      const stopping = new AbortController();
      await assert.rejects(
        copyBank(local, team, { batch: 2, signal: stopping.signal, onProgress: (p) => p.phase === 'committed' && p.copied === 4 && stopping.abort() }),
        /copy cancelled after 4 of 6 questions: those are in .*, and copying again goes on from there/,
      );
      assert.equal(await team.count(), 5);
      const rest = await copyBank(local, team, { batch: 2 });
      assert.deepEqual([rest.copied, rest.skipped], [2, 4]);
      assert.equal(await team.count(), 7);
    } finally {
      await local.close();
      await team.close();
    }
  });
});
