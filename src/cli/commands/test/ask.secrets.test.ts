/**
 * Nothing secret leaves the machine (issue 34, point 1): a workspace with every form of secret the issue found sent,
 * each planted with a value of its own, asked about as a user would through `smcs ask --workspace --json` against a
 * loopback server whose embeddings endpoint is the embedder. No planted value may reach any request (chat or
 * embeddings); every file left out or redacted is named in `contextNotes`; a file that gains a secret without changing
 * its size or time is still screened; `--file` of a secret file is refused unless `--allow-secrets`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import type { AskDocument } from '../../askDocument';

const temp = tempDir('smcs-ask-secrets-');
const env = { SMCS_HOME: path.join(temp.dir, 'home') };
const ws = path.join(temp.dir, 'shop');
let server: LoopbackUpstream;
let configFile: string;

const PEM = (body: string): string => `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\nQyNTUxOQAAACDx8q2Lm9Vz3Rw7Kp4Tn6Yb1Hc5Jd0Gf8Ue2Io7Pa3SsAAAAJhQx\n-----END OPENSSH PRIVATE KEY-----\n`;

/** Each planted secret: the file, its text, the value that must never be sent, and whether the file is left out whole. */
const PLANTED: { file: string; text: string; value: string; leftOut: boolean }[] = [
  { file: '.env', text: 'DATABASE_URL=postgres://shop:EnvPw4Kq9Zt@db:5432/shop\nDEBUG=1\n', value: 'EnvPw4Kq9Zt', leftOut: true },
  { file: '.envrc', text: 'export STRIPE_API_KEY=EnvrcK3y7Xq2Lm\nuse nix\n', value: 'EnvrcK3y7Xq2Lm', leftOut: true },
  { file: '.aws/credentials', text: '[default]\naws_access_key_id = ZXQKAWSID7PLMN3T\naws_secret_access_key = AwsSecr3t/8Kq2mZx9Lp+Wv4Rt7Yb1Nc6Hd3Js0\n', value: 'AwsSecr3t/8Kq2mZx9Lp', leftOut: true },
  { file: 'deploy/credentials', text: '[deploy]\naws_access_key_id = DPLYK3YID9QW2ER4\naws_secret_access_key = DeploySecr3tQ8Wm2Xn5Vb7Lk4Jh1Gf6Ds9Ap3Zx\n', value: 'DPLYK3YID9QW2ER4', leftOut: true },
  { file: '.kube/config', text: 'apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: S3ViZUNsaWVudEtleURhdGFQbGFudGVkNzc=\n    token: KubeT0ken5Rq8Wx2\n', value: 'S3ViZUNsaWVudEtleURhdGFQbGFudGVkNzc=', leftOut: true },
  { file: '.docker/config.json', text: '{\n  "auths": {\n    "registry.shop.example": { "auth": "ZG9ja2VyOkRvY2tQdzh4UTI=" }\n  }\n}\n', value: 'ZG9ja2VyOkRvY2tQdzh4UTI=', leftOut: true },
  { file: 'deploy/app-secrets.yaml', text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  db-password: K8sDbPw3Lq7\n', value: 'K8sDbPw3Lq7', leftOut: true },
  { file: '.netrc', text: 'machine api.shop.example login deploy password NetrcPw6Ty1\n', value: 'NetrcPw6Ty1', leftOut: true },
  { file: '.pgpass', text: 'db.shop.internal:5432:shop:shop:PgpassPw2Hx8\n', value: 'PgpassPw2Hx8', leftOut: true },
  { file: 'keys/id_deploy', text: PEM('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQIdDeployPlantedKey4Qx9Lm2Vz'), value: 'IdDeployPlantedKey4Qx9Lm2Vz', leftOut: true },
  { file: 'certs/server.key', text: PEM('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQServerKeyPlanted8Rw3Tn6Yb1'), value: 'ServerKeyPlanted8Rw3Tn6Yb1', leftOut: true },
  { file: 'config/keys.ini', text: '[payments]\napi_key = IniApiK3y5Wq\nsecret = IniS3cr3t8Zr\n', value: 'IniApiK3y5Wq', leftOut: true },
  {
    file: 'app/settings.py',
    text: 'import os\n\n# How the app connects to its database: one URL for the connection pool.\nDATABASE_URL = "postgres://shop:SettingsDbPw7Xq2@db.shop.internal:5432/shop"\nDATABASE_POOL_SIZE = int(os.environ.get("POOL", "5"))\nDATABASE_PASSWORD_FALLBACK = os.environ["DB_PASSWORD"]\n',
    value: 'SettingsDbPw7Xq2',
    leftOut: false,
  },
  {
    file: 'config/database.yml',
    text: 'default: &default\n  adapter: postgresql\n  pool: 5\n  timeout: 5000\n\nproduction:\n  <<: *default\n  database: shop\n  username: shop\n  password: YmlDbPw9Kt4\n  host: db.shop.internal\n',
    value: 'YmlDbPw9Kt4',
    leftOut: false,
  },
  {
    file: 'app/client.py',
    text: 'import requests\n\nAPI_KEY = "Sh0rtK3y"\nBASE = "https://api.shop.example"\n\n\ndef fetch_orders(session: requests.Session) -> list:\n    """How the client authenticates: a bearer token in the Authorization header."""\n    headers = {"Authorization": "Bearer ClientBearer9Vx2Lq7Zt4Mn", "X-Api-Key": API_KEY}\n    return session.get(f"{BASE}/orders", headers=headers, timeout=10).json()\n',
    value: 'ClientBearer9Vx2Lq7Zt4Mn',
    leftOut: false,
  },
];
/** Values planted beside others in the same file, which must not be sent either. */
const ALSO_PLANTED = ['Sh0rtK3y', 'ZXQKAWSID7PLMN3T', 'KubeT0ken5Rq8Wx2', 'IniS3cr3t8Zr', 'DeploySecr3tQ8Wm2Xn5Vb7Lk4Jh1Gf6Ds9Ap3Zx'];

const DB_PY = 'from app.settings import DATABASE_URL\n\n\ndef connect(pool):\n    """Opens the connection pool to the shop database."""\n    return pool.connect(DATABASE_URL)\n';

before(async () => {
  server = await startLoopbackUpstream({ models: ['m1', 'agg', 'emb'].map((id) => ({ id })) });
  server.script('m1', { reply: 'Reply.' });
  server.script('agg', { reply: 'Combined.' });
  for (const p of PLANTED) {
    mkdirSync(path.dirname(path.join(ws, p.file)), { recursive: true });
    writeFileSync(path.join(ws, p.file), p.text);
  }
  writeFileSync(path.join(ws, 'app', 'db.py'), DB_PY);
  configFile = path.join(temp.dir, 'config.json');
  const endpoint = { id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'agg', 'emb'] };
  // The embedder is an endpoint too: what is indexed must not leave the machine either.
  writeFileSync(configFile, JSON.stringify({ endpoints: [endpoint], embedding: { provider: 'endpoint', endpoint: 'local', model: 'emb' }, aggregator: 'agg', bank: path.join(temp.dir, 'bank'), k: 1, n: 1 }));
});

