import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkFile } from '../chunking';
import { mentionsIn, NAMED_FILE_MATCHES } from '../mentions';
import { FILE_FLOOR, MAX_CALLEES, MAX_QUERY_TERMS, defines, fileFields, lexicalMatch, nameTails, rankQuery, rankWorkspace, type ChunkRef, type RankableFile } from '../ranking';
import { bm25, countOf, hash, stem, termCounts, termsIn } from '../terms';

test('terms are words and identifiers, whole and split into parts, the words and parts lightly stemmed; counts are found by id', () => {
  assert.deepEqual(termsIn('def split_graphemes(parseHTTPResponse)'), ['def', 'split_graphemes', 'split', 'graphem', 'parsehttpresponse', 'pars', 'http', 'respons']);
  const doc = termCounts('cell cells cell_len');
  assert.equal(countOf(doc, hash('cell')), 3, 'cell, cells, and cell as a part of cell_len');
  assert.equal(doc.length, 5);
});

test('light stemming: a bug report\'s words meet the code\'s', () => {
  for (const [a, b] of [['rendering', 'render'], ['rendered', 'renders'], ['styles', 'style'], ['styling', 'styled'], ['wrapped', 'wrap'], ['padding', 'pad'], ['entries', 'entry'], ['classes', 'class'], ['caching', 'cache'], ['matches', 'match'], ['titles', 'title']]) {
    assert.equal(stem(a as string), stem(b as string), `${a} ≈ ${b}`);
  }
  for (const w of ['progress', 'status', 'this', 'bar', 'string', 'axis']) assert.equal(stem(w), w, `${w} is left alone`);
});

test('BM25 favours the rarer term and the shorter document', () => {
  const scores = bm25([1, 0, 0, 1, 0, 1, 0, 1], 2, [10, 10, 10, 10]);
  assert.ok((scores[0] as number) > (scores[1] as number), 'a term in one document of four weighs more than one in three');
  const [short, long] = bm25([1, 1, 0], 1, [5, 50, 10]);
  assert.ok((short as number) > (long as number));
});

/** A file as the index keeps it: chunked at definitions, each chunk's terms, no vector signal. */
function file(path: string, text: string): RankableFile<ChunkRef & { text: string }> {
  const chunks = chunkFile(path, text).map((c) => ({ path, startLine: c.startLine, endLine: c.endLine, symbols: c.symbols, text: c.text }));
  return { path, chunks, terms: chunks.map((c) => termCounts(c.text)), fields: fileFields(path, chunks), similarity: new Float32Array(chunks.length) };
}

const rank = (files: readonly RankableFile<ChunkRef & { text: string }>[], question: string) => rankWorkspace(files, rankQuery(question, mentionsIn(question)));
const filesOf = (ranking: ReturnType<typeof rank>) => [...new Set(ranking.chunks.map((c) => c.chunk.path))];

/** Distractors of a code base: modules about other things. */
const OTHERS = ['table', 'panel', 'markup', 'syntax', 'layout'].map((name) =>
  file(`rich/${name}.py`, `class ${name[0]?.toUpperCase()}${name.slice(1)}:\n    """A ${name}."""\n\n    def render(self, console, options):\n        yield from self.lines(options.max_width)\n`),
);
const PROGRESS = file(
  'rich/progress_bar.py',
  'class ProgressBar:\n    """A bar that shows how far a task has come."""\n\n    def update(self, completed, total=None):\n        self.completed = completed\n        self.total = total\n\n    def __rich_console__(self, console, options):\n        width = min(self.width or options.max_width, options.max_width)\n        yield self._render_pulse(console, width)\n',
);
const CONTRIBUTING = file(
  'CONTRIBUTING.md',
  '# Contributing\n\nFound a bug? Please report it: open an issue with the code that shows the bug, what you expected and what happened.\nA fix for a bug comes with a test. Which code is responsible for the bug? Say so in the issue if you think you found it.\n',
);
const TEMPLATE = file('.github/ISSUE_TEMPLATE/bug_report.md', '---\nname: Bug report\n---\n\nDescribe the bug. What did you expect? What happened instead? Which version? I think I found a bug in the progress display.\n');

