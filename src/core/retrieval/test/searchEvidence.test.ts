import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkFile } from '../chunking';
import { mentionsIn, namesFileIn } from '../mentions';
import { defines, fileFields, lexicalMatch, rankQuery, type ChunkRef, type RankableFile } from '../ranking';
import { calibrationScores, mayConcernAWorkspace, workspaceEvidence, type WorkspaceLookup } from '../searchEvidence';
import { hash, termCounts, termsIn } from '../terms';
import { languageOf } from '../languages';
import { codeSpecificity } from '../specificity';
import { projectModules } from '../projectModules';

/** A file as the index keeps it: chunked at definitions, each chunk's terms, no vector signal. */
function file(path: string, text: string): RankableFile<ChunkRef & { text: string }> {
  const chunks = chunkFile(path, text).map((c) => ({ path, startLine: c.startLine, endLine: c.endLine, symbols: c.symbols, text: c.text }));
  return { path, chunks, terms: chunks.map((c) => termCounts(c.text)), fields: fileFields(path, chunks), similarity: new Float32Array(chunks.length) };
}

/** A small web shop: a router, payments, the database, sessions, some helpers — real code, as an index would hold it. */
const SHOP = [
  file(
    'shop/router.py',
    [
      'class Router:',
      '    """Matches request paths against the registered routes; a wildcard segment (*rest) matches what is left of the path."""',
      '',
      '    def __init__(self):',
      '        self.routes = []',
      '',
      '    def add(self, pattern, handler):',
      '        segments = pattern.strip("/").split("/")',
      '        self.routes.append((segments, handler))',
      '',
      '    def match(self, path):',
      '        parts = path.strip("/").split("/")',
      '        for segments, handler in self.routes:',
      '            if segments and segments[-1].startswith("*") and parts[: len(segments) - 1] == segments[:-1]:',
      '                return handler, {segments[-1][1:]: "/".join(parts[len(segments) - 1 :])}',
      '            if len(segments) == len(parts) and all(s == p or s.startswith(":") for s, p in zip(segments, parts)):',
      '                return handler, {s[1:]: p for s, p in zip(segments, parts) if s.startswith(":")}',
      '        return None, {}',
    ].join('\n'),
  ),
  file(
    'shop/payments.py',
    [
      'import time',
      '',
      'def charge(card, amount, retries=3):',
      '    """Charges the card; a timeout is retried with the same idempotency key so the customer is charged once."""',
      '    key = idempotency_key(card, amount)',
      '    for attempt in range(retries):',
      '        try:',
      '            return gateway_charge(card, amount, key)',
      '        except TimeoutError:',
      '            time.sleep(2 ** attempt)',
      '    raise PaymentFailed(card)',
      '',
      'def refund(charge_id):',
      '    return gateway_refund(charge_id)',
    ].join('\n'),
  ),
  file(
    'shop/db.py',
    [
      'import os',
      'import psycopg',
      '',
      'def connect():',
      '    """Opens the database connection from DATABASE_URL (postgres), with a pool of connections."""',
      '    return psycopg.connect(os.environ["DATABASE_URL"])',
      '',
      'def orders_of(customer_id):',
      '    with connect() as conn:',
      '        return conn.execute("SELECT * FROM orders WHERE customer_id = %s ORDER BY created", (customer_id,)).fetchall()',
    ].join('\n'),
  ),
  file(
    'shop/sessions.py',
    [
      'import hmac',
      '',
      'def sign(value, secret):',
      '    """Signs a session cookie so a user who edits it by hand is noticed: the signature no longer matches."""',
      '    return value + "." + hmac.new(secret, value.encode(), "sha256").hexdigest()',
      '',
      'def unsign(cookie, secret):',
      '    value, _, signature = cookie.rpartition(".")',
      '    return value if hmac.compare_digest(sign(value, secret), cookie) else None',
    ].join('\n'),
  ),
  file('shop/util.py', 'def slugify(text):\n    return "-".join(text.lower().split())\n\ndef money(cents):\n    return f"{cents / 100:.2f}"\n'),
];

/** The shop's index as the evidence reads it. */
function lookup(files: readonly RankableFile[]): WorkspaceLookup {
  const match = (text: string) => lexicalMatch(files, rankQuery(text, mentionsIn(text)));
  const unrelated = calibrationScores(match).sort();
  return {
    definedIn: (name) => files.filter((f) => f.chunks.some((c) => defines(c, name))).map((f) => f.path),
    uses: (id) => files.some((f) => (f.chunks as readonly (ChunkRef & { text?: string })[]).some((c) => new RegExp(`\\b${id}\\b`).test(c.text ?? ''))),
    hasFile: (mention) => namesFileIn(files.map((f) => f.path), mention),
    module: (parts) => projectModules(files.map((f) => f.path), []).resolve(parts),
    match,
    unrelated: () => unrelated,
  };
}

