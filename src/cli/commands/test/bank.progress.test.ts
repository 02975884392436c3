import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { importProgressPrinter } from '../bank';

/** A stream that keeps what is written to it. */
function capture(isTTY: boolean): { isTTY: boolean; written: string[]; write: (text: string | Uint8Array) => boolean } {
  const written: string[] = [];
  return { isTTY, written, write: (text) => written.push(String(text)) > 0 };
}

describe('smcs bank import progress on stderr', () => {
  afterEach(() => mock.timers.reset());

  it('in a log: a line when a phase starts, then at most one every two seconds within it', () => {
    mock.timers.enable({ apis: ['Date'], now: 10_000 });
    const stream = capture(false);
    const { report, end } = importProgressPrinter(stream);
    report({ phase: 'read', done: 0, total: 3, file: 'model_outputs_a_5shots.json' });
    report({ phase: 'read', done: 1, total: 3, file: 'model_outputs_b_5shots.json' });
    mock.timers.tick(2000);
    report({ phase: 'read', done: 2, total: 3, file: 'model_outputs_c_5shots.json' });
    report({ phase: 'validate', done: 5, total: 0 });
    report({ phase: 'embed', done: 32, total: 40 });
    report({ phase: 'embed', done: 40, total: 40 });
    end();
    assert.deepEqual(stream.written, [
      'reading files 0/3 (model_outputs_a_5shots.json)\n',
      'reading files 2/3 (model_outputs_c_5shots.json)\n',
      'checking records 5\n',
      'embedding questions 32/40\n',
    ]);
  });

  it('on a terminal: every report overwrites one line, and the end clears it', () => {
    const stream = capture(true);
    const { report, end } = importProgressPrinter(stream);
    report({ phase: 'embed', done: 32, total: 40 });
    report({ phase: 'embed', done: 40, total: 40 });
    report({ phase: 'write', done: 0, total: 40 });
    end();
    assert.deepEqual(stream.written, ['\r\x1b[Kembedding questions 32/40', '\r\x1b[Kembedding questions 40/40', '\r\x1b[Kwriting the bank 0/40', '\r\x1b[K']);
  });
});