test('code before prose: a bug report reaches the code, not CONTRIBUTING or the issue template that share its words', () => {
  const files = [CONTRIBUTING, TEMPLATE, ...OTHERS, PROGRESS];
  const ranking = rank(files, 'I think I found a bug: the progress bar flickers when it updates. Which code is responsible?');
  assert.equal(filesOf(ranking)[0], 'rich/progress_bar.py');
  assert.ok(!filesOf(ranking).some((f) => f.endsWith('.md')), filesOf(ranking).join(', '));
  // a question about the documentation or the contributing rules gets them
  assert.equal(filesOf(rank(files, 'What does CONTRIBUTING.md ask of a bug report?'))[0], 'CONTRIBUTING.md');
  assert.ok(filesOf(rank(files, 'Where do the docs say how to report a bug and which issue template to use?')).includes('.github/ISSUE_TEMPLATE/bug_report.md'));
});

test('fields that mean something for code: the path (progress_bar.py → progress, bar) and the names a file defines outrank a word in a long text', () => {
  const long = file('rich/console.py', `class Console:\n${Array.from({ length: 60 }, (_, i) => `    def method_${i}(self):\n        """Write line ${i} of the output."""\n        return ${i}\n`).join('\n')}\n    def status(self):\n        """Show progress."""\n        return None\n`);
  assert.equal(filesOf(rank([long, ...OTHERS, PROGRESS], 'the progress bar is drawn one cell too wide'))[0], 'rich/progress_bar.py');
  const graphemes = file('rich/cells.py', 'def split_graphemes(text):\n    return list(text)\n\n\ndef cell_len(text):\n    return len(text)\n');
  const ranking = rank([long, ...OTHERS, graphemes], 'graphemes are split in the wrong place');
  assert.equal(filesOf(ranking)[0], 'rich/cells.py', 'the name split_graphemes holds both words');
});

test('a named definition comes first with its reason; every chunk carries its score and why it was chosen', () => {
  const cells = file('rich/cells.py', 'def split_graphemes(text):\n    return list(text)\n');
  const user = file('rich/text.py', 'from .cells import split_graphemes\n\n\ndef wrap(text, width):\n    parts = split_graphemes(text)\n    return [p for p in parts if p]\n');
  const ranking = rank([...OTHERS, user, cells], 'Why does split_graphemes loop forever on a trailing joiner?');
  const first = ranking.chunks[0];
  assert.equal(first?.chunk.path, 'rich/cells.py');
  assert.equal(first?.reason, 'defines split_graphemes');
  const text = ranking.chunks.find((c) => c.chunk.path === 'rich/text.py');
  assert.equal(text?.reason, 'uses split_graphemes');
  assert.ok(ranking.chunks.every((c) => Number.isFinite(c.score) && c.score > 0));
  assert.ok((first?.score ?? 0) >= (text?.score ?? 0));
  const words = rank([...OTHERS, PROGRESS], 'the progress bar pulse is too wide');
  assert.match(words.chunks[0]?.reason ?? '', /^matches (progress|bar|pulse|wide)/);
});

test('a qualified name (Context.invoke) reaches its own definition, not the same method name of another class that says it more often', () => {
  // After click's core.py (pallets/click): Context.invoke is short; Group.invoke, further down, says "invoke" on every
  // line. Each class's docstring is long enough that its methods are chunks of their own.
  const docstring = (what: string) => ['    """', ...Array.from({ length: 40 }, (_, i) => `    ${what} keeps state number ${i} for the parser, the formatter and the help page.`), '    """', ''];
  const core = file(
    'src/click/core.py',
    [
      'class Context:',
      ...docstring('The context'),
      '    def invoke(self, callback, *args, **kwargs):',
      '        """Invokes a command callback in exactly the way it expects."""',
      '        with augment_usage_errors(self):',
      '            with ctx:',
      '                return callback(*args, **kwargs)',
      '',
      '',
      'class Group:',
      ...docstring('The group'),
      '    def invoke(self, ctx):',
      '        def _process_result(value):',
      '            return value',
      '        with ctx:',
      '            cmd_name, cmd, args = self.resolve_command(ctx, args)',
      '            ctx.invoked_subcommand = cmd_name',
      '            super().invoke(ctx)',
      '            sub_ctx = cmd.make_context(cmd_name, args, parent=ctx)',
      '            with sub_ctx:',
      '                return _process_result(sub_ctx.command.invoke(sub_ctx))',
      '        # invoke each subcommand in turn; the invoked results go to the result processor',
      '        rv = [sub.command.invoke(sub) for sub in contexts]',
      '        return _process_result(rv)',
      '',
    ].join('\n'),
  );
  const chunkOf = (symbol: string) => core.chunks.find((c) => c.symbols.includes(symbol))?.startLine;
  const ranking = rank([...OTHERS, core], 'Explain what Context.invoke does in src/click/core.py.');
  const first = ranking.chunks[0];
  assert.deepEqual([first?.chunk.startLine, first?.reason], [chunkOf('Context.invoke'), 'defines Context.invoke'], ranking.chunks.map((c) => `${c.chunk.startLine}: ${c.reason}`).join('; '));
  // The bare name still reaches every definition of it.
  assert.deepEqual(rank([...OTHERS, core], 'Where is `invoke` defined?').chunks.filter((c) => c.reason === 'defines invoke').length, 2);
});

