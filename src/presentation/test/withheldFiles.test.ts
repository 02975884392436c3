import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { screenNotes, screenText } from '../../core/secrets/secretFiles';
import { partNotes, withheldLine, withheldSummary } from '../withheldFiles';

const CERTS = Array.from({ length: 12 }, (_, i) => `tests/certs/example-${i + 1}.pem left out: key or certificate`);

test('thirteen withheld files read as one summary; the context window and redaction notes stay as they are', () => {
  const notes = ['.env left out: environment file', ...CERTS, 'utils.py lines 200–900 left out: context window', 'settings.py: 1 API key redacted', '3 retrieved chunks left out: retrieval share'];
  const { withheld, others } = partNotes(notes);
  assert.equal(withheld.length, 13);
  assert.deepEqual(withheld[0], { path: '.env', kind: 'environment file' });
  assert.deepEqual(others, ['utils.py lines 200–900 left out: context window', 'settings.py: 1 API key redacted', '3 retrieved chunks left out: retrieval share']);
  assert.equal(withheldSummary(withheld), '13 files withheld: secrets and certificates');
  assert.equal(withheldLine(withheld), '13 files withheld: secrets and certificates (.env, tests/certs/example-1.pem, tests/certs/example-2.pem and 10 more)');
});

test('the notes the secret screen writes are the ones read back; a file named twice counts once; none gives no line', () => {
  const [note] = screenNotes('deploy/app-secrets.yaml', screenText('deploy/app-secrets.yaml', 'db: x\n'));
  assert.ok(note !== undefined);
  const { withheld } = partNotes([note, note, 'id_ed25519 left out: SSH key']);
  assert.deepEqual(withheld, [{ path: 'deploy/app-secrets.yaml', kind: 'secrets file' }, { path: 'id_ed25519', kind: 'SSH key' }]);
  assert.equal(withheldSummary(withheld), '2 files withheld: secrets and keys');
  assert.equal(withheldLine(withheld), '2 files withheld: secrets and keys (deploy/app-secrets.yaml and id_ed25519)');
  assert.equal(withheldSummary([]), undefined);
  assert.equal(withheldSummary([{ path: '.npmrc', kind: 'package-manager config with a token' }]), '1 file withheld: credentials');
});
