/**
 * What an ask gathers from a workspace (engine/workspaceContext): search only on evidence, notes saying why nothing
 * was sent, and saved files indexed one by one without a walk of the workspace.
 */
import { test } from 'node:test';
import { contextItem } from '../../core/context/contextItem';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceWith, type WorkspaceUnderTest } from '../../../test/fixtures/workspaceContexts';

/** Two modules of a rich-like workspace; `request` is the `auto` ask's workspace request. */
function setUp(): Omit<WorkspaceUnderTest, 'workspace'> & { request: WorkspaceUnderTest['workspace'] } {
  const { workspace, ...rest } = workspaceWith(
    {
      'rich/scores.py': 'def parse_scores(text):\n    return [int(x) for x in text.split(",")]\n',
      'rich/panel.py': 'class Panel:\n    def render_title(self, title):\n        return title.upper()\n',
    },
    'smcs-workspace-context-',
  );
  return { ...rest, request: workspace };
}

const signal = new AbortController().signal;

test('a plain question searches nothing and says so; a question the index confirms is about the workspace does', async () => {
  const { contexts, request, cleanup } = setUp();
  try {
    const plain = await contexts.gather('What is the capital of Australia?', { workspace: request, signal });
    assert.deepEqual(plain?.items, []);
    assert.deepEqual(plain?.notes, ['not searched: no file of the workspace holds what is telling in its words']);
    const named = await contexts.gather('Why does parse_scores fail on spaces?', { workspace: request, signal });
    assert.equal(named?.items[0]?.path, 'rich/scores.py');
    assert.equal(named?.items[0]?.reason, 'defines parse_scores');
    assert.deepEqual(named?.notes, ['searched: the question names parse_scores, which the workspace defines']);
    const always = await contexts.gather('What is the capital of Australia?', { workspace: { ...request, retrieval: 'always' }, signal });
    assert.match(always?.notes[0] ?? '', /^nothing retrieved from the workspace: nothing in the workspace matches the question/);
  } finally {
    cleanup();
  }
});

test('a follow-up that names nothing leans on the earlier question that named the code: the code goes again, and the note says why', async () => {
  const { contexts, request, cleanup } = setUp();
  try {
    const asked = { question: 'Why does parse_scores fail on spaces?', answer: 'It splits on commas only.' };
    const followUp = await contexts.gather('And how would I make it accept them?', { workspace: request, history: [asked], signal });
    assert.equal(followUp?.items[0]?.path, 'rich/scores.py');
    assert.deepEqual(followUp?.notes, ['searched: a follow-up: an earlier question names parse_scores, which the workspace defines']);
    // Two turns on: the newest earlier question with evidence still carries it; a conversation about nothing here does not.
    const later = await contexts.gather('Is that fast enough?', { workspace: request, history: [asked, { question: 'And how would I make it accept them?', answer: 'Strip each part.' }], signal });
    assert.equal(later?.items[0]?.path, 'rich/scores.py');
    const plain = await contexts.gather('And in Rust?', { workspace: request, history: [{ question: 'What is the capital of Australia?', answer: 'Canberra.' }], signal });
    assert.deepEqual(plain?.items, []);
    assert.deepEqual(plain?.notes, ['not searched: no file of the workspace holds what is telling in its words']);
  } finally {
    cleanup();
  }
});

test('a plain question does not wait for an index never built; one that may concern the workspace builds it first', async () => {
  const { contexts, request, cleanup } = setUp();
  try {
    const plain = await contexts.gather('what is 2 + 2?', { workspace: request, signal });
    assert.deepEqual(plain?.notes, ['not searched: no file of the workspace holds what is telling in its words']);
    assert.equal((await contexts.refresh(request, signal)).indexed, 2, 'the plain question built nothing');
  } finally {
    cleanup();
  }
  const second = setUp();
  try {
    const named = await second.contexts.gather('When a Panel has a title, why is it upper case?', { workspace: second.request, signal });
    assert.deepEqual(named?.items.map((i) => i.path), ['rich/panel.py']);
    assert.equal((await second.contexts.refresh(second.request, signal)).indexed, 0, 'built for the question that needed it');
  } finally {
    second.cleanup();
  }
});

