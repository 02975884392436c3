import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BankError, importRecords, LocalBank } from '../..';
import type { Embedder } from '../../../core/contracts/types';
import { LexicalEmbedder } from '../../../embed/lexical';
import { tempDir } from '../../../../test/fixtures/bankData';

const lexical = new LexicalEmbedder({ dimension: 32 });
const identity = { id: lexical.id, dimension: 32 };
const { dir: root, cleanup } = tempDir('smcs-create-');
after(cleanup);
let n = 0;
const records = Array.from({ length: 10 }, (_, i) => ({ id: `q-${i}`, question: `What does snippet ${i} print?` }));

/** The lexical embedder, failing (or aborting `controller`) on its second batch: a first import that breaks half-way. */
function breaksOnSecondBatch(controller?: AbortController): Embedder {
  let calls = 0;
  return {
    id: lexical.id,
    dimension: () => lexical.dimension(),
    async embed(texts) {
      calls++;
      if (calls === 2 && !controller) throw new Error('embedding server went away');
      if (calls === 2) controller?.abort();
      return lexical.embed(texts);
    },
  };
}

/** Opens a new bank, imports through `embedder`, and on failure takes the bank back as the CLI and the panel do. */
async function firstImport(dir: string, embedder: Embedder, signal?: AbortSignal, prefix = 'q'): Promise<unknown> {
  const bank = await LocalBank.open(dir, { embedder: identity, create: true, write: true });
  try {
    await importRecords(bank, records.map((r) => ({ ...r, id: r.id.replace('q', prefix) })), embedder, { batchSize: 4, ...(signal ? { signal } : {}) });
    await bank.close();
    return undefined;
  } catch (err) {
    await bank.discardIfNew();
    return err;
  }
}

describe('a failed or cancelled first import leaves no trace', () => {
  it('a new folder (and the parents the open made) is removed', async () => {
    const parent = path.join(root, `new-${n++}`);
    const failed = await firstImport(path.join(parent, 'deep', 'bank'), breaksOnSecondBatch());
    assert.match(String(failed), /embedding server went away/);
    assert.equal(existsSync(parent), false, 'no folder left');

    const controller = new AbortController();
    const cancelled = await firstImport(path.join(parent, 'bank'), breaksOnSecondBatch(controller), controller.signal);
    assert.match(String(cancelled), /cancelled, nothing was written/);
    assert.equal(existsSync(parent), false);
  });

  it('an existing folder keeps what it held and gets no manifest, labels, shards or lock', async () => {
    const dir = path.join(root, `existing-${n++}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    assert.ok(await firstImport(dir, breaksOnSecondBatch()));
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });

  it('a bank that already held questions is only closed, never removed', async () => {
    const dir = path.join(root, `kept-${n++}`);
    assert.equal(await firstImport(dir, lexical), undefined);
    assert.ok(await firstImport(dir, breaksOnSecondBatch(), undefined, 'other'), 'the second import fails');
    const bank = await LocalBank.open(dir, { embedder: identity });
    assert.equal(bank.size, 10);
    await bank.close();
  });

  it('a file where the bank folder should be is a clear error, not EEXIST', async () => {
    const file = path.join(root, `file-${n++}`);
    writeFileSync(file, 'not a folder');
    for (const options of [{ create: true, write: true }, { write: true }, {}]) {
      await assert.rejects(LocalBank.open(file, { embedder: identity, ...options }), (err: unknown) => err instanceof BankError && /is a file, not a folder/.test(err.message));
    }
    await assert.rejects(LocalBank.open(path.join(file, 'bank'), { embedder: identity, create: true, write: true }), /a file stands in its path/);
  });
});
