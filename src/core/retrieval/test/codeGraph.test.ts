import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkFile } from '../chunking';
import { CodeGraph, MAX_DEFINERS, type FileNames } from '../codeGraph';
import { mentionsIn } from '../mentions';
import { DEFAULT_STAGES, fileFields, rankQuery, rankWorkspace, type ChunkRef, type RankableFile } from '../ranking';
import { termCounts } from '../terms';

const names = (path: string, defines: string[], uses: string[]): FileNames => ({ path, defines, references: uses.map((name) => ({ name, chunks: 1 })) });

test('personalised PageRank: rank flows from the seeds to what they use, not to what nothing links', () => {
  const graph = new CodeGraph([
    names('click/core.py', ['Command.get_help', 'Command.format_usage'], ['wrap_text', 'HelpFormatter']),
    names('click/formatting.py', ['wrap_text', 'HelpFormatter', 'HelpFormatter.write_usage'], []),
    names('click/termui.py', ['prompt', 'confirm'], ['echo']),
  ]);
  const rank = graph.rank(new Map([['click/core.py', 1]]));
  assert.ok((rank.get('click/formatting.py') ?? 0) > 0.2, JSON.stringify([...rank]));
  assert.equal(rank.get('click/termui.py'), undefined, 'nothing links to it');
  assert.deepEqual(graph.namesBetween('click/core.py', 'click/formatting.py'), ['wrap_text', 'HelpFormatter']);
  assert.deepEqual(graph.rank(new Map()), new Map(), 'no seeds, no rank');
});

test(`a name defined in more than ${MAX_DEFINERS} files links nothing: which one is meant is unknown`, () => {
  const definers = Array.from({ length: MAX_DEFINERS + 1 }, (_, i) => names(`pkg/m${i}.py`, ['get'], []));
  const graph = new CodeGraph([names('pkg/app.py', ['main'], ['get']), ...definers]);
  assert.deepEqual([...graph.rank(new Map([['pkg/app.py', 1]])).keys()], ['pkg/app.py']);
});

/** A file as the index keeps it, with the names each chunk uses (here: read off the calls in its text). */
function file(path: string, text: string): RankableFile<ChunkRef & { text: string }> {
  const chunks = chunkFile(path, text).map((c) => ({ path, startLine: c.startLine, endLine: c.endLine, symbols: c.symbols, text: c.text }));
  return { path, chunks, terms: chunks.map((c) => termCounts(c.text)), fields: fileFields(path, chunks), similarity: new Float32Array(chunks.length) };
}

test('the expansion stage brings the chunk that defines what the chosen file uses, last and with its reason; off, nothing', () => {
  const usage = file('click/usage.py', 'def write_usage(prog, args):\n    """Writes the usage line of a command, wrapped to the terminal width."""\n    return wrap_text(f"Usage: {prog} {args}")\n');
  const helper = file('click/textwrap.py', 'def dedent(text):\n    return text\n\n\ndef wrap_text(text, width=78):\n    return text[:width]\n');
  const other = file('click/shell.py', 'def complete(line):\n    return line.split()\n');
  const files = [usage, helper, other];
  const graph = new CodeGraph([names('click/usage.py', ['write_usage'], ['wrap_text']), names('click/textwrap.py', ['dedent', 'wrap_text'], []), names('click/shell.py', ['complete'], [])]);
  const question = 'Why is the usage line of a command wrapped too early?';
  const on = rankWorkspace(files, rankQuery(question, mentionsIn(question), { ...DEFAULT_STAGES, graph: true }), graph);
  assert.equal(on.chunks[0]?.chunk.path, 'click/usage.py');
  const last = on.chunks.at(-1);
  assert.deepEqual([last?.chunk.path, last?.chunk.symbols.includes('wrap_text'), last?.reason], ['click/textwrap.py', true, 'defines wrap_text, which click/usage.py uses']);
  const off = rankWorkspace(files, rankQuery(question, mentionsIn(question), DEFAULT_STAGES), graph);
  assert.ok(!off.chunks.some((c) => c.chunk.path === 'click/textwrap.py'), 'the stage is off by default');
});