const shop = lookup(SHOP);

test('plain words that are this code base\'s own search it, and the reason names the file and the words', () => {
  for (const [q, path] of [
    ['How does the router match a path with a wildcard segment?', 'shop/router.py'],
    ['Why does our payments module charge the customer twice when a timeout is retried?', 'shop/payments.py'],
    ['If somebody edits their session cookie by hand, how is the signature checked?', 'shop/sessions.py'],
  ] as const) {
    const evidence = workspaceEvidence(q, [], shop);
    assert.equal(evidence.found, true, `${q}: ${evidence.why}`);
    assert.match(evidence.why, new RegExp(`^its words are this code base's own: ${path.replace('.', '\\.')} holds `), q);
  }
});

test('questions about other things search nothing, even with words the code base uses', () => {
  for (const q of [
    'What is the capital of Australia?',
    'Two players roll dice; the higher total wins and the other loses. Show the probability that both roll a double.',
    'What is the best route to drive from Lyon to Geneva in winter?',
    'Explain big-O notation with an example.',
  ]) {
    const evidence = workspaceEvidence(q, [], shop);
    assert.equal(evidence.found, false, `${q}: ${evidence.why}`);
  }
  assert.match(workspaceEvidence('What is the best route to drive from Lyon to Geneva in winter?', [], shop).why, /^too little of what it asks is in this code base: the closest match, shop\/router\.py, holds only route$/);
});

test('what the question names that the workspace holds: a file, a definition, a compound name it uses', () => {
  assert.deepEqual(workspaceEvidence('Is payments.py right about refunds?', [], shop), { found: true, why: 'the question names payments.py' });
  assert.deepEqual(workspaceEvidence('Why does orders_of sort by date?', [], shop), { found: true, why: 'the question names orders_of, which the workspace defines' });
  // A member through a module of its own, by the file's name (db.py).
  assert.deepEqual(workspaceEvidence('Where is db.connect tested?', [], shop), { found: true, why: 'the question names db.connect, which the workspace defines' });
  assert.deepEqual(workspaceEvidence('Who sets customer_id?', [], shop), { found: true, why: 'the question names customer_id, which the workspace uses' });
  // A member named through a library's receiver or a variable names the library's, though the workspace defines one so named.
  for (const library of ['How do I use socket.connect with a timeout?', 'Should I call hmac.sign, or is there a helper for it?']) {
    assert.equal(workspaceEvidence(library, [], shop).why.startsWith('the question names'), false, library);
  }
  // A capitalised name inside a sentence that the workspace defines in a file of that name is its own type, however plain the word.
  assert.deepEqual(workspaceEvidence('I think I found a bug: order of Router handlers. Which code is responsible?', [], shop), { found: true, why: 'the question names Router, which shop/router.py defines' });
  assert.equal(workspaceEvidence('Router order with two handlers: which is right?', [], shop).why.startsWith('the question names'), false, 'opening a sentence, a capital says nothing');
  assert.doesNotMatch(workspaceEvidence('I think I found a bug: order of Payments by card. Which code is responsible?', [], shop).why, /names Payments/, 'a file of that name that defines no such type');
  // One telling word is too little of what it asks, unless it names the file its words find.
  assert.deepEqual(workspaceEvidence('I think I found a bug: payments on weekends. Which code is responsible?', [], shop), { found: true, why: 'the question names payments, the name of shop/payments.py, which holds what it asks' });
  assert.equal(workspaceEvidence('I think I found a bug: refunds on weekends. Which code is responsible?', [], shop).found, false, 'the same word, naming no file');
  // Not there, or attached already: no evidence from the name.
  assert.equal(workspaceEvidence('Is parse.py right?', [], shop).why.startsWith('the question names'), false);
  assert.equal(workspaceEvidence('Why does orders_of sort by date?', [{ path: 'shop/db.py', text: 'def orders_of(customer_id): ...' }], shop).why.startsWith('the question names'), false);
});

