import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offerableFiles, screenNotes, screenText, secretFileKind, secretReason } from '../secretFiles';
import { findSecrets } from '../secretScan';
import { guardContext } from '../secretGuard';
import { fileItem } from '../../context/contextItem';

test('secret files are known by their names, wherever they are', () => {
  const names = [
    '.env', '.env.local', '.envrc', 'config/.env.production', 'certs/server.pem', 'tls.key', 'ca.crt', 'home/.ssh/id_rsa', 'id_ed25519.pub', 'id_deploy',
    'credentials.json', 'credentials', 'home/.aws/credentials', 'gcp/service-account-prod.json', '.netrc', '.pgpass', 'home/.kube/config',
    'home/.docker/config.json', 'deploy/secrets.yaml', 'deploy/app-secrets.yaml', 'k8s/db-secret.yml', 'C:\\proj\\.env',
  ];
  for (const name of names) assert.ok(secretFileKind(name), `${name} is a secret file`);
  const ordinary = ['src/env.ts', 'environment.py', 'keyboard.py', 'docs/keys.md', 'monkey.json', 'README.md', 'tokens.ts', 'config/database.yml', 'src/config.json', 'kube/deploy.yaml', 'src/credentials_form.tsx'];
  for (const name of ordinary) assert.equal(secretFileKind(name), undefined, name);
});

test('.npmrc and .pypirc count only when they carry a token or password', () => {
  assert.ok(secretFileKind('.npmrc', '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789'));
  assert.equal(secretFileKind('.npmrc', 'save-exact=true\nengine-strict=true\n'), undefined);
  assert.ok(secretFileKind('.pypirc', '[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n'));
  assert.equal(secretFileKind('.pypirc', '[distutils]\nindex-servers = pypi\n'), undefined);
});

