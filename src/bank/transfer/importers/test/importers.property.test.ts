/**
 * Property tests (fast-check) of the three importers on generated files — valid records, records with one field
 * replaced by anything JSON can hold, odd and prototype-named keys, huge and non-finite numbers, arbitrary JSON values
 * and garbage text: every entry either becomes a record or is skipped with an issue naming its file and its line (or
 * list index); nothing else is thrown; and a bank importing the records, cancelled at any point or not, holds all of
 * them or, new, is not there at all. A failure prints the seed and the shrunk input that reproduce it.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { tempDir } from '../../../../../test/fixtures/bankData';
import { lmEvalSample, mcQuestions, mmluProRecord } from '../../../../../test/fixtures/importerData';
import { LexicalEmbedder } from '../../../../embed/lexical';
import { LocalBank } from '../../..';
import { importRecords } from '../../importRecords';
import { ImportFormatError, importFiles, type ImportFormat, type ParsedImport } from '..';

const temp = tempDir('smcs-import-property-');
after(temp.cleanup);
const DIM = 16;
let files = 0;

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
/** Numbers that break naive code: huge, tiny, negative zero, past the safe integers. */
const oddNumber = fc.constantFrom(1e308, -1e308, 5e-324, -0, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, 0.1 + 0.2);
const anyValue = fc.oneof(fc.jsonValue(), oddNumber, fc.string());
const modelKey = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, 'm1', 'org/model-7b', ''), fc.string({ maxLength: 12 }));

/** A bank JSONL record as the interchange format allows, keys and values drawn wide. */
const bankRecord = fc.record(
  {
    id: fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, 'q1', 'q2'), fc.string({ maxLength: 8 })),
    question: fc.string({ maxLength: 40 }),
    answer: fc.string({ maxLength: 4 }),
    grader: fc.constantFrom('choice', 'number', 'exact', 'code', 'none', 'bogus'),
    domain: fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 8 })),
    correct: fc.dictionary(modelKey, fc.oneof(fc.constantFrom(0, 1), anyValue), { maxKeys: 4 }),
    tokens: fc.dictionary(modelKey, fc.oneof(fc.record({ prompt: fc.nat(), completion: fc.nat() }), anyValue), { maxKeys: 2 }),
    fold: fc.oneof(fc.nat(9), anyValue),
    embedding: fc.oneof(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: DIM, maxLength: DIM }), fc.array(fc.double(), { maxLength: DIM + 1 })),
    source: fc.constantFrom('import', 'starter', 'profile', 'feedback', 'elsewhere'),
  },
  { requiredKeys: [] },
);

/** A record that imports: the names still drawn from the prototype's and from anything a string can hold. */
const validRecord = fc.record(
  {
    id: fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/)),
    question: fc.string({ minLength: 1, maxLength: 30 }).filter((q) => q.trim() !== ''),
    domain: fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ minLength: 1, maxLength: 8 })),
    correct: fc.dictionary(modelKey.filter((m) => m.trim() !== ''), fc.constantFrom(0, 1), { minKeys: 1, maxKeys: 4 }),
  },
  { requiredKeys: ['id', 'question', 'correct'] },
);

/** A record with one field (possibly a new, prototype-named one) replaced by anything. */
function mutated<T extends object>(record: fc.Arbitrary<T>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(record, fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 10 })), anyValue).map(([r, key, value]) => {
    const copy: Record<string, unknown> = { ...(r as Record<string, unknown>) };
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  });
}

