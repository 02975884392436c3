import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitToFit, weightedUnitMean } from '../chunks';

const byWords = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('splitToFit', () => {
  it('keeps a text that fits whole, and cuts a long one between words into pieces that fit and join back to it', () => {
    assert.deepEqual(splitToFit('one two three', byWords, 3), ['one two three']);
    const text = Array.from({ length: 103 }, (_, i) => `w${i}`).join(' ') + '\n';
    const pieces = splitToFit(text, byWords, 10);
    assert.equal(pieces.join(''), text);
    assert.ok(pieces.every((p) => byWords(p) <= 10 && byWords(p) > 0), JSON.stringify(pieces.map(byWords)));
    assert.ok(pieces.length >= 11 && pieces.length <= 13, `about as few pieces as fit: ${pieces.length}`);
  });

  it('cuts an unbroken string by characters', () => {
    const blob = 'x'.repeat(1000);
    const pieces = splitToFit(blob, (s) => s.length, 64);
    assert.equal(pieces.join(''), blob);
    assert.ok(pieces.every((p) => p.length <= 64));
  });
});

describe('weightedUnitMean', () => {
  it('is the unit vector along the length-weighted sum', () => {
    const v = weightedUnitMean([Float32Array.from([1, 0]), Float32Array.from([0, 1])], [3, 1]);
    assert.ok(Math.abs(v[0]! - 3 / Math.hypot(3, 1)) < 1e-6 && Math.abs(v[1]! - 1 / Math.hypot(3, 1)) < 1e-6);
    assert.throws(() => weightedUnitMean([Float32Array.from([1, 0]), Float32Array.from([-1, 0])], [1, 1]), /zero/);
    assert.throws(() => weightedUnitMean([], []), /0 vectors/);
  });
});