/** [path, text, the secret value, what it is called]: each form the issue found sent, and gitleaks' own shapes. */
const FORMS: [string, string, string, string][] = [
  ['settings.py', 'DATABASE_URL = "postgres://shop:Vx8qTz2Lm9@db.internal:5432/shop"', 'Vx8qTz2Lm9', 'database password'],
  ['app.js', 'const url = "mongodb+srv://app:Qe7Rw3Ty1@cluster0.example.net/app";', 'Qe7Rw3Ty1', 'database password'],
  ['client.py', 'headers = {"Authorization": "Bearer pQ7x2Lk9Vb3Nm8Zt"}', 'pQ7x2Lk9Vb3Nm8Zt', 'bearer token'],
  ['api.http', 'GET /v1/items\nAuthorization: Basic YWRtaW46czNjcjN0', 'YWRtaW46czNjcjN0', 'basic auth credentials'],
  ['config.py', 'API_KEY = "k3yZ9q"', 'k3yZ9q', 'API key'],
  ['app.ts', 'const clientSecret = \'cs-77Hq\';', 'cs-77Hq', 'client secret'],
  ['settings.json', '{ "smtp": { "host": "mail", "password": "Mz4!pQ" } }', 'Mz4!pQ', 'password'],
  ['config/database.yml', 'production:\n  adapter: postgresql\n  password: Tr0ub4dor3\n  host: db', 'Tr0ub4dor3', 'password'],
  ['deploy.sh', 'export DB_PASSWORD=Hq93kLx0\n./migrate', 'Hq93kLx0', 'database password'],
  ['credentials', '[default]\naws_access_key_id = ZXKQ7PLMN3TRW5YB\naws_secret_access_key = f8Kq/2mZx9Lp+Wv4Rt7Yb1Nc6Hd3Js0Ge5Ua8Qo', 'ZXKQ7PLMN3TRW5YB', 'access key ID'],
  ['credentials', '[default]\naws_secret_access_key = f8Kq/2mZx9Lp+Wv4Rt7Yb1Nc6Hd3Js0Ge5Ua8Qo', 'f8Kq/2mZx9Lp+Wv4Rt7Yb1Nc6Hd3Js0Ge5Ua8Qo', 'secret access key'],
  ['.kube/config', 'users:\n- name: admin\n  user:\n    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2', 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2', 'Kubernetes client key'],
  ['.kube/config', 'users:\n- name: ci\n  user:\n    token: kT9x2Vq7Lm4Pz8Rw', 'kT9x2Vq7Lm4Pz8Rw', 'token'],
  ['.docker/config.json', '{"auths": {"registry.example.com": {"auth": "ZGVwbG95OnE5VHgyTHo="}}}', 'ZGVwbG95OnE5VHgyTHo=', 'registry credentials'],
  ['.netrc', 'machine api.example.com login bob password Nt7qXz2', 'Nt7qXz2', 'password'],
  ['.pgpass', 'db.internal:5432:shop:app:Pg8Lw2Qx', 'Pg8Lw2Qx', 'database password'],
  ['keys.py', 'KEY = """-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDx8q2Lm9Vz3Rw7Kp4Tn6Yb1Hc5Jd0Gf8Ue2Io7Pa3SsAAAAJhQx\n-----END OPENSSH PRIVATE KEY-----"""', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 'private key'],
  ['deploy.yml', 'token: ghp_Q7x2Lk9Vb3Nm8Zt4Rw6Yp1Hc5Jd0Gf8Ue2Io', 'ghp_Q7x2Lk9Vb3Nm8Zt4Rw6Yp1Hc5Jd0Gf8Ue2Io', 'token'],
  ['main.go', 'var stripeKey = sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe access token'],
  ['notify.py', 'requests.post(url, json=body)  # xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1', 'xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1', 'slack bot token'],
];

test('each secret form is found and named, and redacted in place with the lines kept', () => {
  for (const [path, text, value, kind] of FORMS) {
    const finds = findSecrets(text, path);
    const find = finds.find((f) => text.slice(f.start, f.end).includes(value.slice(0, 12)));
    assert.ok(find, `${path}: ${value} is found in ${JSON.stringify(text)} (found ${JSON.stringify(finds)})`);
    assert.equal(find.kind, kind, `${path}: ${value}`);
    const screened = screenText(path, text, true);
    assert.ok(!screened.text.includes(value), `${path}: ${value} is redacted`);
    assert.match(screened.text, new RegExp(`«redacted: ${kind}»`));
    assert.equal(screened.text.split('\n').length, text.split('\n').length, 'line numbers stay true');
  }
});

test('near misses are not secrets: reads of the environment, calls, hashes, UUIDs, names, messages and placeholders', () => {
  const code: [string, string][] = [
    ['db.py', 'password = os.environ["DB_PASSWORD"]\ntoken = get_token()\napi_key = os.getenv("API_KEY")'],
    ['auth.ts', 'const password = await askPassword(prompt);\nexport const AUTH_TOKEN_ENV = process.env.SMCS_TOKEN;\nheaders.Authorization = `Bearer ${token}`;'],
    ['tokenize.py', 'def tokenize(text):\n    token = next_token(text)\n    return token\nmax_tokens: 8192'],
    ['package-lock.json', '"integrity": "sha512-9xkQjSlq1lP7a2Fq8R3tW0yZcVbN6mH4gE5dJ2uK1oL8iP3sA7fD0hG9jB6vC5xM4nQ==",\n"resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz#3f786850e387550fdab836ed7e6dc881de23001b"'],
    ['ids.py', 'REQUEST_ID = "550e8400-e29b-41d4-a716-446655440000"\ncommit = "3f786850e387550fdab836ed7e6dc881de23001b"'],
    ['config/database.yml', 'production:\n  password: <%= ENV["DATABASE_PASSWORD"] %>\n  token: ${CI_TOKEN}\n  secret_name: db-credentials'],
    ['errors.py', 'raise ValueError("token: the token has expired, sign in again")\nlog.info("Bearer tokens are sent in the Authorization header")'],
    ['settings.py', 'PASSWORD_MIN_LENGTH = 12\ntoken_url = "https://example.com/oauth/token"\nprimary_key = "id"'],
  ];
  for (const [path, text] of code) assert.deepEqual(findSecrets(text, path).map((f) => [f.kind, text.slice(f.start, f.end)]), [], `${path}: ${text}`);
});

test('a text of credentials is left out whole; a useful file keeps its code with the value redacted', () => {
  const settings = 'import os\n\nDATABASE_URL = "postgres://shop:Vx8qTz2Lm9@db.internal:5432/shop"\nDEBUG = os.environ.get("DEBUG") == "1"\nALLOWED_HOSTS = ["*"]\n';
  const kept = screenText('app/settings.py', settings);
  assert.equal(kept.leftOut, undefined);
  assert.match(kept.text, /postgres:\/\/shop:«redacted: database password»@db\.internal:5432\/shop/);
  assert.deepEqual(screenNotes('app/settings.py', kept), ["app/settings.py line 3 (database password) left out: redacted in place"]);
  const onlyKeys = screenText('config/keys.ini', '[stripe]\napi_key = Zq7x2Lk9Vb3N\nsecret = Hc5Jd0Gf8Ue2\n');
  assert.equal(onlyKeys.leftOut, 'credentials');
  assert.deepEqual(screenNotes('deploy/app-secrets.yaml', screenText('deploy/app-secrets.yaml', 'db: x\n')), ['deploy/app-secrets.yaml left out: secrets file']);
  assert.equal(screenText('.env', 'A=1\n', true).leftOut, undefined, 'an explicit attachment is redacted, never left out');
});

test('secretReason names what may not be sent at all; a redactable file may be sent', () => {
  assert.equal(secretReason('app/.env'), '.env is an environment file');
  assert.equal(secretReason('app/.envrc', 'export API_TOKEN=Zq7x2Lk9Vb3N\n'), '.envrc is an environment file (1 token)');
  assert.equal(secretReason('settings.py', 'AWS_SECRET_ACCESS_KEY = "f8Kq/2mZx9Lp+Wv4Rt7Yb1Nc6Hd3Js0Ge5Ua8Qo"'), 'settings.py is credentials (1 secret access key)');
  assert.equal(secretReason('settings.py', 'import os\nDB = "postgres://u:Vx8qTz2Lm9@h/db"\nDEBUG = True\nX = 1\n'), undefined);
  assert.equal(secretReason('cells.py', 'def cell_len(text): ...'), undefined);
});

test('the guard judges the text about to be sent: secret files left out, each value redacted named, each file said once; a consented attachment passes', () => {
  const items = [
    fileItem('retrieved', '.envrc', 'export API_TOKEN=Zq7x2Lk9Vb3N', 'matches token'),
    fileItem('retrieved', 'app/settings.py', 'DB = "postgres://u:Vx8qTz2Lm9@h/db"\nDEBUG = True\nX = 1', 'matches database'),
    fileItem('retrieved', 'app/settings.py', 'CACHE = "redis://:Rd5Kq2Wx@cache:6379/0"\nY = 2\nZ = 3', 'matches cache'),
    fileItem('file', '.env', 'API_TOKEN=Zq7x2Lk9Vb3N\nDEBUG=1', 'attached'),
    { ...fileItem('file', 'notes/.env.example', 'API_TOKEN=Zq7x2Lk9Vb3N', 'attached'), sendSecrets: true },
    fileItem('retrieved', 'app/cells.py', 'def cell_len(text): ...', 'defines cell_len'),
  ];
  const guarded = guardContext(items);
  assert.deepEqual(guarded.items.map((i) => i.path), ['app/settings.py', 'app/settings.py', '.env', 'notes/.env.example', 'app/cells.py']);
  assert.deepEqual(guarded.notes, [
    '.envrc left out: environment file',
    'app/settings.py line 1 (database password) left out: redacted in place',
    'app/settings.py line 1 (database password) left out: redacted in place',
    '.env line 1 (token) left out: redacted in place',
  ]);
  const sent = guarded.items.map((i) => i.text).join('\n');
  assert.ok(!sent.includes('Vx8qTz2Lm9') && !sent.includes('Rd5Kq2Wx'));
  assert.equal(guarded.items[3]?.text, 'API_TOKEN=Zq7x2Lk9Vb3N', 'the user chose to send it as it is');
  assert.equal(guarded.items[4], items[5], 'a clean item is the same item');
});

test('the question box offers no secret file, in any folder, and keeps the order of the rest', () => {
  const listed = ['.env', '.env.local', 'config/.env.production', 'deploy/secrets.yaml', 'src/env.ts', '.npmrc', 'certs/tls.key', 'src/parse.ts', 'environment.py'];
  assert.deepEqual(offerableFiles(listed), ['src/env.ts', 'src/parse.ts', 'environment.py']);
});