after(async () => {
  await server.close();
  temp.cleanup();
});

async function ask(question: string, ...args: string[]): Promise<AskDocument> {
  const run = await runCliHere(['--config', configFile, 'ask', question, '--workspace', ws, '--json', ...args], env);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as AskDocument;
}

/** Every request body the loopback server received, as one text. */
const sentSoFar = (): string => server.requests.map((r) => JSON.stringify(r.body)).join('\n');

test('asked about the database, the credentials and the authentication, no planted value is sent and the secret files each question is about are named', async () => {
  const questions: [string, string[]][] = [
    ['How does the app connect to the database? Where is DATABASE_URL set?', []],
    ['Where are the cloud credentials configured for deploys?', []],
    ['How does the client authenticate in fetch_orders?', []],
    ['How does the app connect to the database pool and which password does production use?', ['--context', 'always']],
  ];
  const docs: AskDocument[] = [];
  for (const [question, args] of questions) docs.push(await ask(question, ...args));
  const sent = sentSoFar();
  assert.ok(server.requests.some((r) => r.path.endsWith('/embeddings')), 'the endpoint embedder indexed the workspace');
  for (const value of [...PLANTED.map((p) => p.value), ...ALSO_PLANTED]) assert.ok(!sent.includes(value), `${value} reached a request`);
  for (const doc of docs) {
    for (const item of doc.context ?? []) assert.ok(!PLANTED.some((p) => p.leftOut && p.file === item.path), `${item.path} was sent`);
  }
  // A secret file is named when the question is about it — it sets DATABASE_URL; its path or kind says credentials or
  // deploy — not on every search (core/retrieval/askedSecrets).
  const withheld = (doc: AskDocument | undefined): string[] => (doc?.contextNotes ?? []).filter((n) => n.includes(' left out: ') && !n.includes('redacted')).map((n) => n.split(' left out: ')[0] as string);
  assert.deepEqual(withheld(docs[0]), ['.env']);
  for (const file of ['.aws/credentials', 'deploy/credentials', 'deploy/app-secrets.yaml', '.netrc']) assert.ok(withheld(docs[1]).includes(file), `${file} in ${JSON.stringify(withheld(docs[1]))}`);
  assert.deepEqual(withheld(docs[2]), [], 'the client question is about none of them');
  // The question about the database sees the code around its password.
  const database = docs[3];
  const paths = new Set((database?.context ?? []).map((c) => c.path));
  assert.ok(paths.has('app/settings.py') && paths.has('config/database.yml'), JSON.stringify([...paths]));
  // Each value withheld is named where it is from, one note each, never with its value.
  assert.ok(database?.contextNotes?.includes('app/settings.py line 4 (database password) left out: redacted in place'), JSON.stringify(database?.contextNotes));
  assert.ok(database?.contextNotes?.includes('config/database.yml line 10 (password) left out: redacted in place'), JSON.stringify(database?.contextNotes));
  assert.match(sent, /postgres:\/\/shop:«redacted: database password»@db\.shop\.internal:5432\/shop/);
  assert.match(sent, /password: «redacted: password»/);
  const client = docs[2];
  assert.ok((client?.context ?? []).some((c) => c.path === 'app/client.py'), JSON.stringify(client?.context));
  const clientNotes = (client?.contextNotes ?? []).filter((n) => n.startsWith('app/client.py '));
  assert.deepEqual(clientNotes.map((n) => n.replace(/ line \d+/, '')), ['app/client.py (API key) left out: redacted in place', 'app/client.py (bearer token) left out: redacted in place'], JSON.stringify(client?.contextNotes));
  assert.ok(sent.includes('\\"Authorization\\": \\"Bearer «redacted: bearer token»\\"'), 'the header is sent without its token');
});