test('relevance, not quota: files under the floor stay home, and when nothing matches convincingly nothing goes, with a note', () => {
  const files = [...OTHERS, PROGRESS];
  const ranking = rank(files, 'The progress bar pulse flickers');
  assert.deepEqual(filesOf(ranking), ['rich/progress_bar.py'], `the others share no word of the question (floor ${FILE_FLOOR} of the best)`);
  const none = rank(files, 'The kangaroo tango festival in Canberra');
  assert.deepEqual(none.chunks, []);
  assert.match(none.note ?? '', /nothing in the workspace matches the question/);
  const weak = rank([...files, file('rich/animals.py', 'KANGAROO = 1\n')], 'The kangaroo tango festival in Canberra with the southern lights and the river parade');
  assert.deepEqual(weak.chunks, [], 'one word of many in one file is not convincing');
  assert.match(weak.note ?? '', /convincingly/);
});

test('test files never go as filler: only when the question is about tests or they define what it names', () => {
  const test_ = file('tests/test_progress_bar.py', 'from rich.progress_bar import ProgressBar\n\n\ndef test_update_progress_bar():\n    bar = ProgressBar()\n    bar.update(10, total=100)\n    assert bar.completed == 10\n');
  const report = rank([test_, ...OTHERS, PROGRESS], 'progress bar update is wrong');
  assert.deepEqual(filesOf(report), ['rich/progress_bar.py'], 'the test shares every word of the report, and still stays home');
  assert.equal(filesOf(rank([test_, ...OTHERS, PROGRESS], 'the failing test of the progress bar update'))[0], 'tests/test_progress_bar.py');
  assert.ok(filesOf(rank([test_, ...OTHERS, PROGRESS], 'Why does test_update_progress_bar hang?')).includes('tests/test_progress_bar.py'), 'it defines what the question names');
  assert.ok(filesOf(rank([test_, ...OTHERS, PROGRESS], 'Is tests/test_progress_bar.py right?')).includes('tests/test_progress_bar.py'), 'the question names the file');
  // The question's own code says "test": its snippet, not a question about the tests.
  const snippet = 'progress bar update is wrong\n\n```python\n# in my test script\nbar.update(10, total=100)\nassert bar.completed == 10  # the test fails\n```';
  assert.deepEqual(filesOf(rank([test_, ...OTHERS, PROGRESS], snippet)), ['rich/progress_bar.py']);
});

test('relevance over words every question uses: "explain", "function", "error", "return" alone never choose a file (core/retrieval/specificity)', () => {
  const helpers = file('rich/_helpers.py', 'def function_name(function):\n    """Return the name of a function, or an error string."""\n    return getattr(function, "__name__", "error")\n');
  const config = file('rich/config.py', 'class Config:\n    """The config: safe defaults for every config value."""\n\n    def load(self, path):\n        return self.value\n');
  const files = [...OTHERS, PROGRESS, helpers, config];
  for (const q of ['Explain this function', 'What does this function return?', 'Why this error?', 'Is this right?']) {
    assert.deepEqual(filesOf(rank(files, q)), [], q);
  }
  assert.match(rank(files, 'Explain this function').note ?? '', /beyond words every code base uses/);
  // Distinctive words, the file's own name, or a named definition still choose it.
  assert.deepEqual(filesOf(rank(files, 'Why does the progress bar pulse flicker?')), ['rich/progress_bar.py']);
  assert.ok(filesOf(rank(files, 'How is the config loaded?')).includes('rich/config.py'), 'a distinctive word in its path');
  assert.equal(filesOf(rank(files, 'What does function_name return?'))[0], 'rich/_helpers.py');
  // One distinctive word that hardly any file holds is enough.
  const many = Array.from({ length: 120 }, (_, i) => file(`rich/module_${i}.py`, `def step_${i}(server):\n    return server.send(${i})\n`));
  const auth = file('rich/auth.py', 'def digest_header(self, method, url):\n    self.nonce_count += 1\n    return f"nonce={self.nonce}"\n');
  assert.deepEqual(filesOf(rank([...many, auth], 'I think I found a bug: renegotiating a nonce with the server. Which code is responsible?')), ['rich/auth.py']);
});

