import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGE_TERMS } from '../languageTerms';
import { languageShare } from '../languageBackground';
import { LANGUAGE_NAMES, LANGUAGES } from '../languages';
import { backgroundFrequency } from '../background';
import { hash, termsIn } from '../terms';

test('every language of the background has its files counted, its ids ascending, each share above the pooled one', () => {
  for (const language of LANGUAGES) {
    const { documents, table } = LANGUAGE_TERMS[language];
    assert.ok(documents >= 300, `${language}: ${documents} files`);
    const n = table.length / 12;
    assert.ok(Number.isInteger(n) && n > 500, `${language}: ${n} terms`);
    const ids = Array.from({ length: n }, (_, i) => Buffer.from(table.slice(8 * i, 8 * i + 8), 'hex').readUInt32LE(0));
    assert.ok(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number)), `${language}: ids ascending`);
    for (const id of ids.slice(0, 50)) assert.ok(languageShare(id, language) > backgroundFrequency(id).code, `${language}: kept only above the pooled share`);
  }
});

test("a language's own names are in all of its files; a word its code seldom holds is not kept", () => {
  for (const language of LANGUAGES) for (const name of LANGUAGE_NAMES[language]) assert.equal(languageShare(hash(termsIn(name)[0] ?? name), language), 1, `${name} in ${language}`);
  assert.ok(languageShare(hash('struct'), 'go') > 0.3, 'struct is in most Go files');
  assert.equal(languageShare(hash('wildcard'), 'go'), 0);
});
