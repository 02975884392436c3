import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offerableFiles, secretFileKind, secretInText, secretReason } from '../secretFiles';

test('secret files are known by their names, wherever they are', () => {
  for (const name of ['.env', '.env.local', 'config/.env.production', 'certs/server.pem', 'tls.key', 'home/.ssh/id_rsa', 'id_ed25519.pub', 'credentials.json', 'gcp/service-account-prod.json', '.netrc', 'deploy/secrets.yaml', 'C:\\proj\\.env']) {
    assert.ok(secretFileKind(name), `${name} is a secret file`);
  }
  for (const name of ['src/env.ts', 'environment.py', 'keyboard.py', 'docs/keys.md', 'monkey.json', 'README.md', 'tokens.ts']) assert.equal(secretFileKind(name), undefined, name);
});

test('.npmrc and .pypirc count only when they carry a token or password', () => {
  assert.ok(secretFileKind('.npmrc', '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789'));
  assert.equal(secretFileKind('.npmrc', 'save-exact=true\nengine-strict=true\n'), undefined);
  assert.ok(secretFileKind('.pypirc', '[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n'));
  assert.equal(secretFileKind('.pypirc', '[distutils]\nindex-servers = pypi\n'), undefined);
});

test('common key shapes are found in any text; ordinary code is not taken for a key', () => {
  const keys: [string, string][] = [
    ['aws = "AKIAIOSFODNN7EXAMPLE"', 'an AWS access key'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow…', 'a private key'],
    ['token: ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'a GitHub token'],
    ['OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWx', 'an API key'],
    ['SLACK = "xoxb-1234567890-abcdefghij"', 'a Slack token'],
    ['API_KEY = "Zm9vYmFyYmF6cXV4MTIzNDU2"', 'a secret assignment'],
    ['DATABASE_PASSWORD=hunter2hunter2hunter2', 'a secret assignment'],
  ];
  for (const [text, kind] of keys) assert.equal(secretInText(text), kind, text);
  const code = [
    'def tokenize(text):\n    token = next_token(text)\n    return token',
    'const password = await askPassword(prompt);',
    'api_key = os.environ["API_KEY"]',
    'SECRET_HEADER = "x-secret"',
    'export const AUTH_TOKEN_ENV = "SMCS_TOKEN";',
  ];
  for (const text of code) assert.equal(secretInText(text), undefined, text);
});

test('secretReason names the file and what it holds', () => {
  assert.equal(secretReason('app/.env'), '.env is an environment file');
  assert.equal(secretReason('settings.py', 'AWS_KEY = "AKIAIOSFODNN7EXAMPLE"'), 'settings.py holds an AWS access key');
  assert.equal(secretReason('cells.py', 'def cell_len(text): ...'), undefined);
});

test('the question box offers no secret file, in any folder, and keeps the order of the rest', () => {
  const listed = ['.env', '.env.local', 'config/.env.production', 'deploy/secrets.yaml', 'src/env.ts', '.npmrc', 'certs/tls.key', 'src/parse.ts', 'environment.py'];
  assert.deepEqual(offerableFiles(listed), ['src/env.ts', 'src/parse.ts', 'environment.py']);
});
