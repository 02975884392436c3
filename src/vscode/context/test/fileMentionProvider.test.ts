import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FileMentionProvider } from '../fileMentionProvider';
import { request, workbench } from './fakeWorkbench';

const files = {
  'src/parse.py': 'def parse(s):\n    return s\n',
  'src/lex.py': 'def lex(s):\n    return s.split()\n',
  'config/settings.py': 'DEBUG = True\nAWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n',
};
const listing = { list: async () => Object.keys(files) };

test('a #file mention and an added file are read whole; a mention that names no file is said', async () => {
  const provider = new FileMentionProvider(workbench({ files }), listing);
  const { items, notes } = await provider.gather(request('what does #parse.py do? and #missing.py', { addedFiles: ['src/lex.py'] }));
  assert.deepEqual(items.map((i) => [i.source, i.path, i.text, i.reason]), [
    ['file', 'src/lex.py', files['src/lex.py'].trimEnd(), 'attached'],
    ['file', 'src/parse.py', files['src/parse.py'].trimEnd(), 'attached'],
  ]);
  assert.deepEqual(notes, ['#missing.py: no such text file in the workspace']);
});

test('a file holding secrets is sent only as the user chooses in the modal: redacted, as it is, or not at all', async () => {
  const ask = async (answer: string | undefined) => {
    const bench = workbench({ files, ...(answer !== undefined ? { answer } : {}) });
    const gathered = await new FileMentionProvider(bench, listing).gather(request('check #file:config/settings.py'));
    return { ...gathered, warnings: bench.warnings };
  };
  const redacted = await ask('Send redacted');
  assert.equal(redacted.warnings.length, 1);
  assert.match(redacted.warnings[0] ?? '', /^config\/settings\.py holds secrets \(.+\)\. Send it to the models\?$/);
  assert.deepEqual([redacted.items.length, redacted.items[0]?.sendSecrets, redacted.notes], [1, undefined, []]);
  const anyway = await ask('Send anyway');
  assert.equal(anyway.items[0]?.sendSecrets, true);
  assert.match(anyway.notes[0] ?? '', /^config\/settings\.py: sent with its secrets .* as you chose$/);
  const closed = await ask(undefined);
  assert.deepEqual(closed.items, []);
  assert.match(closed.notes[0] ?? '', /^config\/settings\.py not sent: it holds secrets/);
});

test('nothing is read without a mention', async () => {
  const bench = workbench({ files });
  assert.deepEqual(await new FileMentionProvider(bench, listing).gather(request('how do I parse?')), { items: [], notes: [] });
  assert.deepEqual(bench.warnings, []);
});

test('a secret file is asked about once: not while the cost is estimated as the user types, and once when added and mentioned too', async () => {
  const bench = workbench({ files, answer: 'Send redacted' });
  const provider = new FileMentionProvider(bench, listing);
  const estimate = await provider.gather(request('check #file:config/settings.py', { estimating: true }));
  assert.equal(bench.warnings.length, 0, 'typing asks nothing');
  assert.deepEqual(estimate.items.map((i) => [i.path, i.sendSecrets]), [['config/settings.py', undefined]], 'the estimate counts it as sent redacted');
  const asked = await provider.gather(request('check #file:config/settings.py and #settings.py', { addedFiles: ['config/settings.py'] }));
  assert.equal(bench.warnings.length, 1, 'one question for one attachment');
  assert.deepEqual(asked.items.map((i) => i.path), ['config/settings.py']);
});
