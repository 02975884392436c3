import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { runCliHere } from '../../../test/fixtures/cliRun';

test('--bank and the config file refuse a team bank URL with a password (exit 2), never printing it', async () => {
  const { dir, cleanup } = tempDir('smcs-cli-bankurl-');
  try {
    const flag = await runCliHere(['bank', 'stats', '--bank', 'postgres://alice:s3cret-pw@127.0.0.1:1/smcs']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--bank carries a password/);
    const file = path.join(dir, 'smcs.config.json');
    writeFileSync(file, JSON.stringify({ bank: 'postgres://alice:s3cret-pw@127.0.0.1:1/smcs' }));
    const config = await runCliHere(['bank', 'stats', '--config', file]);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /bank: carries a password/);
    for (const out of [flag, config]) assert.ok(!`${out.stdout}${out.stderr}`.includes('s3cret-pw'), 'the password is never printed');
  } finally {
    cleanup();
  }
});
