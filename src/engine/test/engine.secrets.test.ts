/**
 * Secret screening covers everything an ask sends besides workspace files (issue 34, point 1): every kind of attached
 * item — the selection (the chip's or Ask About Selection's, one item kind), the current file, problems, terminal output. Each carries a planted secret of every form users really have; a
 * loopback server records what reached it: no planted value, and the notes name what was redacted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, startEngine } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { contextItem } from '../../core/context/contextItem';
import type { ContextSource } from '../../core/contracts/contextReport';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import type { Engine } from '../types';

const PEM_BODY = 'MIIEowIBAAKCAQEA7PemPlantedBody4Qx9Lm2Vz8Rw3Tn6Yb1Hc5Jd0Gf8Ue2Io7Pa3Ss';

/** Each form of secret, with the value that must never be sent and what the note calls it. */
const FORMS = [
  { line: (tag: string) => `DATABASE_URL = "postgres://shop:PgPw${tag}7Kq2@db.internal:5432/shop"`, value: (tag: string) => `PgPw${tag}7Kq2`, kind: 'database password' },
  { line: (tag: string) => `aws_secret_access_key = "Qm8vTz3KpL9xWr2NcV5bYh7JdF4sGa1E${tag}R6tZy0M"`, value: (tag: string) => `Qm8vTz3KpL9xWr2NcV5bYh7JdF4sGa1E${tag}R6tZy0M`, kind: 'secret access key' },
  { line: (tag: string) => `headers = {"Authorization": "Bearer ClientBearer9${tag}Lq7Zt4Mn"}`, value: (tag: string) => `ClientBearer9${tag}Lq7Zt4Mn`, kind: 'bearer token' },
  { line: (tag: string) => `API_KEY = "Sh0${tag}K3y"`, value: (tag: string) => `Sh0${tag}K3y`, kind: 'API key' },
  { line: (tag: string) => `KEY = """-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}${tag}\nQyNTUxOQAAACDx8q2Lm9Vz3Rw7Kp4Tn6Yb1Hc5Jd0Gf8Ue2Io7Pa3SsAAAAJhQx\n-----END RSA PRIVATE KEY-----"""`, value: (tag: string) => `${PEM_BODY}${tag}`, kind: 'private key' },
];

/** Code around the planted lines, so the text is useful and redacted in place rather than left out as credentials. */
const planted = (tag: string): string =>
  ['import requests', '', 'def connect(pool):', '    """Opens the pool."""', ...FORMS.map((f) => f.line(tag)), '    return pool.connect(DATABASE_URL)', '', 'def fetch(session):', '    return session.get("/orders", headers=headers).json()', ''].join('\n');
const values = (tag: string): string[] => FORMS.map((f) => f.value(tag));

const temp = tempDir('smcs-engine-secrets-');
let server: LoopbackUpstream;
let engine: Engine;

before(async () => {
  server = await startLoopbackUpstream({ models: [{ id: 'm1' }, { id: 'agg' }] });
  engine = await startEngine({ baseUrl: server.baseUrl, models: ['m1', 'agg'], overrides: { aggregator: 'agg', k: 1, n: 1 } }, temp.dir);
});

after(async () => {
  await engine.dispose();
  await server.close();
  temp.cleanup();
});

async function ask(options: Omit<Parameters<Engine['ask']>[1], 'signal'>): Promise<{ result: AskResult; sent: string }> {
  const before = server.requests.length;
  const events = await collect(engine.ask('How does the app connect and authenticate?', { signal: new AbortController().signal, ...options }));
  const done = events.find((e): e is Extract<PipelineEvent, { type: 'done' }> => e.type === 'done');
  assert.ok(done, JSON.stringify(events.at(-1)));
  const requests = server.requests.slice(before);
  assert.ok(requests.some((r) => r.path.endsWith('/chat/completions')), 'the models were asked');
  return { result: done.result, sent: requests.map((r) => JSON.stringify(r.body)).join('\n') };
}

test('a selection is screened as a text of its file: an unquoted YAML password is found, the rest is sent under its file and lines', async () => {
  const yaml = ['production:', '  adapter: postgresql', '  username: shop', '  password: YmlSelPw9Kt4', '  host: db.internal'].join('\n');
  const selection = contextItem({ source: 'selection', path: 'config/database.yml', startLine: 6, endLine: 10, text: yaml, reason: 'selected', language: 'yaml' });
  const { result, sent } = await ask({ attachments: [selection] });
  assert.ok(!sent.includes('YmlSelPw9Kt4'), 'the password reached the server');
  assert.match(sent, /config\/database\.yml lines 6–10 \(selected\):\\n```yaml\\nproduction:[^`]*password: «redacted: password»\\n {2}host: db\.internal/);
  assert.deepEqual(result.context?.map((c) => [c.source, c.path]), [['selection', 'config/database.yml']]);
  assert.deepEqual(result.contextNotes, ['config/database.yml line 9 (password) left out: redacted in place']);
});

test('every kind of attached item — selection, current file, problems, terminal output — is screened the same way', async () => {
  const sources: [ContextSource, string, string][] = [
    ['selection', 'app/db.py', 'Sel'],
    ['currentFile', 'app/client.py', 'Cur'],
    ['problems', 'app/jobs.py', 'Prb'],
    ['terminal', 'terminal bash', 'Trm'],
  ];
  const attachments = sources.map(([source, path, tag]) => {
    const text = planted(tag);
    return contextItem({ source, path, startLine: 1, endLine: text.split('\n').length, text, reason: source });
  });
  const { result, sent } = await ask({ attachments });
  for (const [, , tag] of sources) for (const value of values(tag)) assert.ok(!sent.includes(value), `${value} reached the server`);
  assert.deepEqual(result.context?.map((c) => c.path).sort(), sources.map(([, path]) => path).sort(), 'each item is still sent, redacted');
  // One note per value withheld, at its line in what was attached.
  const expected = sources.flatMap(([, path]) => FORMS.map((f, i) => `${path} line ${5 + i} (${f.kind}) left out: redacted in place`));
  assert.deepEqual([...(result.contextNotes ?? [])].sort(), expected.sort());
});

test('terminal output that is nothing but credentials is left out whole, and said', async () => {
  const secrets = ['AWS_SECRET_ACCESS_KEY=Qm8vTz3KpL9xWr2NcV5bYh7JdF4sGa1EnvR6tZy0M', 'DB_PASSWORD=EnvDbPw5Rt8', 'STRIPE_API_KEY=EnvStr1peK9q', 'GITHUB_TOKEN=EnvGhT0ken4w'];
  const text = ['$ env | grep -iE "key|password|token"', ...secrets].join('\n');
  const { result, sent } = await ask({ attachments: [contextItem({ source: 'terminal', path: 'terminal bash', startLine: 1, endLine: 5, text, reason: 'last command' })] });
  for (const secret of secrets) assert.ok(!sent.includes(secret.split('=')[1] ?? secret), `${secret} reached the server`);
  assert.deepEqual(result.context, []);
  assert.deepEqual(result.contextNotes, ['terminal bash left out: credentials']);
});