test('within a file, its best chunks: at most five of the best file, each near its best', () => {
  const big = file('rich/live.py', Array.from({ length: 8 }, (_, i) => `def refresh_${i}(live):\n    """Refresh the live display ${i === 3 ? 'when the screen is resized' : 'on a timer'}."""\n${'    live.tick()\n'.repeat(60)}`).join('\n\n'));
  const ranking = rank([...OTHERS, big], 'the live display does not refresh when the screen is resized');
  const chunks = ranking.chunks.filter((c) => c.chunk.path === 'rich/live.py');
  assert.ok(chunks.length >= 1 && chunks.length <= 5, `${chunks.length} chunks`);
  assert.deepEqual(chunks[0]?.chunk.symbols, ['refresh_3']);
  // five files alike: the first keeps up to five chunks, the next two up to two, the rest one; the best file's chunks
  // come first (the definition that answers is often not its best-matching one), then each other file's best
  const body = Array.from({ length: 6 }, (_, i) => `def refresh_${i}(live):\n    """Refresh the live display when the screen is resized."""\n${'    live.tick()\n'.repeat(60)}`).join('\n\n');
  const alike = ['a', 'b', 'c', 'd', 'e'].map((n) => file(`rich/live_${n}.py`, body));
  const perFile = rank([...OTHERS, ...alike], 'the live display does not refresh when the screen is resized').chunks;
  assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((n) => perFile.filter((c) => c.chunk.path === `rich/live_${n}.py`).length), [5, 2, 2, 1, 1]);
  assert.deepEqual(perFile.slice(0, 9).map((c) => c.chunk.path), ['a', 'a', 'a', 'a', 'a', 'b', 'c', 'd', 'e'].map((n) => `rich/live_${n}.py`));
});

test("the best file's chunks near its best go without distinctive words of their own, after each other file's best", () => {
  // cJSON: "how does printing choose how many digits…" matches parse_hex4 ("4 digit hexadecimal value") best; the
  // answer, print_number, holds one distinctive word of the question ("digits") and a plain one ("point"), near the best.
  const cjson = file(
    'cJSON.c',
    `/* parse 4 digit hexadecimal value */\nstatic unsigned parse_hex4(const unsigned char * const input)\n{\n    /* each hexadecimal digit of the number */\n${'    h = h << 4;\n'.repeat(20)}}\n\n/* Render the number nicely from the given item into a string. */\nstatic cJSON_bool print_number(const cJSON * const item, printbuffer * const output_buffer)\n{\n    /* Try 15 decimal places of precision to avoid nonsignificant nonzero digits after the decimal point */\n    length = sprintf((char*)number_buffer, "%1.15g", d);\n    /* Check whether the original double can be recovered */\n${'    output_pointer++;\n'.repeat(20)}}\n`,
  );
  const other = file('cJSON_Utils.c', '/* compare two floating numbers */\nstatic cJSON_bool compare_double(double a, double b)\n{\n    return fabs(a - b) <= maxVal * DBL_EPSILON;\n}\n');
  const question = 'how does printing choose how many digits to write for a floating point number so that it reads back to the same value';
  const sent = rank([cjson, other, ...OTHERS], question).chunks.map((c) => `${c.chunk.path}:${c.chunk.symbols[0] ?? ''}`);
  assert.equal(sent[0], 'cJSON.c:parse_hex4', sent.join(', '));
  assert.ok(sent.includes('cJSON.c:print_number'), sent.join(', '));
  assert.ok(sent.indexOf('cJSON_Utils.c:compare_double') < sent.indexOf('cJSON.c:print_number'), `the other file's best keeps its place before the budget: ${sent.join(', ')}`);
});