test("a question's own code is about that code: its names are no evidence, its prose's words only beyond doubt; a path in a traceback is", () => {
  const exercise = 'This is supposed to return the largest of three numbers but returns None. Fix it:\n\n```python\ndef largest(a, b, c):\n    if a > b and a > c:\n        return a\n```';
  assert.deepEqual(workspaceEvidence(exercise, [], shop), { found: false, why: "the question's code does not name this project" });
  // A pasted issue whose code names nothing of the project, whose prose is this code base's own beyond doubt.
  const issue = 'A wildcard segment matches nothing when the route has a trailing slash.\n\n```python\n>>> handler, params = app.match("/files/")\n>>> params\n{}\n```';
  assert.equal(workspaceEvidence(issue, [], shop).found, true, workspaceEvidence(issue, [], shop).why);
  assert.equal(workspaceEvidence('I get this:\n\n```\n  File "shop/payments.py", line 9, in charge\nTimeoutError\n```', [], shop).why, 'the question names shop/payments.py');
  assert.equal(workspaceEvidence(`Why does my version differ from orders_of?\n\n\`\`\`python\ndef mine(c):\n    return c\n\`\`\``, [], shop).found, true);
});

test('whether a question could concern any workspace (an index never built is built only then)', () => {
  assert.equal(mayConcernAWorkspace('what is 2 + 2?'), false);
  assert.equal(mayConcernAWorkspace('How does the router match a wildcard segment?'), true);
  assert.equal(mayConcernAWorkspace('why does parse_row drop cells?'), true);
  assert.equal(mayConcernAWorkspace('Complete this:\n\n```python\ndef add(a, b):\n    """Adds."""\n```'), false);
  // Beside its own code, prose whose words could be a code base's: a pasted issue's.
  assert.equal(mayConcernAWorkspace('autodoc: an empty `__all__` attribute is ignored and every member is documented\n\n```python\n__all__ = []\n\ndef foo():\n    "docstring"\n```'), true);
});

test("a pasted issue's code names the project by importing its package, by a traceback's absolute path, or by calling its telling names", () => {
  const issue = (code: string) => `charge() retries forever when the gateway times out.\n\n\`\`\`python\n${code}\n\`\`\``;
  assert.deepEqual(workspaceEvidence(issue('from shop.payments import charge\ncharge(card, 100)'), [], shop), { found: true, why: "the question's code imports shop.payments, which is this project's shop/payments" });
  assert.deepEqual(workspaceEvidence(issue('import shop\nshop.payments.charge(card, 100)'), [], shop), { found: true, why: "the question's code imports shop, which is this project's shop" });
  assert.equal(workspaceEvidence(issue('Traceback (most recent call last):\n  File "/home/me/venv/lib/python3.11/site-packages/shop/payments.py", line 9, in charge\nTimeoutError'), [], shop).why, 'the question names /home/me/venv/lib/python3.11/site-packages/shop/payments.py');
  assert.deepEqual(workspaceEvidence(issue('key = idempotency_key(card, 100)\nrows = orders_of(customer)\nx = slugify(name)'), [], shop).found, true);
  // A module of another project, or the standard library's, names nothing here; neither do calls every code base makes.
  const other = (code: string) => `This prints the wrong length.\n\n\`\`\`python\n${code}\n\`\`\``;
  assert.deepEqual(workspaceEvidence(other('import json\nfrom os.path import join\nprint(len(join("a", "b")))'), [], shop), { found: false, why: "the question's code does not name this project" });
});

test('a name counts only when it is telling: "is" or "build" are every code base\'s', () => {
  const built = lookup([...SHOP, file('shop/build.py', 'def build(items):\n    return list(items)\n\ndef is(x):\n    return x\n')]);
  assert.equal(workspaceEvidence('What does build() return here and is() check?', [], built).why.startsWith('the question names'), false);
  assert.deepEqual(workspaceEvidence('Why does slugify() drop accents?', [], built), { found: true, why: 'the question names slugify, which the workspace defines' });
});

