/**
 * Properties of the secret screen (core/secrets/secretScan, secretFiles) over generated texts (fast-check; a failure
 * prints its seed and the smallest text that fails): a secret of each rule family planted in ordinary text is found
 * and redacted, leaving none of the value and nothing else changed, and the redacted text screens clean; ordinary
 * text without secrets comes back unchanged; any text at all is screened without throwing, its finds in order, apart
 * and in bounds, its line breaks kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findSecrets, redactFinds } from '../secretScan';
import { screenText } from '../secretFiles';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;

/**
 * `length` characters of `alphabet`, all different and with a digit and a letter: values as random as real keys
 * (gitleaks' entropy floors and our own "not a value" rule both pass them), never a run a shrinker could make of one.
 */
const randomValue = (alphabet: string, length: number): fc.Arbitrary<string> =>
  fc
    .shuffledSubarray([...alphabet], { minLength: length, maxLength: length })
    .map((chars) => chars.join(''))
    .filter((v) => /\d/.test(v) === /\d/.test(alphabet) && /[A-Za-z]/.test(v));

/** A family of secrets: how one is written in a file, the value that must not be sent, and what the note calls it. */
interface Family {
  name: string;
  value: fc.Arbitrary<string>;
  line: (value: string) => string;
  kind: string;
  /** The file it is in, when its rule needs one (default `app.py`). */
  path?: string;
  /** The line once redacted, when more than the value goes (a PEM block goes whole); else the value becomes the marker. */
  redacted?: string;
}

const PEM_TAIL = 'QyNTUxOQAAACDx8q2Lm9Vz3Rw7Kp4Tn6Yb1Hc5Jd0Gf8Ue2Io7Pa3SsAAAAJhQx';