/** A file of the given chunks, as a parser names them (qualified names the line scanner would not give), ten lines apart. */
function fileOfParts(path: string, parts: readonly { symbols: string[]; text: string }[]): RankableFile<ChunkRef & { text: string }> {
  const chunks = parts.map((p, i) => ({ path, startLine: 10 * i + 1, endLine: 10 * i + 8, symbols: p.symbols, text: p.text }));
  return { path, chunks, terms: chunks.map((c) => termCounts(c.text)), fields: fileFields(path, chunks), similarity: new Float32Array(chunks.length) };
}

test("a product file's own test module (Rust's mod tests) goes only when the question is about tests", () => {
  const path = 'axum/src/response/sse.rs';
  const parts = [
    { symbols: ['KeepAlive', 'KeepAlive.interval'], text: 'impl KeepAlive {\n    /// Send a comment to keep the idle connection alive.\n    pub fn interval(mut self, time: Duration) -> Self { self.max_interval = time; self }\n}' },
    { symbols: ['tests', 'tests.keep_alive_idle_connection'], text: 'mod tests {\n    #[test]\n    fn keep_alive_idle_connection() {\n        // keep alive comment on an idle connection, keep alive interval, keep alive idle\n        let keep_alive = KeepAlive::new().interval(Duration::from_secs(1));\n    }\n}' },
  ];
  const sse = fileOfParts(path, parts);
  // The workspace's tests live in a tests folder too, so "test" is its tests' own path word (ranking askedKinds).
  const testFile = file('axum/tests/routing.rs', 'fn routes_match() {\n    assert_eq!(1, 1);\n}\n');
  const sent = (question: string) => rank([sse, testFile, ...OTHERS], question).chunks.filter((c) => c.chunk.path === path).map((c) => c.chunk.symbols[0]);
  assert.deepEqual(sent('how does keep alive work on an idle connection'), ['KeepAlive']);
  assert.ok(sent('which test covers keep alive on an idle connection').includes('tests'), 'asked about tests, the test module may go');
  // A product definition named `test` is no test module's.
  const matcher = { ...sse, chunks: sse.chunks.map((c, i) => (i === 1 ? { ...c, symbols: ['KeepAliveMatcher', 'KeepAliveMatcher.test'] } : c)) };
  assert.ok(rank([matcher, testFile, ...OTHERS], 'how does keep alive work on an idle connection').chunks.some((c) => c.chunk.symbols.includes('KeepAliveMatcher.test')));
});

test("a method is found by its type's words too: KeepAliveStream.poll_next for how events keep the connection alive", () => {
  // axum's sse.rs: the keep-alive timer is polled in `<KeepAliveStream<S> as Stream>::poll_next`, whose own name says
  // nothing of keeping alive; the event's writer uses the question's plainer words more often.
  const sse = fileOfParts('axum/src/response/sse.rs', [
    { symbols: ['EventDataWriter', 'EventDataWriter.write_buf'], text: 'impl EventDataWriter {\n    /// Write the data of an event: each line as a data field; an event on an idle connection is a comment.\n    fn write_buf(&mut self, buf: &[u8]) { self.event.field("data", buf); }\n}' },
    { symbols: ['KeepAliveStream', 'KeepAliveStream.poll_next'], text: 'impl<S: Stream> Stream for KeepAliveStream<S> {\n    fn poll_next(self: Pin<&mut Self>, cx: &mut Context) -> Poll<Option<Self::Item>> {\n        // idle: the timer sends a comment; an event resets it\n        match this.inner.poll_next(cx) { Poll::Pending => this.timer.poll(cx), ready => { this.timer.reset(); ready } }\n    }\n}' },
  ]);
  const sent = rank([sse, ...OTHERS], 'how do server sent events keep the connection alive when idle').chunks.map((c) => c.chunk.symbols[0]);
  assert.equal(sent[0], 'KeepAliveStream', sent.join(', '));
});

