/** `loadConfig`: where the bank folder resolves, and errors naming the field and the file. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../context';
import { ConfigError } from '../../core/contracts/config';
import { tempDir } from '../../../test/fixtures/bankData';

const temp = tempDir('smcs-config-');
after(temp.cleanup);
let files = 0;

async function configIn(contents: unknown): Promise<string> {
  const dir = path.join(temp.dir, `conf-${files++}`);
  await mkdir(dir);
  const file = path.join(dir, 'smcs.config.json');
  await writeFile(file, JSON.stringify(contents));
  return file;
}

test('a relative "bank" in the config file resolves against the file, a relative --bank against the working folder', async () => {
  const file = await configIn({ bank: 'bank-in-config' });
  assert.equal(loadConfig({ config: file }).bank, path.join(path.dirname(file), 'bank-in-config'));
  assert.equal(loadConfig({ config: file, bank: 'from-flag' }).bank, path.resolve('from-flag'));
});

test('a bad field names the field and the file', async () => {
  const file = await configIn({ gamma: 7 });
  assert.throws(
    () => loadConfig({ config: file }),
    (e: unknown) => e instanceof ConfigError && e.field === 'gamma' && e.message === `gamma: must be between 0 and 1, got 7 (in ${file})`,
  );
});
