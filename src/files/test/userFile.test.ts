/** `readUserFile`: regular files within a limit are read; pipes, devices and folders are refused at once, naming the label. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputFileError, readUserFile, readUserFileHead, readUserFileSync, utf8Text } from '../userFile';
import { tempDir } from '../../../test/fixtures/bankData';

const temp = tempDir('smcs-user-file-');
after(temp.cleanup);
const fifo = path.join(temp.dir, 'pipe');
execFileSync('mkfifo', [fifo]);
const folder = path.join(temp.dir, 'folder');
mkdirSync(folder);

const refusal = (label: string, what: string) => (err: unknown) =>
  err instanceof InputFileError && err.message === `${label} is ${what}, not a regular file; only regular files are read`;

test('a named pipe with no writer, a device and a folder are refused without waiting or reading', async () => {
  const started = Date.now();
  for (const [file, what] of [[fifo, 'a named pipe'], ['/dev/zero', 'a device'], [folder, 'a folder']] as const) {
    await assert.rejects(readUserFile(file, { label: `--config ${file}`, maxBytes: 1024 }), refusal(`--config ${file}`, what));
    assert.throws(() => readUserFileSync(file, { label: `--config ${file}`, maxBytes: 1024 }), refusal(`--config ${file}`, what));
    await assert.rejects(readUserFileHead(file, file), refusal(file, what));
  }
  assert.ok(Date.now() - started < 2000, 'nothing waited for a writer or read a device');
});

test('a file over the limit is refused naming its size and the limit; one at the limit is read whole', async () => {
  const file = path.join(temp.dir, 'big.json');
  writeFileSync(file, 'x'.repeat(3 * 1024 + 1));
  const tooBig = (err: unknown) => err instanceof InputFileError && err.message === `--prices ${file} is 4 KB, more than the 3 KB read from such a file`;
  await assert.rejects(readUserFile(file, { label: `--prices ${file}`, maxBytes: 3 * 1024 }), tooBig);
  assert.throws(() => readUserFileSync(file, { label: `--prices ${file}`, maxBytes: 3 * 1024 }), tooBig);
  assert.equal((await readUserFile(file, { label: 'f', maxBytes: 3 * 1024 + 1 })).length, 3 * 1024 + 1);
});

test('a regular file is read as it is, its text without a byte order mark; a missing file says so and keeps its code', async () => {
  const file = path.join(temp.dir, 'bom.json');
  writeFileSync(file, '\uFEFF{"k": "é"}');
  assert.equal(utf8Text(await readUserFile(file, { label: 'f', maxBytes: 100 })), '{"k": "é"}');
  assert.equal(utf8Text(readUserFileSync(file, { label: 'f', maxBytes: 100 })), '{"k": "é"}');
  const missing = path.join(temp.dir, 'missing.json');
  await assert.rejects(readUserFile(missing, { label: `--thread ${missing}`, maxBytes: 100 }), (err: unknown) => err instanceof InputFileError && err.code === 'ENOENT' && err.message === `--thread ${missing}: no such file`);
});