test('the open file goes in proportion: none of it for a question that does not refer to it, the part referred to otherwise', async () => {
  const { contexts, request, cleanup } = setUp();
  const big = Array.from({ length: 200 }, (_, i) => `def helper_${i}(x):\n    return x * ${i} + len(str(x)) - ${i % 7}\n`).join('\n');
  const openFile = { path: 'rich/helpers.py', text: big, cursorLine: 31 };
  try {
    const unrelated = await contexts.gather('Why does parse_scores fail on spaces?', { workspace: request, editor: { openFile }, signal });
    assert.deepEqual(unrelated?.items.map((i) => i.path), ['rich/scores.py']);
    assert.deepEqual(unrelated?.notes, ['searched: the question names parse_scores, which the workspace defines; open file: rich/helpers.py not sent: the question does not refer to it']);
    const about = await contexts.gather('Why does this function add the length?', { workspace: request, editor: { openFile }, signal });
    assert.deepEqual(about?.items.map((i) => [i.path, i.startLine, i.endLine, i.reason]).slice(0, 1), [['rich/helpers.py', 31, 32, 'current file: the definition at the cursor']]);
    assert.match(about?.notes.at(-1) ?? '', /^not searched: .*; open file: lines 31–32 of rich\/helpers\.py \(the definition at the cursor, and an outline\), [\d,]+ tokens$/);
    const secret = await contexts.gather('What is in this file?', { editor: { openFile: { path: '.env', text: 'API_KEY=sk-live-0123456789abcdef0123456789abcdef\n', cursorLine: 1 } }, signal });
    assert.deepEqual(secret?.items, []);
    assert.match(secret?.notes[0] ?? '', /^the current file was not sent: .*\(attach it with #file:\.env to send it\)$/);
  } finally {
    cleanup();
  }
});

test('Ask About Selection sends the selected lines once: the part of the open file at the cursor leaves them out', async () => {
  const { contexts, cleanup } = setUp();
  const text = Array.from({ length: 120 }, (_, i) => `total_${i} = total_${i - 1} + ${i}  # step ${i}`).join('\n');
  const openFile = { path: 'rich/totals.py', text, cursorLine: 40 };
  const selected = text.split('\n').slice(35, 45).join('\n');
  const selection = contextItem({ source: 'selection', path: 'rich/totals.py', startLine: 36, endLine: 45, text: selected, reason: 'selected' });
  try {
    const gathered = await contexts.gather('Why does this step add the index?', { attachments: [selection], editor: { openFile }, signal });
    const lines = (gathered?.items ?? []).filter((i) => i.path === 'rich/totals.py' && i.outline !== true).flatMap((i) => Array.from({ length: i.endLine - i.startLine + 1 }, (_, k) => i.startLine + k));
    assert.ok(lines.includes(40), 'the selection is sent');
    assert.equal(new Set(lines).size, lines.length, `a line went twice: ${JSON.stringify(gathered?.items.map((i) => [i.source, i.startLine, i.endLine]))}`);
  } finally {
    cleanup();
  }
});

test('saved files are indexed again by themselves: no walk, so a file the editor did not report waits for the next refresh', async () => {
  const { contexts, root, request, cleanup } = setUp();
  try {
    assert.equal((await contexts.refresh(request, signal)).indexed, 2);
    writeFileSync(path.join(root, 'rich', 'scores.py'), 'def parse_scores(text):\n    return [float(x) for x in text.split(";")]\n\n\ndef mean_score(scores):\n    return sum(scores) / len(scores)\n');
    writeFileSync(path.join(root, 'rich', 'unreported.py'), 'def unreported_helper():\n    return 1\n');
    await contexts.updateFiles(request, ['rich/scores.py'], signal);
    const after = await contexts.refresh(request, signal);
    assert.equal(after.indexed, 1, 'the saved file was indexed already; only the one nobody reported is read by the walk');
    assert.equal(after.files, 3);
    const found = await contexts.gather('How is mean_score computed?', { workspace: { ...request, retrieval: 'none', definitions: ['mean_score'] }, signal });
    assert.deepEqual(found?.items.map((i) => [i.path, i.reason]), [['rich/scores.py', 'defines mean_score']]);
  } finally {
    cleanup();
  }
});

test('a question that may concern the workspace waits for the build under way (the panel starts one); a plain one does not', async () => {
  const { contexts, request, cleanup } = setUp();
  try {
    const building = contexts.refresh(request, signal);
    const named = await contexts.gather('Why does Panel upper-case the title?', { workspace: request, signal });
    assert.equal(named?.items[0]?.path, 'rich/panel.py', JSON.stringify(named?.notes));
    await building;
    const plain = await contexts.gather('What is the capital of Australia?', { workspace: request, signal });
    assert.deepEqual(plain?.items, []);
  } finally {
    cleanup();
  }
});

test('a question about the secrets names every secret file it asks about, searched or not; others name none', async () => {
  const { contexts, workspace, cleanup } = workspaceWith(
    {
      '.env': 'DATABASE_URL=postgres://shop:hunter2@db.internal/shop\nSTRIPE_KEY=sk_live_0123456789abcdefghijklmnop\n',
      'deploy/app-secrets.yaml': 'apiVersion: v1\nkind: Secret\ndata:\n  token: c2VjcmV0\n',
      'shop/db.py': 'import os\n\ndef connect():\n    return os.environ["DATABASE_URL"]\n',
    },
    'smcs-workspace-secrets-',
  );
  try {
    await contexts.refresh(workspace, signal);
    const asked = await contexts.gather('Which environment variables and secrets does this project need to run?', { workspace, signal });
    assert.ok(asked?.notes.includes('.env left out: environment file'), JSON.stringify(asked?.notes));
    assert.ok(asked?.notes.includes('deploy/app-secrets.yaml left out: secrets file'), JSON.stringify(asked?.notes));
    assert.ok(!asked?.items.some((i) => i.path === '.env' || i.path.endsWith('app-secrets.yaml') || i.text.includes('hunter2')));
    const plain = await contexts.gather('What is the capital of Australia?', { workspace, signal });
    assert.deepEqual(plain?.notes.filter((n) => n.includes('left out')), []);
  } finally {
    cleanup();
  }
});

test('a piece of a definition too long to send whole goes with its signature, never a body without its head', async () => {
  const body = Array.from({ length: 260 }, (_, i) => `        value_${i} = self.lookup_default(ctx, "option_${i}") or self.fallback_${i % 7}`).join('\n');
  const { contexts, workspace, cleanup } = workspaceWith(
    {
      'click/core.py': `class Option:\n    # Resolves the default.\n    def get_default(self, ctx, call=True):\n        """The default value of the option."""\n${body}\n        envvar_prefix_missing = self.auto_envvar_prefix is None\n        return value_0\n`,
      'click/other.py': 'def unrelated():\n    return 1\n',
    },
    'smcs-workspace-signature-',
  );
  try {
    const found = await contexts.gather('Why is envvar_prefix_missing true when auto_envvar_prefix is None?', { workspace: { ...workspace, retrieval: 'always' }, signal });
    const items = found?.items.filter((i) => i.path === 'click/core.py') ?? [];
    const piece = items.find((i) => i.text.includes('envvar_prefix_missing = self.auto_envvar_prefix is None'));
    assert.ok(piece, JSON.stringify(items.map((i) => [i.startLine, i.endLine, i.reason])));
    assert.ok(piece.startLine > 3, 'the piece is deep in the body');
    const head = items.find((i) => i.reason.startsWith('the signature of get_default'));
    assert.deepEqual([head?.startLine, head?.endLine, head?.text.trim()], [3, 3, 'def get_default(self, ctx, call=True):']);
    assert.match(head?.reason ?? '', /^the signature of get_default \(lines 2–\d+, too long to send whole\)$/);
    assert.ok(items.indexOf(head as never) < items.indexOf(piece), 'the signature comes before the piece');
    // The class that holds the method is placed by the method's first line, not the piece's: its line goes once, first.
    const holder = items.filter((i) => i.reason.startsWith('the signature of Option'));
    assert.deepEqual(holder.map((i) => [i.startLine, i.endLine, i.text]), [[1, 1, 'class Option:']]);
    assert.ok(items.indexOf(holder[0] as never) < items.indexOf(head as never), 'the class line comes before the signature');
  } finally {
    cleanup();
  }
});

test('a method goes with the signature of the class or impl that holds it, once, before it', async () => {
  const filler = Array.from({ length: 90 }, (_, i) => `        self.value_${i} = self.lookup(ctx, "option_${i}")`).join('\n');
  const { contexts, workspace, cleanup } = workspaceWith(
    {
      'app/sessions.py': `import hmac\n\n\nclass SecureCookieSessionInterface(SessionInterface):\n    salt = "cookie-session"\n\n    def load_defaults(self, ctx):\n${filler}\n\n    def open_session(self, app, request):\n        try:\n            return self.serializer.loads(request.cookies["session"])\n        except BadSignature:\n            return self.session_class()\n`,
      'app/other.py': 'def unrelated():\n    return 1\n',
    },
    'smcs-workspace-holder-',
  );
  try {
    const found = await contexts.gather('Why does open_session hand back an empty session when the signature is bad?', { workspace, signal });
    const items = found?.items.filter((i) => i.path === 'app/sessions.py') ?? [];
    const method = items.find((i) => i.text.includes('def open_session'));
    assert.ok(method && (method.startLine ?? 0) > 4, JSON.stringify(items.map((i) => [i.startLine, i.endLine, i.reason])));
    const holder = items.filter((i) => i.text.includes('class SecureCookieSessionInterface'));
    assert.equal(holder.length, 1, 'the class line goes once');
    assert.deepEqual([holder[0]?.startLine, holder[0]?.endLine, holder[0]?.text], [4, 4, 'class SecureCookieSessionInterface(SessionInterface):']);
    assert.equal(holder[0]?.reason, `the signature of SecureCookieSessionInterface, which holds open_session (lines ${method.startLine}–${method.endLine})`);
    assert.ok(items.indexOf(holder[0]) < items.indexOf(method), 'the class line comes before the method');
  } finally {
    cleanup();
  }
});

test("a method right under its impl's line goes as one item that opens with it", async () => {
  const variants = Array.from({ length: 40 }, (_, i) => `    Variant${i} { key: String, value: String },`).join('\n');
  const arms = Array.from({ length: 40 }, (_, i) => `            ErrorKind::Variant${i} { key, value } => write!(f, "variant ${i} failed to parse {key} as {value}, try again"),`).join('\n');
  const { contexts, workspace, cleanup } = workspaceWith(
    {
      'src/errors.rs': `use std::fmt;\n\npub enum ErrorKind {\n${variants}\n}\n\nimpl fmt::Display for ErrorKind {\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n        match self {\n${arms}\n        }\n    }\n}\n`,
      'src/other.rs': 'pub fn unrelated() -> u32 {\n    1\n}\n',
    },
    'smcs-workspace-impl-',
  );
  try {
    const found = await contexts.gather('Why does the formatter write "failed to parse … try again" for every variant?', { workspace: { ...workspace, retrieval: 'always' }, signal });
    const items = found?.items.filter((i) => i.path === 'src/errors.rs') ?? [];
    const method = items.find((i) => i.text.includes('fn fmt(&self'));
    assert.ok(method, JSON.stringify(items.map((i) => [i.startLine, i.endLine, i.reason])));
    assert.deepEqual([method.startLine, method.text.split('\n')[0]], [46, 'impl fmt::Display for ErrorKind {']);
    assert.equal(items.filter((i) => i.text.includes('impl fmt::Display')).length, 1, 'the impl line goes once, in the method\'s item');
  } finally {
    cleanup();
  }
});

test('what a selection calls and nothing attached defines is found by name in the index, whatever the question says', async () => {
  const { contexts, request, cleanup } = setUp();
  const selection = contextItem({ source: 'selection', path: 'app/report.py', startLine: 2, endLine: 2, text: 'scores = parse_scores(line)', reason: 'selected' });
  try {
    const gathered = await contexts.gather('why is this slow?', { attachments: [selection], workspace: request, signal });
    const found = gathered?.items.find((i) => i.source === 'retrieved' && i.path === 'rich/scores.py');
    assert.equal(found?.reason, 'defines parse_scores');
    // The decision line says why a file of the workspace went, searched or not.
    assert.match(gathered?.notes.find((n) => /^(not )?searched: /.test(n)) ?? '', /; what the selection calls: parse_scores \(rich\/scores\.py\)$/);
    // Defined by an attached file already (read by the parser, as the index reads it): not looked up again.
    const attached = contextItem({ source: 'file', path: 'app/scores.py', startLine: 1, endLine: 2, text: 'def parse_scores(text):\n    return []\n', reason: 'attached' });
    const own = await contexts.gather('why is this slow?', { attachments: [selection, attached], workspace: request, signal });
    assert.equal(own?.items.some((i) => i.source === 'retrieved' && i.reason === 'defines parse_scores'), false);
  } finally {
    cleanup();
  }
});