test(`a file name a dozen files share names none of them (at most ${NAMED_FILE_MATCHES}): conf.py of every test project stays home, the one setup.py comes`, () => {
  const confs = Array.from({ length: 12 }, (_, i) => file(`tests/roots/test-${i}/conf.py`, `extensions = ['sphinx.ext.autodoc']\nautodoc_typehints = 'none'\n`));
  const setup = file('setup.py', 'from setuptools import setup\n\nsetup(name="rich", version="1.0")\n');
  const files = [...confs, setup, ...OTHERS, PROGRESS];
  const report = rank(files, 'My conf.py sets the progress bar width, and the progress bar update ignores it');
  assert.equal(filesOf(report)[0], 'rich/progress_bar.py');
  assert.ok(!filesOf(report).some((f) => f.endsWith('conf.py')), filesOf(report).join(', '));
  // A few, and the name picks them out: the question names those files.
  assert.ok(filesOf(rank([...confs.slice(0, NAMED_FILE_MATCHES), setup, ...OTHERS, PROGRESS], 'My conf.py sets the progress bar width, and the progress bar update ignores it')).some((f) => f.endsWith('conf.py')));
  assert.ok(filesOf(rank(files, 'What does setup.py declare?')).includes('setup.py'));
});

test('examples, benchmarks, fixtures and playgrounds never go as filler, only when the question is about them', () => {
  const example = file('examples/progress_bar_demo.py', 'from rich.progress_bar import ProgressBar\n\n\ndef demo_progress_bar_update():\n    bar = ProgressBar()\n    bar.update(10, total=100)\n');
  const play = file('play.ts', 'import { ProgressBar } from "../../context/test/src/progress_bar";\nconst bar = new ProgressBar();\nbar.update(10);\n');
  assert.deepEqual(filesOf(rank([example, play, ...OTHERS, PROGRESS], 'progress bar update is wrong')), ['rich/progress_bar.py']);
  assert.equal(filesOf(rank([example, ...OTHERS, PROGRESS], 'the progress bar demo in the examples is wrong'))[0], 'examples/progress_bar_demo.py');
});

test('whole definitions: a method cut into pieces goes whole when it fits, once; a longer one goes as its best pieces', () => {
  const method = (lines: number) =>
    `class Option:\n    def get_default(self, ctx):\n        """The default value of the option, resolved from the context."""\n${Array.from({ length: lines }, (_, i) => `        value_${i} = self.resolve_default(ctx, ${i}) or fallback_${i}`).join('\n')}\n        return value_0\n`;
  const withTokens = (path: string, text: string): RankableFile<ChunkRef & { text: string }> => {
    const chunks = chunkFile(path, text).map((c) => ({ path, startLine: c.startLine, endLine: c.endLine, symbols: c.symbols, tokens: c.tokens, text: c.text }));
    return { path, chunks, terms: chunks.map((c) => termCounts(c.text)), fields: fileFields(path, chunks), similarity: new Float32Array(chunks.length) };
  };
  const question = 'Why does the default value of an option resolve to the fallback?';
  const short = withTokens('click/core.py', method(60));
  assert.ok(short.chunks.filter((c) => c.symbols.includes('Option.get_default')).length > 1, 'the chunker cut the method into pieces');
  const ranked = rank([short, ...OTHERS], question).chunks.filter((c) => c.chunk.path === 'click/core.py');
  assert.equal(ranked.length, 1, 'two chosen pieces of one definition go once');
  const lines = method(60).split('\n').length - 1;
  assert.deepEqual([ranked[0]?.chunk.startLine, ranked[0]?.chunk.endLine], [2, lines], 'the whole method, from its def to its return');
  const long = withTokens('click/core.py', method(400));
  const pieces = rank([long, ...OTHERS], question).chunks.filter((c) => c.chunk.path === 'click/core.py');
  assert.ok(pieces.length > 0 && pieces.every((c) => c.chunk.endLine - c.chunk.startLine < 100), 'too long to go whole: its best pieces');
});