/** A small Go web framework: a router and a form binder, whose code uses slices, structs and their fields as all Go code does. */
const GO_FRAMEWORK = [
  file(
    'tree.go',
    [
      'package web',
      '',
      '// getValue walks the radix tree of routes; a wildcard segment (*filepath) catches the rest of the path.',
      'func (n *node) getValue(path string, params *Params) (handlers HandlersChain) {',
      '\tfor {',
      '\t\tprefix := n.path',
      '\t\tif len(path) > len(prefix) && path[:len(prefix)] == prefix {',
      '\t\t\tpath = path[len(prefix):]',
      '\t\t\tif n.wildChild {',
      '\t\t\t\tchild := n.children[len(n.children)-1]',
      '\t\t\t\tif child.nType == catchAll {',
      '\t\t\t\t\t*params = append(*params, Param{Key: child.path[2:], Value: path})',
      '\t\t\t\t\treturn child.handlers',
      '\t\t\t\t}',
      '\t\t\t}',
      '\t\t}',
      '\t\treturn n.handlers',
      '\t}',
      '}',
    ].join('\n'),
  ),
  file(
    'binding/form_mapping.go',
    [
      'package binding',
      '',
      'import (',
      '\t"reflect"',
      '\t"sort"',
      ')',
      '',
      '// mapForm sets the fields of a struct from form values, a slice of values for a slice field.',
      'func mapForm(ptr any, form map[string][]string) error {',
      '\tv := reflect.ValueOf(ptr).Elem()',
      '\tfields := make([]reflect.StructField, 0, v.NumField())',
      '\tfor i := 0; i < v.NumField(); i++ {',
      '\t\tfields = append(fields, v.Type().Field(i))',
      '\t}',
      '\tsort.Slice(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })',
      '\tfor _, field := range fields {',
      '\t\tif vals, ok := form[field.Name]; ok && field.Type.Kind() == reflect.Slice {',
      '\t\t\tsetSlice(v.FieldByName(field.Name), vals)',
      '\t\t}',
      '\t}',
      '\treturn nil',
      '}',
    ].join('\n'),
  ),
];

