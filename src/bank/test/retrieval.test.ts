import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { cosineAll, topIndices } from '..';
import { benchmarkRetrieval, randomUnitVectors } from '../../bench/retrievalBench';
import { cosine, prng, tempDir } from '../../../test/fixtures/bankData';

const { dir: root, cleanup } = tempDir();
after(cleanup);

describe('retrieval', () => {
  it('topIndices equals a full stable sort, ties in bank order, for every n', () => {
    const rand = prng(21);
    const scores = Float32Array.from({ length: 200 }, () => Math.round(rand() * 20) / 20);
    const sorted = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    for (const n of [0, 1, 7, 50, 199, 200, 500]) assert.deepEqual(topIndices(scores, n), sorted.slice(0, n), `n = ${n}`);
  });

  it('cosineAll matches double-precision cosine for any non-zero query and rejects a zero query', () => {
    const dim = 13;
    const vectors = randomUnitVectors(40, dim, 5);
    const query = Float32Array.from({ length: dim }, (_, k) => (k % 3) - 1.5);
    const sims = cosineAll(vectors, 40, dim, query);
    for (let i = 0; i < 40; i++) assert.ok(Math.abs(sims[i]! - cosine(vectors.subarray(i * dim, (i + 1) * dim), query)) < 1e-6);
    assert.throws(() => cosineAll(vectors, 40, dim, new Float32Array(dim)), /non-zero/);
  });

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
