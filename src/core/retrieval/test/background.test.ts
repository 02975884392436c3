import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backgroundFrequency } from '../background';
import { BACKGROUND_TERMS } from '../backgroundTerms';
import { hash, termsIn } from '../terms';

/** A word's share of prose paragraphs and of source files, looked up by its term's id as the ranking looks terms up. */
const share = (word: string) => backgroundFrequency(hash(termsIn(word)[0] ?? word));

/** The shipped table read independently of background.ts, with Node's own hexadecimal decoding. */
function shippedTable(): { ids: number[]; code: number[]; prose: number[] } {
  const bytes = Buffer.from(BACKGROUND_TERMS.table, 'hex');
  const n = bytes.length / 8;
  const column = (read: (i: number) => number) => Array.from({ length: n }, (_, i) => read(i));
  return {
    ids: column((i) => bytes.readUInt32LE(i * 4)),
    code: column((i) => bytes.readUInt16LE(n * 4 + i * 2)),
    prose: column((i) => bytes.readUInt16LE(n * 6 + i * 2)),
  };
}

test('the words of ordinary prose are common in prose; "the" is in most paragraphs', () => {
  assert.ok(share('the').prose > 0.6, `the: ${share('the').prose}`);
  assert.ok(share('which').prose > 0.1);
  for (const word of ['capital', 'history']) {
    const s = share(word);
    assert.ok(s.prose > 0.004 && s.prose > s.code, `${word}: prose ${s.prose}, code ${s.code}`);
  }
});

test('the words of code are common in code and far rarer in prose', () => {
  for (const word of ['return', 'function', 'import', 'self', 'err']) {
    const s = share(word);
    assert.ok(s.code > 0.1 && s.code > 5 * s.prose, `${word}: code ${s.code}, prose ${s.prose}`);
  }
});

test('a made-up term is rare but not impossible; a specialist word is far rarer in prose than "the"', () => {
  const unseen = share('zqxwvjkplorbnt');
  assert.ok(unseen.code > 0 && unseen.code < 1e-4 && unseen.prose > 0 && unseen.prose < 1e-4, JSON.stringify(unseen));
  for (const word of ['wildcard', 'middleware', 'graphemes']) {
    assert.ok(share(word).prose < share('the').prose / 100, `${word}: ${share(word).prose}`);
  }
});

test('the table: ascending ids, counts within their parts, decoded by background.ts as written', () => {
  const { ids, code, prose } = shippedTable();
  assert.ok(ids.length > 10_000);
  for (let i = 1; i < ids.length; i++) assert.ok((ids[i] as number) > (ids[i - 1] as number), `ids ascend at ${i}`);
  assert.ok(code.every((n) => n <= BACKGROUND_TERMS.codeDocuments) && prose.every((n) => n <= BACKGROUND_TERMS.proseDocuments));
  for (let i = 0; i < ids.length; i += 997) {
    const s = backgroundFrequency(ids[i] as number);
    assert.deepEqual(s, backgroundFrequency(ids[i] as number));
    assert.equal(Math.round(s.code * (BACKGROUND_TERMS.codeDocuments + 2)) - 1, code[i]);
    assert.equal(Math.round(s.prose * (BACKGROUND_TERMS.proseDocuments + 2)) - 1, prose[i]);
  }
});

test('lookups are fast enough for every distinct term of a workspace', () => {
  backgroundFrequency(0);
  const started = performance.now();
  for (let i = 0; i < 100_000; i++) backgroundFrequency(Math.imul(i, 2654435761) >>> 0);
  const ms = performance.now() - started;
  assert.ok(ms < 250, `100,000 lookups took ${ms.toFixed(0)} ms`);
});