test('a secret written into an indexed file that keeps its size and time is caught on the text about to be sent', async () => {
  const file = path.join(ws, 'app', 'db.py');
  // Whole seconds, so the time set again below is exactly the time the index recorded.
  const time = Math.floor(Date.now() / 1000) - 60;
  utimesSync(file, time, time);
  await ask('How does connect in app/db.py open the pool?', '--context', 'always');
  const before = statSync(file);
  const stale = 'StaleT0k3nQ8w';
  const rewritten = DB_PY.replace('"""Opens the connection pool to the shop database."""', `API_TOKEN = "${stale}"`);
  const padded = rewritten.replace('\n\n\ndef', `\n${' '.repeat(DB_PY.length - rewritten.length)}\n\ndef`);
  assert.equal(padded.length, DB_PY.length);
  writeFileSync(file, padded);
  utimesSync(file, time, time);
  assert.equal(statSync(file).mtimeMs, before.mtimeMs);
  const doc = await ask('How does connect in app/db.py open the pool?', '--context', 'always');
  assert.ok((doc.context ?? []).some((c) => c.path === 'app/db.py'), 'the file is still sent');
  assert.ok(!sentSoFar().includes(stale), 'the stale verdict did not let the token through');
  assert.ok(doc.contextNotes?.includes('app/db.py line 5 (token) left out: redacted in place'), JSON.stringify(doc.contextNotes));
});

test('--file of a secret file is refused without --allow-secrets, naming it and what it holds; with it, the file is sent and said', async () => {
  const before = server.requests.length;
  for (const p of PLANTED) {
    const run = await runCliHere(['--config', configFile, 'ask', 'What is in this file?', '--workspace', ws, '--file', path.join(ws, p.file), '--json'], env);
    assert.equal(run.code, 2, `${p.file}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`--file .*${p.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds secrets \\(`));
  }
  assert.equal(server.requests.length, before, 'nothing was sent');
  const allowed = await ask('What is in this file?', '--context', 'none', '--file', path.join(ws, '.pgpass'), '--allow-secrets');
  assert.deepEqual(allowed.contextNotes, ['.pgpass: sent with its secrets (credentials holding 1 database password) because of --allow-secrets']);
  assert.ok(sentSoFar().includes('PgpassPw2Hx8'), 'the user chose to send it as it is');
});

test('--file reads only regular files, and a link leaving the workspace is named', async () => {
  const fifo = path.join(temp.dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  for (const [file, what] of [[fifo, 'a named pipe'], ['/dev/zero', 'a device'], [path.join(ws, 'app'), 'a folder']] as const) {
    const run = await runCliHere(['--config', configFile, 'ask', 'What is in it?', '--file', file], env);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.stderr.includes(`--file ${file} is ${what}, not a regular file; only regular files are read`), run.stderr);
  }
  const outside = path.join(temp.dir, 'passwd');
  writeFileSync(outside, 'root:x:0:0:root:/root:/bin/bash\n');
  symlinkSync(outside, path.join(ws, 'notes.txt'));
  const run = await runCliHere(['--config', configFile, 'ask', 'What is in notes.txt?', '--workspace', ws, '--json', '--context', 'none', '--file', path.join(ws, 'notes.txt')], env);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((JSON.parse(run.stdout) as AskDocument).contextNotes, [`notes.txt is a link to ${outside}, outside the workspace`]);
  assert.ok(run.stderr.includes(`smcs: warning: notes.txt is a link to ${outside}, outside the workspace`), `said on stderr too: ${run.stderr}`);
  const text = await runCliHere(['--config', configFile, 'ask', 'What is in notes.txt?', '--workspace', ws, '--context', 'none', '--file', path.join(ws, 'notes.txt')], env);
  assert.equal(text.code, 0, text.stderr);
  assert.ok(text.stderr.includes(`notes.txt is a link to ${outside}, outside the workspace`), `said without --json: ${text.stderr}`);
  assert.ok(server.requests.some((r) => JSON.stringify(r.body).includes('root:x:0:0')), 'sent, as the user asked, and named');
});