const FAMILIES: Family[] = [
  { name: 'database URL password', value: randomValue(ALNUM, 12), kind: 'database password', line: (v) => `DATABASE_URL = "postgres://shop:${v}@db.internal:5432/shop"` },
  { name: 'password in a URL', value: randomValue(ALNUM, 10), kind: 'password in a URL', line: (v) => `mirror = "https://deploy:${v}@mirror.internal/simple"` },
  { name: 'Authorization header', value: randomValue(ALNUM, 20), kind: 'bearer token', line: (v) => `headers = {"Authorization": "Bearer ${v}"}` },
  { name: 'short quoted key', value: randomValue(ALNUM, 6), kind: 'API key', line: (v) => `API_KEY = "${v}"` },
  { name: 'quoted JSON password', value: randomValue(ALNUM, 9), kind: 'password', line: (v) => `{"user": "shop", "password": "${v}"}` },
  { name: 'environment export', value: randomValue(ALNUM, 11), kind: 'database password', line: (v) => `export DB_PASSWORD=${v}` },
  { name: 'unquoted YAML password', value: randomValue(ALNUM, 8), kind: 'password', line: (v) => `  password: ${v}`, path: 'config/database.yml' },
  { name: 'INI secret access key', value: randomValue(ALNUM, 40), kind: 'secret access key', line: (v) => `aws_secret_access_key = ${v}`, path: 'deploy/aws.ini' },
  { name: 'Kubernetes client key', value: randomValue(ALNUM, 24), kind: 'Kubernetes client key', line: (v) => `    client-key-data: ${v}` },
  { name: 'Docker registry auth', value: randomValue(ALNUM, 20), kind: 'registry credentials', line: (v) => `{"auths": {"registry.internal": {"auth": "${v}"}}}` },
  { name: 'AWS access key ID', value: randomValue(UPPER + '234567', 16).map((v) => `AKIA${v}`), kind: 'access key ID', line: (v) => `aws_access_key_id = "${v}"` },
  { name: 'GitHub PAT', value: randomValue(ALNUM, 36).map((v) => `ghp_${v}`), kind: 'GitHub PAT', line: (v) => `GH = "${v}"` },
  { name: 'GitLab PAT', value: randomValue(ALNUM, 20).map((v) => `glpat-${v}`), kind: 'GitLab PAT', line: (v) => `gitlab = "${v}"` },
  { name: 'Stripe key', value: randomValue(ALNUM, 24).map((v) => `sk_live_${v}`), kind: 'stripe access token', line: (v) => `stripe.api = "${v}"` },
  { name: 'npm token', value: randomValue(LOWER + DIGITS, 36).map((v) => `npm_${v}`), kind: 'npm access token', line: (v) => `//registry.npmjs.org/:_authToken=${v}` },
  { name: 'GCP API key', value: randomValue(ALNUM, 35).map((v) => `AIza${v}`), kind: 'GCP API key', line: (v) => `maps = "${v}"` },
  {
    name: 'JWT',
    value: fc.tuple(randomValue(ALNUM, 20), randomValue(ALNUM, 24), randomValue(ALNUM, 30)).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`),
    kind: 'JWT', line: (v) => `session = "${v}"`,
  },
  { name: 'private key block', value: randomValue(ALNUM, 48), kind: 'private key', line: (v) => `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA${v}\n${PEM_TAIL}\n-----END RSA PRIVATE KEY-----`, redacted: '«redacted: private key»\n\n\n' },
];

/** Words and punctuation of ordinary code and prose, none of which names or shapes a secret. */
const WORDS = [
  'the', 'count', 'items', 'list', 'value', 'return', 'def', 'for', 'in', 'if', 'else', 'print', 'sum', 'len', 'range', 'data', 'user', 'name', 'order',
  'total', 'result', 'map', 'filter', 'sort', 'node', 'tree', 'index', 'line', 'file', 'path', 'size', 'width', 'height', 'color', 'time', 'date',
  'year', 'city', 'price', 'shop', 'cart', 'row', 'col', 'max', 'min', 'x', 'y', 'i', 'n', '0', '1', '42', '3.14', 'True', 'None', 'null', 'données',
  '数据', '😀', '(', ')', '[', ']', '{', '}', ',', '.', ':', ';', '=', '==', '+', '-', '*', '/', '<', '>', '"', "'", '#', '\n', '\n    ', '\t',
];
const ordinary: fc.Arbitrary<string> = fc.array(fc.constantFrom(...WORDS), { maxLength: 80 }).map((words) => words.join(' '));

/** Pieces that look like the start of a secret without being one, to push the rules' edges. */
const NEAR = ['password', 'token', 'API_KEY', 'Authorization:', 'Bearer', '://', '@', ':', '=', '"', "'", '`', 'AKIA', 'ghp_', 'eyJ', '-----BEGIN RSA PRIVATE KEY-----', 'KEY-----', '${VAR}', 'os.environ["DB_PASSWORD"]', '«redacted: password»', '\n', ' '];
const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.array(fc.oneof(fc.constantFrom(...WORDS, ...NEAR), fc.string({ unit: 'grapheme-ascii', maxLength: 12 })), { maxLength: 60 }).map((parts) => parts.join('')),
);

const PATHS = ['app.py', 'config/settings.yml', '', 'terminal bash', '.netrc', '.pgpass'];

test('a secret of every family planted in ordinary text is redacted: none of it is left, nothing else changes, and the result screens clean', () => {
  for (const family of FAMILIES) {
    fc.assert(
      fc.property(ordinary, family.value, ordinary, (before, value, after) => {
        const planted = family.line(value);
        const text = `${before}\n${planted}\n${after}`;
        const path = family.path ?? 'app.py';
        const finds = findSecrets(text, path);
        const redacted = redactFinds(text, finds);
        assert.ok(!redacted.includes(value), `${family.name}: the value is still there: ${redacted}`);
        // No piece of the value is left (pieces the surrounding text happens to hold aside).
        for (let i = 0; i + 6 <= value.length; i++) {
          const piece = value.slice(i, i + 6);
          if (!`${before}\n${family.line('')}\n${after}`.includes(piece)) assert.ok(!redacted.includes(piece), `${family.name}: "${piece}" of the value is left: ${redacted}`);
        }
        assert.ok(redacted.startsWith(`${before}\n`) && redacted.endsWith(`\n${after}`), `${family.name}: text around the secret changed: ${JSON.stringify(redacted)}`);
        // Exactly the value goes, named as what it is: not a character of it more or less.
        const [head = '', tail = ''] = planted.split(value);
        assert.equal(redacted.slice(before.length + 1, redacted.length - after.length - 1), family.redacted ?? `${head}«redacted: ${family.kind}»${tail}`, family.name);
        assert.equal(redacted.split('\n').length, text.split('\n').length, 'line breaks are kept');
        assert.deepEqual(findSecrets(redacted, path), [], `${family.name}: the redacted text is found again: ${redacted}`);
      }),
      { numRuns: 60 },
    );
  }
});

test('ordinary text without secrets comes back unchanged, whatever file it is in', () => {
  fc.assert(
    fc.property(ordinary, fc.constantFrom(...PATHS.filter((p) => p !== '.netrc' && p !== '.pgpass')), (text, path) => {
      assert.deepEqual(findSecrets(text, path), []);
      const screened = screenText(path, text);
      assert.equal(screened.text, text);
      assert.equal(screened.leftOut, undefined);
    }),
    { numRuns: 400 },
  );
});

test('any text is screened without throwing: finds in order, apart and in bounds, on the right lines, line breaks kept', () => {
  fc.assert(
    fc.property(anyText, fc.constantFrom(...PATHS), (text, path) => {
      const finds = findSecrets(text, path);
      let end = 0;
      for (const f of finds) {
        assert.ok(f.start >= end && f.end > f.start && f.end <= text.length, JSON.stringify(finds));
        assert.equal(f.line, text.slice(0, f.start).split('\n').length);
        assert.ok(f.kind.length > 0);
        end = f.end;
      }
      const redacted = redactFinds(text, finds);
      assert.equal(redacted.split('\n').length, text.split('\n').length);
      for (const f of finds) assert.ok(redacted.includes(`«redacted: ${f.kind}»`), `${f.kind} is named where it was`);
      screenText(path, text, false);
      screenText(path, text, true);
    }),
    { numRuns: 1000 },
  );
});