test(`a pasted document is searched for by its ${MAX_QUERY_TERMS} most telling words, not all of them`, () => {
  const words = Array.from({ length: 3000 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}${Math.floor(i / 676)}x`);
  const query = rankQuery(`the progress bar flickers ${words.join(' ')}`, mentionsIn('the progress bar flickers'));
  assert.equal(query.terms.length, MAX_QUERY_TERMS, 'the tables stay files × 64, not files × 3,000');
  assert.deepEqual([...query.terms].slice(0, 3).map((id) => query.words.get(id)), ['progress', 'bar', 'flickers'], 'the telling words kept in the order written');
  assert.ok(![...query.terms].some((id) => query.words.get(id) === 'the'), 'a word of asking is not among them');
});

test("a number the question's prose writes is searched for as a word: 405 finds the router that answers it", () => {
  const files = [
    file('gin.go', 'var default404Body = []byte("404 page not found")\nvar default405Body = []byte("405 method not allowed")\n\nfunc (engine *Engine) handleHTTPRequest(c *Context) {\n\tif engine.HandleMethodNotAllowed {\n\t\tserveError(c, http.StatusMethodNotAllowed, default405Body)\n\t}\n}\n'),
    file('routergroup.go', 'func (group *RouterGroup) handle(httpMethod, relativePath string, handlers HandlersChain) IRoutes {\n\t// registered routes: the method and path are kept for the router\n\tgroup.engine.addRoute(httpMethod, group.calculateAbsolutePath(relativePath), handlers)\n\treturn group.returnObj()\n}\n'),
  ];
  const words = (q: string) => [...rankQuery(q, mentionsIn(q)).terms].map((id) => rankQuery(q, mentionsIn(q)).words.get(id));
  const question = 'calling an endpoint with PUT when only GET is registered gives me a 404. Shouldn\'t that be 405?';
  assert.ok(words(question).includes('405') && words(question).includes('404'), words(question).join(' '));
  assert.equal(filesOf(rank(files, question))[0], 'gin.go');
  // A version's parts, short numbers and the numbers of the question's own code (a traceback's lines) are its data.
  assert.deepEqual(words('after upgrading to 2.0.100 on python 3.12 the router breaks').filter((w) => /^\d+$/.test(w ?? '')), []);
  assert.deepEqual(words('the router breaks:\n\n```\nFile "app.py", line 405, in handle\n    raise RouteError()\n```').filter((w) => /^\d+$/.test(w ?? '')), []);
  // A number no file holds is the report's data (an id, a count): the words' match is as strong without it.
  const strength = (q: string) => lexicalMatch(files, rankQuery(q, mentionsIn(q))).strength;
  assert.equal(strength('order 98765 gets 405 from the router'), strength('order gets 405 from the router'));
  assert.ok(strength('order gets 405 from the router') > strength('order gets from the router'), 'a number a file holds is evidence');
  // In a pasted document the numbers come after every word among its most telling terms.
  const many = Array.from({ length: MAX_QUERY_TERMS + 10 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`);
  assert.ok(!words(`status 405 from ${many.join(' ')}`).includes('405'), 'a number does not displace a word');
});

/** A file cut as the parser cuts it: one chunk a definition, with the names each uses (its references). */
function parsed(path: string, defs: readonly { name: string; text: string; references: string[] }[]): RankableFile<ChunkRef & { text: string }> {
  let line = 1;
  const chunks = defs.map((d) => {
    const lines = d.text.split('\n').length;
    const chunk = { path, startLine: line, endLine: line + lines - 1, symbols: [d.name], references: d.references, text: d.text };
    line += lines + 1;
    return chunk;
  });
  return { path, chunks, terms: chunks.map((c) => termCounts(c.text)), fields: fileFields(path, chunks), similarity: new Float32Array(chunks.length) };
}

test(`callees: the best file's definitions its chosen code calls go beside it, the closest to the question first, at most ${MAX_CALLEES}`, () => {
  const compress = parsed('src/middleware/compress/index.ts', [
    { name: 'negotiate', text: 'const negotiate = (header: string): string | undefined => {\n  const weights = parseWeights(header) // the response weights first\n  return weights[0]\n}', references: ['parseWeights'] },
    { name: 'parseWeights', text: 'const parseWeights = (header: string) => header.split(",").map((part) => part.trim())', references: ['split', 'map', 'trim'] },
    { name: 'logSize', text: 'const logSize = (size: number) => console.log(size)', references: ['log'] },
    { name: 'unusedHelper', text: 'const unusedHelper = () => 42', references: [] },
    { name: 'otherHelper', text: 'const otherHelper = (x: number) => x + 1', references: [] },
    { name: 'countBytes', text: 'const countBytes = (x: Uint8Array) => x.length', references: [] },
    {
      name: 'compress',
      text: 'export const compress = (): MiddlewareHandler => async (c, next) => {\n  // response compression: gzip or deflate, as the browser accepts\n  await next()\n  logSize(c.res.size)\n  otherHelper(countBytes(c.res.body))\n  const encoding = negotiate(c.req.header("Accept-Encoding") ?? "")\n  c.res = compressBody(c.res, encoding)\n}',
      references: ['MiddlewareHandler', 'next', 'logSize', 'otherHelper', 'countBytes', 'negotiate', 'compressBody'],
    },
  ]);
  const ranked = rank([compress, ...OTHERS], 'How does response compression choose between gzip and deflate?').chunks;
  const names = ranked.map((c) => c.chunk.symbols[0]);
  assert.equal(names[0], 'compress');
  assert.ok(names.includes('negotiate'), names.join(', '));
  assert.ok(!names.includes('unusedHelper'), 'a definition nothing chosen calls stays home');
  const brought = names.filter((n) => ['negotiate', 'logSize', 'otherHelper', 'countBytes'].includes(n ?? ''));
  assert.equal(brought.length, MAX_CALLEES, names.join(', '));
  assert.equal(brought[0], 'negotiate', 'called last, but the callee closest to the question comes first');
  assert.equal(ranked.find((c) => c.chunk.symbols[0] === 'negotiate')?.reason, 'defines negotiate, which compress calls');
  // without the parser's references (the line scanner cut the file), only what the question's words chose
  const scanned = { ...compress, chunks: compress.chunks.map(({ references: _, ...c }) => c) };
  assert.deepEqual(rank([scanned, ...OTHERS], 'How does response compression choose between gzip and deflate?').chunks.map((c) => c.chunk.symbols[0]), ['compress']);
});