/** One JSONL line: a record, a broken record, any JSON value, a huge number written out, or garbage text. */
const jsonlLine = fc.oneof(
  { weight: 4, arbitrary: validRecord.map((r) => JSON.stringify(r)) },
  { weight: 2, arbitrary: bankRecord.map((r) => JSON.stringify(r)) },
  { weight: 2, arbitrary: mutated(bankRecord).map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.constantFrom('{"id":"big","question":"q","fold":1e999}', '{"id":"n","question":"q","correct":{"m":1e-999}}', `{"id":"d","question":"q","embedding":[1e400${',0'.repeat(DIM - 1)}]}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

function write(name: string, text: string): string {
  const dir = path.join(temp.dir, `f${files++}`);
  const file = path.join(dir, name);
  mkdirSync(dir);
  writeFileSync(file, text);
  return file;
}

/**
 * The importer's outcome for `entries` entries (1-based lines or 0-based indexes named `unit`): either records and
 * skips that together account for every entry, each skip naming the file and a location in it, or a refusal whose
 * issues do the same because no entry could be used; a file refused whole (not JSON, another format) is one issue at
 * `file`. Anything else thrown fails the property.
 */
async function accountsForEveryEntry(format: ImportFormat, file: string, entries: Set<number>, unit: 'line' | 'index', options: { model?: string } = {}): Promise<ParsedImport | undefined> {
  const name = path.basename(file);
  const location = (at: string): number | 'file' => {
    if (at === 'file') return 'file';
    const m = new RegExp(`^${unit} (\\d+)$`).exec(at);
    assert.ok(m, `${at} is not a ${unit} location`);
    const n = Number(m[1]);
    assert.ok(entries.has(n), `${at} is not an entry of ${name}`);
    return n;
  };
  let parsed: ParsedImport;
  try {
    parsed = await importFiles({ format, paths: [file], dimension: DIM, ...(options.model ? { model: options.model } : {}) });
  } catch (err) {
    assert.ok(err instanceof ImportFormatError, `only a refusal may be thrown, got ${String(err)}`);
    // A file that holds nothing (blank, or `[]`) is refused by its name, with no entry to name.
    if (err.issues.length === 0) return (assert.ok(err.message.includes(name), err.message), undefined);
    const named = new Set(err.issues.map((i) => (assert.ok(i.file.endsWith(name), `${i.file} names another file`), location(i.location))));
    if (!named.has('file')) assert.equal(named.size, entries.size, `every entry of a refused file is named (${[...entries].join(',')} vs ${[...named].join(',')})`);
    return undefined;
  }
  const skipped = new Set(parsed.skipped.map((s) => (assert.ok(s.file.endsWith(name)), location(s.at))));
  assert.ok(!skipped.has('file'), 'a file refused whole holds no record');
  assert.equal(parsed.entries, entries.size);
  assert.equal(parsed.records.length + skipped.size, entries.size, 'each entry is a record or a skip');
  return parsed;
}

/** The 1-based numbers of the lines holding something, as the importers read the text (a leading BOM dropped). */
function nonBlankLines(text: string): Set<number> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  return new Set(lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1])));
}

test('bank JSONL: every line is a record or a skip naming the file and the line; nothing else is thrown', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(jsonlLine, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), async (lines, newline) => {
      const text = lines.join(newline);
      await accountsForEveryEntry('jsonl', write('set.jsonl', text), nonBlankLines(text), 'line');
    }),
    { numRuns: 300 },
  );
});

test('MMLU-Pro: every list entry is a record or a skip naming the file and the index', async () => {
  const questions = mcQuestions(6);
  const entry = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...questions), fc.constantFrom('A', 'B', 'C', null, undefined)).map(([q, pred]) => mmluProRecord(q, pred)) },
    { weight: 3, arbitrary: mutated(fc.constantFrom(...questions).map((q) => mmluProRecord(q, 'A'))) },
    { weight: 1, arbitrary: fc.jsonValue() },
  );
  await fc.assert(
    fc.asyncProperty(fc.array(entry, { maxLength: 10 }), fc.constantFrom('constructor', '__proto__', 'm1', 'Llama-3'), async (list, model) => {
      const file = write(`model_outputs_${model}_5shots.json`, JSON.stringify(list));
      await accountsForEveryEntry('mmlu-pro', file, new Set(list.map((_, i) => i)), 'index');
    }),
    { numRuns: 200 },
  );
});

test('lm-eval samples: every line is a record or a skip naming the file and the line', async () => {
  const sample = fc.record({ docId: fc.nat(20), question: fc.string({ maxLength: 20 }), score: fc.oneof(fc.constantFrom(0, 1, true, false), anyValue) }).map(({ docId, question, score }) =>
    lmEvalSample({ docId, doc: { question, choices: ['a', 'b'], answer: 0 }, target: '0', response: 'a', metrics: { acc: typeof score === 'number' || typeof score === 'boolean' ? score : 0 } }),
  );
  // A line of another filter is left out by design (the import keeps one filter, `none` here, and says so), so no line
  // names another.
  const noFilter = (v: unknown) => !(typeof v === 'object' && v !== null && Object.hasOwn(v, 'filter') && typeof (v as { filter: unknown }).filter === 'string' && (v as { filter: string }).filter !== 'none');
  const line = fc.oneof(
    { weight: 3, arbitrary: sample.map((s) => JSON.stringify(s)) },
    { weight: 3, arbitrary: mutated(sample).filter(noFilter).map((s) => JSON.stringify(s)) },
    { weight: 1, arbitrary: fc.jsonValue().filter(noFilter).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).filter((s) => !s.includes('filter')) },
  );
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 10 }), fc.constantFrom('constructor', '__proto__', 'm1'), async (lines, model) => {
      const text = lines.join('\n');
      await accountsForEveryEntry('lm-eval', write('samples_task_2024-01-01T00-00-00.jsonl', text), nonBlankLines(text), 'line', { model });
    }),
    { numRuns: 200 },
  );
});

test('a new bank importing the records holds all of them, or — cancelled at any point — is not there at all', async () => {
  const embedder = new LexicalEmbedder({ dimension: DIM });
  await fc.assert(
    fc.asyncProperty(fc.array(jsonlLine, { minLength: 1, maxLength: 10 }), fc.option(fc.nat(4), { nil: undefined }), async (lines, cancelAt) => {
      const text = lines.join('\n');
      const parsed = await accountsForEveryEntry('jsonl', write('set.jsonl', text), nonBlankLines(text), 'line');
      if (parsed === undefined) return;
      const dir = path.join(temp.dir, `bank-${files++}`);
      const controller = new AbortController();
      let calls = 0;
      // The embedder the bank records; its calls count down to the cancellation.
      const counting = Object.assign(Object.create(embedder) as LexicalEmbedder, {
        embed: (texts: readonly string[], signal?: AbortSignal) => {
          if (calls++ === cancelAt) controller.abort();
          return embedder.embed(texts, signal);
        },
      });
      const bank = await LocalBank.open(dir, { embedder: { id: embedder.id, dimension: DIM }, create: true, write: true });
      try {
        await importRecords(bank, parsed.records, counting, { signal: controller.signal, batchSize: 2 });
        await bank.close();
      } catch (err) {
        await bank.discardIfNew();
        assert.ok(controller.signal.aborted, `only a cancellation may stop the import, got ${String(err)}`);
        assert.equal(existsSync(dir), false, 'a cancelled new bank leaves nothing');
        return;
      }
      const reopened = await LocalBank.open(dir, { embedder: { id: embedder.id, dimension: DIM } });
      const stored = new Map([...reopened.records()].map((r) => [r.id, r]));
      assert.deepEqual([...stored.keys()].sort(), parsed.records.map((r) => r.id).sort());
      for (const r of parsed.records) assert.deepEqual(Object.entries(stored.get(r.id)?.correct ?? {}).sort(), Object.entries(r.correct ?? {}).sort(), `labels of ${r.id}`);
    }),
    { numRuns: 60 },
  );
});