test('a question about code in general in the workspace\'s own language is not about the workspace: its words are every Go code base\'s', () => {
  const go = lookup(GO_FRAMEWORK);
  // Each question as closely matched as 85 in 100 questions about other things: above the bar, not a strong match.
  const at85 = (question: string): WorkspaceLookup => {
    const strength = go.match(question).strength;
    return { ...go, unrelated: () => Float64Array.from({ length: 100 }, (_, i) => (i < 85 ? strength / 2 : strength * 2)) };
  };
  const general = 'sort a slice of structs by two fields (last name then first name)';
  assert.deepEqual(go.match(general).languages, ['go']);
  const evidence = workspaceEvidence(general, [], at85(general));
  assert.equal(evidence.found, false, evidence.why);
  assert.match(evidence.why, /^its words are every Go code base's: the closest match, binding\/form_mapping\.go, holds .* words all Go code uses as much$/);
  const own = 'How does the router match a wildcard segment in the radix tree?';
  const searched = workspaceEvidence(own, [], at85(own));
  assert.equal(searched.found, true, searched.why);
  assert.match(searched.why, /^its words are this code base's own: tree\.go holds /);
});

test('a question scoped to the workspace\'s language asks about the language: even a strong match of its words is no evidence', () => {
  const go = lookup(GO_FRAMEWORK);
  const strong = (question: string): WorkspaceLookup => {
    const strength = go.match(question).strength;
    return { ...go, unrelated: () => Float64Array.from({ length: 100 }, () => strength / 2) };
  };
  const unscoped = 'sort a slice of structs by two fields (last name then first name)';
  assert.equal(workspaceEvidence(unscoped, [], strong(unscoped)).found, true, 'closer than every question about other things: searched whatever its words');
  for (const scoped of ['sort a slice of structs by two fields in Go (last name then first name)', 'golang: sort a slice of structs by two fields']) {
    const evidence = workspaceEvidence(scoped, [], strong(scoped));
    assert.equal(evidence.found, false, evidence.why);
    assert.match(evidence.why, /^it asks about Go in general: the closest match, binding\/form_mapping\.go, holds .* words all Go code uses as much$/);
  }
  const own = 'In Go, how does the router match a wildcard segment in the radix tree?';
  assert.equal(workspaceEvidence(own, [], strong(own)).found, true, "naming the language does not hide the code base's own words");
  // Scoped to the language, a few words of the code base's own (tree, rest: 0.52 of the 1.0 it needs) are not enough.
  const little = 'In Go, how does the tree catch the rest of the path?';
  assert.deepEqual(workspaceEvidence(little, [], strong(little)), { found: false, why: 'it asks about Go in general: the closest match, tree.go, holds tree, path and rest' });
  assert.equal(workspaceEvidence('How does the tree catch the rest of the path?', [], strong(little)).found, true, 'the same words, not scoped');
  // "go" and "c" are words of ordinary prose too: only written as a name do they name the language.
  for (const plain of ['where do the slice and the struct fields go once the form is sorted?', 'Go through the struct fields of the form: how is the slice sorted?']) {
    assert.equal(workspaceEvidence(plain, [], strong(plain)).found, true, plain);
  }
});

test("a library's names the workspace only uses are the library's: a question about them is not about the workspace, a rare one is", () => {
  const go = lookup([
    ...GO_FRAMEWORK,
    file(
      'fs.go',
      [
        'package web',
        '',
        'import (',
        '\t"errors"',
        '\t"io/fs"',
        '\t"net/http"',
        ')',
        '',
        '// open wraps the file system; a missing file is reported as not found, any other error as it came.',
        'func (e *Engine) open(name string) (http.File, error) {',
        '\tf, err := e.fsys.Open(name)',
        '\tif errors.Is(err, fs.ErrNotExist) {',
        '\t\treturn nil, errNotFound',
        '\t}',
        '\tvar pathErr *fs.PathError',
        '\tif errors.As(err, &pathErr) && e.trustedCIDRs == nil {',
        '\t\treturn nil, pathErr',
        '\t}',
        '\treturn f, err',
        '}',
      ].join('\n'),
    ),
  ]);
  // As closely matched as every question about other things and more: a strong match whatever its words.
  const strong: WorkspaceLookup = { ...go, unrelated: () => Float64Array.from({ length: 100 }, () => 0.01) };
  const general = "What's the difference between errors.Is and errors.As, and when do I wrap an error?";
  const evidence = workspaceEvidence(general, [], strong);
  assert.equal(evidence.found, false, evidence.why);
  assert.doesNotMatch(evidence.why, /holds[^:]*\b(is|as)\b/, 'the library\'s names are not read as the words of this code base');
  const rare = 'I think I found a bug: data race with trustedCIDRs. Which code is responsible?';
  const searched = workspaceEvidence(rare, [], strong);
  assert.equal(searched.found, true, searched.why);
  assert.match(searched.why, /fs\.go holds trustedcidrs/);
});

test("a generic type written in prose is code: its library's names are no evidence, the workspace's own type is", () => {
  const rust = lookup([
    file(
      'src/extract/state.rs',
      [
        'use std::cell::RefCell;',
        'use std::rc::Rc;',
        'use std::sync::{Arc, Mutex};',
        '',
        '/// Shared application state: cloned into every handler, behind an Arc<Mutex<T>> when handlers change it.',
        'pub struct AppState {',
        '    pub hits: Arc<Mutex<u64>>,',
        '    pub cache: Rc<RefCell<Vec<String>>>,',
        '}',
        '',
        'impl AppState {',
        '    pub fn count_hit(&self) -> u64 {',
        '        let mut hits = self.hits.lock().unwrap();',
        '        *hits += 1;',
        '        *hits',
        '    }',
        '}',
      ].join('\n'),
    ),
    file('src/routing/path_router.rs', 'pub struct PathRouter {\n    routes: Vec<(String, usize)>,\n}\n\nimpl PathRouter {\n    /// Finds the route whose wildcard segment matches the rest of the path.\n    pub fn route_for(&self, path: &str) -> Option<usize> {\n        self.routes.iter().find(|(p, _)| path.starts_with(p.as_str())).map(|(_, id)| *id)\n    }\n}\n'),
  ]);
  const strong: WorkspaceLookup = { ...rust, unrelated: () => Float64Array.from({ length: 100 }, () => 0.01) };
  const general = 'When do I need an Arc<Mutex<Vec<T>>> rather than a plain Vec<T>, and what does the Mutex cost?';
  const evidence = workspaceEvidence(general, [], strong);
  assert.equal(evidence.found, false, evidence.why);
  const own = 'Why does the hit counter of Arc<AppState> count a hit twice?';
  assert.deepEqual(workspaceEvidence(own, [], strong), { found: true, why: 'the question names AppState, which the workspace defines' });
});

test("the code background by language: a word every file of one language holds tells nothing of a code base in it", () => {
  assert.equal(languageOf('binding/form_mapping.go'), 'go');
  assert.equal(languageOf('src/index.tsx'), 'javascript');
  assert.equal(languageOf('README.md'), undefined);
  for (const [word, language] of [['slice', 'go'], ['trait', 'rust'], ['kotlin', 'java']] as const) {
    const id = hash(termsIn(word)[0] ?? word);
    assert.ok(codeSpecificity(id) > 0.1, `${word} is rare enough in code in general`);
    assert.equal(codeSpecificity(id, [language]), 0, `${word} is in most ${language} code`);
  }
  assert.ok(codeSpecificity(hash('wildcard'), ['go']) > 0.5, 'a word rare in the code of every language stays telling');
});