test("callees of every chosen file: the function that does the work in another file than the best goes, after each file's best", () => {
  // cJSON's utils: the header declares the sorting (the best file by the question's words); the source's sort_object
  // holds "sort" and "object keys", and the merge sort that decides the order is the sort_list it calls.
  const header = parsed('cJSON_Utils.h', [
    { name: 'cJSONUtils_SortObject', text: '/* Sorts the members of the object into alphabetical order: object keys sorted, case sensitive or not. */\nCJSON_PUBLIC(void) cJSONUtils_SortObject(cJSON * const object);\nCJSON_PUBLIC(void) cJSONUtils_SortObjectCaseSensitive(cJSON * const object);', references: ['cJSON'] },
  ]);
  const source = parsed('cJSON_Utils.c', [
    { name: 'sort_list', text: 'static cJSON *sort_list(cJSON *list, const cJSON_bool case_sensitive)\n{\n    cJSON *first = list;\n    cJSON *second = list;\n    while ((second != NULL) && (second->next != NULL)) { second = second->next->next; first = first->next; }\n    return merge(first, second);\n}', references: ['cJSON', 'merge'] },
    { name: 'sort_object', text: 'static void sort_object(cJSON * const object, const cJSON_bool case_sensitive)\n{\n    /* sort the object keys */\n    object->child = sort_list(object->child, case_sensitive);\n}', references: ['cJSON', 'sort_list'] },
    { name: 'apply_patch', text: 'static int apply_patch(cJSON *object, const cJSON *patch)\n{\n    return decode_pointer(object, patch);\n}', references: ['cJSON', 'decode_pointer'] },
  ]);
  const question = 'The key sorting in the utils library: what order does it put object keys in?';
  const ranked = rank([header, source, ...OTHERS], question).chunks;
  const names = ranked.map((c) => c.chunk.symbols[0]);
  assert.deepEqual(names.slice(0, 2), ['cJSONUtils_SortObject', 'sort_object'], names.join(', '));
  assert.ok(names.includes('sort_list'), `the merge sort sort_object calls goes too: ${names.join(', ')}`);
  assert.equal(ranked.find((c) => c.chunk.symbols[0] === 'sort_list')?.reason, 'defines sort_list, which sort_object calls');
  assert.ok(!names.includes('apply_patch'), 'what nothing chosen calls stays home');
});

test("a symbol's dotted tails are exactly the names defines finds it by", () => {
  assert.deepEqual(nameTails('rich.Console.print'), ['rich.Console.print', 'Console.print', 'print']);
  assert.deepEqual(nameTails('parse'), ['parse']);
  const symbols = ['rich.Console.print', 'Console.print', 'parse', 'Cells.width', 'a..b', 'sprint'];
  const names = ['print', 'Console.print', 'rich.Console.print', 'int', 'e.print', 'width', 'Cells.width', 'b', '.b', 'parse', 'sprint', 'rint'];
  for (const symbol of symbols) {
    const chunk: ChunkRef = { path: 'a.py', startLine: 1, endLine: 1, symbols: [symbol] };
    for (const name of names) assert.equal(nameTails(symbol).includes(name), defines(chunk, name), `${symbol} / ${name}`);
  }
});
