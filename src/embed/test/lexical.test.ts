import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_LEXICAL_DIMENSION,
  LexicalEmbedder,
  lexicalFeatures,
  tokenizeForLexical,
} from '../lexical';
import { dot, isUnit, l2Norm, normaliseInPlace } from '../../core/util/vectorMath';

const texts = {
  sortPy: 'How do I sort a list of dictionaries by a key in Python?',
  sortKey: 'Sorting a Python list of dicts by the value of one key',
  http: 'Why does my HTTP server return 502 when the upstream socket closes?',
  camel: 'call getUserName() on the account',
  spaced: 'read the user name of the account',
};

describe('vectorMath', () => {
  it('computes dot products and norms', () => {
    assert.equal(dot([1, 2, 3], [4, -5, 6]), 12);
    assert.equal(l2Norm([3, 4]), 5);
    assert.throws(() => dot([1], [1, 2]), /lengths differ \(1 vs 2\)/);
  });

  it('normalises in place and leaves a zero vector alone', () => {
    const v = new Float32Array([3, 0, 4]);
    assert.equal(normaliseInPlace(v), 5);
    assert.deepEqual(Array.from(v), [0.6000000238418579, 0, 0.800000011920929]);
    assert.ok(isUnit(v));
    const zero = new Float32Array(3);
    assert.equal(normaliseInPlace(zero), 0);
    assert.deepEqual(Array.from(zero), [0, 0, 0]);
    assert.equal(isUnit(zero), false);
  });
});

describe('tokenizeForLexical', () => {
  it('splits camelCase, acronyms, digits and snake_case, keeping the whole identifier', () => {
    const tokens = tokenizeForLexical('parseHTTPResponse2 my_snake_case');
    assert.deepEqual(
      tokens.map((t) => `${t.kind}:${t.text}`),
      [
        'word:parse',
        'word:http',
        'word:response',
        'word:2',
        'identifier:parsehttpresponse2',
        'stopword:my',
        'word:snake',
        'word:case',
        'identifier:my_snake_case',
      ],
    );
  });

  it('keeps operator runs whole and drops brackets and punctuation', () => {
    const tokens = tokenizeForLexical('(a, b) => a !== b && c::d;');
    assert.deepEqual(
      tokens.filter((t) => t.kind === 'operator').map((t) => t.text),
      ['=>', '!==', '&&', '::'],
    );
    assert.ok(!tokens.some((t) => /[(),;]/.test(t.text)));
  });

  it('applies the light plural rule without mangling class/status/this', () => {
    const words = tokenizeForLexical('entries lists class status this').map((t) => t.text);
    assert.deepEqual(words, ['entry', 'list', 'class', 'status', 'this']);
  });
});

describe('lexicalFeatures', () => {
  it('uses sublinear term frequency and bigrams of consecutive content words', () => {
    const once = lexicalFeatures('cache');
    const thrice = lexicalFeatures('cache cache cache');
    assert.equal(once.get('w:cache'), 1);
    assert.ok(Math.abs((thrice.get('w:cache') ?? 0) - (1 + Math.log(3))) < 1e-12);
    const withStop = lexicalFeatures('sort the list');
    assert.ok(withStop.has('b:sort list'), 'bigram skips the stop word');
    assert.ok((withStop.get('w:the') ?? 1) < (withStop.get('w:sort') ?? 0), 'stop words weigh less');
  });
});

describe('LexicalEmbedder', () => {
  const embedder = new LexicalEmbedder();

  it('has an id encoding scheme version and dimension', async () => {
    assert.equal(embedder.id, `lexical:v1:${DEFAULT_LEXICAL_DIMENSION}`);
    assert.equal(await embedder.dimension(), 512);
    const small = new LexicalEmbedder({ dimension: 64 });
    assert.equal(small.id, 'lexical:v1:64');
    assert.notEqual(small.id, embedder.id);
    assert.equal((await small.embed(['x y']))[0]?.length, 64);
  });

  it('rejects a bad dimension with a message naming it', () => {
    assert.throws(() => new LexicalEmbedder({ dimension: 8 }), /dimension must be an integer from 16 to 1048576, got 8/);
    assert.throws(() => new LexicalEmbedder({ dimension: 100.5 }), /dimension/);
  });

  it('returns unit vectors in input order, deterministically', async () => {
    const inputs = Object.values(texts);
    const first = await embedder.embed(inputs);
    const second = await new LexicalEmbedder().embed([...inputs].reverse());
    assert.equal(first.length, inputs.length);
    for (const v of first) {
      assert.ok(isUnit(v), `norm ${l2Norm(v)}`);
    }
    second.reverse();
    first.forEach((v, i) => assert.deepEqual(Array.from(v), Array.from(second[i]!)));
    first.forEach((v, i) => assert.deepEqual(Array.from(v), Array.from(embedder.embedOne(inputs[i]!))));
  });

  it('ranks similar questions above unrelated ones', async () => {
    const [sortPy, sortKey, http] = await embedder.embed([texts.sortPy, texts.sortKey, texts.http]);
    assert.ok(sortPy && sortKey && http);
    assert.ok(dot(sortPy, sortKey) > dot(sortPy, http) + 0.2, `${dot(sortPy, sortKey)} vs ${dot(sortPy, http)}`);
    assert.ok(dot(sortKey, http) < dot(sortPy, sortKey));
  });

  it('matches a camelCase identifier with the same words written apart', async () => {
    const [camel, spaced, http] = await embedder.embed([texts.camel, texts.spaced, texts.http]);
    assert.ok(camel && spaced && http);
    assert.ok(dot(camel, spaced) > 0.3, `cosine ${dot(camel, spaced)}`);
    assert.ok(dot(camel, spaced) > dot(camel, http));
  });

  it('maps text without tokens to the reserved unit vector, orthogonal to any real text', async () => {
    const [empty, blank, punct, real, stopOnly] = await embedder.embed(['', '   \n', '.,;()', texts.sortPy, 'what is it']);
    assert.ok(empty && blank && punct && real && stopOnly);
    for (const v of [empty, blank, punct]) {
      assert.ok(isUnit(v));
      assert.equal(v[0], 1);
      assert.deepEqual(Array.from(v), Array.from(empty));
    }
    assert.equal(real[0], 0);
    assert.equal(dot(empty, real), 0);
    assert.equal(stopOnly[0], 0, 'a text of stop words still has features');
    assert.ok(isUnit(stopOnly));
  });

  it('honours an aborted signal and rejects non-string input', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(embedder.embed(['a'], controller.signal), { name: 'AbortError' });
    await assert.rejects(embedder.embed(['ok', 42 as unknown as string]), /texts\[1\] must be a string, got number/);
    assert.deepEqual(await embedder.embed([]), []);
  });
});
