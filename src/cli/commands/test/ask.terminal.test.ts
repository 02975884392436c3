/**
 * `smcs ask` on a terminal (issue 68): the answer's words reach stdout while the aggregator is still writing them, the
 * progress line on stderr gives way once they do, the lines about the answer follow it; when the choice is another
 * candidate, "Chosen instead" and that answer follow what streamed; a run stopped mid-answer says the words were cut
 * short. Piped (or `--json`), the output is the whole answer once the run is scored, as before.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { captureOutput, runCliHere, type OnWrite } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';
import { askCommand } from '../ask';

const temp = tempDir('smcs-ask-terminal-');
const env = { SMCS_HOME: path.join(temp.dir, 'home') };
const TERMINAL = { stdout: true, stderr: true };
const QUESTION = 'How do I reverse a list in Python?';
const SAYS: Record<string, string> = { m1: 'Reverse it with reversed(xs).', m2: 'Slice it: xs[::-1] gives a reversed copy.', m3: 'Call xs.reverse() to reverse in place.' };
/** The one aggregation of the two-model runs, written a word every 40 ms. */
const ANSWER = 'Use reversed(xs) for an iterator, xs[::-1] for a reversed copy, or xs.reverse() to reverse the list in place.';
/** The three-model runs: the subset without m3 is aggregated into words the other two candidates share none of. */
const LONE = 'Lone unrelated wording here.';
const SHARED = 'Slicing copies the list; reverse() changes it in place.';
const withM3 = (request: RecordedRequest): boolean => JSON.stringify(request.body).includes(SAYS.m3 ?? '');
let slow: LoopbackUpstream;
let three: LoopbackUpstream;

before(async () => {
  slow = await startLoopbackUpstream({ models: ['m1', 'm2', 'agg'].map((id) => ({ id })) });
  slow.script('m1', { reply: SAYS.m1 ?? '' });
  slow.script('m2', { reply: SAYS.m2 ?? '' });
  slow.script('agg', { reply: ANSWER, chunkDelayMs: 40 });
  three = await startLoopbackUpstream({ models: ['m1', 'm2', 'm3', 'agg'].map((id) => ({ id })) });
  for (const model of ['m1', 'm2', 'm3']) three.script(model, { reply: SAYS[model] ?? '' });
  // The lone candidate writes at once; the other two think first, so it is the one that streams. No log-probs: the
  // similarity alone scores, and the two that share their words rank above it.
  three.script('agg', { reply: (r) => (withM3(r) ? SHARED : LONE), reasoning: (r) => (withM3(r) ? 'weighing the replies one by one before writing' : ''), chunkDelayMs: 30, omitLogprobs: 'all' });
});

after(async () => {
  await slow.close();
  await three.close();
  temp.cleanup();
});

function config(upstream: LoopbackUpstream, models: string[], extra: Record<string, unknown>): string {
  const file = path.join(temp.dir, `config-${Math.random().toString(36).slice(2)}.json`);
  const endpoints = [{ id: 'local', provider: 'vllm', baseUrl: upstream.baseUrl, models: [...models, 'agg'] }];
  writeFileSync(file, JSON.stringify({ endpoints, embedding: { provider: 'lexical' }, aggregator: 'agg', bank: path.join(temp.dir, 'bank'), maxTokens: 256, ...extra }));
  return file;
}

/** Each write in order, and the `onWrite` that records them. */
function recorder(): { writes: { stream: 'stdout' | 'stderr'; text: string }[]; onWrite: OnWrite } {
  const writes: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  return { writes, onWrite: (stream, text) => void writes.push({ stream, text }) };
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

test('on a terminal the first words are on stdout while the aggregator still writes; the progress line stops there; the answer once, the summary under it', async () => {
  const cfg = config(slow, ['m1', 'm2'], { k: 2, n: 1 });
  const { writes, onWrite } = recorder();
  let aggregatorDoneAtFirstWords: boolean | undefined;
  const run = await runCliHere(['--config', cfg, 'ask', QUESTION], env, {
    terminal: TERMINAL,
    onWrite: (stream, text) => {
      if (stream === 'stdout' && aggregatorDoneAtFirstWords === undefined) aggregatorDoneAtFirstWords = slow.requests.find((r) => r.model === 'agg')?.completedAt !== undefined;
      onWrite(stream, text);
    },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(aggregatorDoneAtFirstWords, false, 'the first words went out before the aggregator had finished its reply');
  const first = writes.findIndex((w) => w.stream === 'stdout');
  assert.ok(writes.slice(first).filter((w) => w.stream === 'stdout' && ANSWER.includes(w.text)).length >= 5, 'the answer went out in pieces');
  assert.ok(writes.slice(0, first).some((w) => w.stream === 'stderr' && /references \d\/2/.test(w.text)), 'progress was shown before the words');
  assert.deepEqual(writes.slice(first).filter((w) => w.stream === 'stderr'), [], 'no progress line once the words began');
  assert.equal(writes[first - 1]?.text, '\r\u001b[K', 'the progress line was cleared before the first words');
  assert.ok(run.stdout.startsWith(`${ANSWER}\n\nanswer: candidate 1 of 1`), run.stdout);
  assert.equal(occurrences(run.stdout, ANSWER), 1, 'the whole answer, once');
  assert.doesNotMatch(run.stdout, /Chosen instead/);
  assert.match(run.stdout, /^candidate\s+subset\s+similarity/m);
  assert.match(run.stdout, /^no prices known · [\d,]+ prompt \+ [\d,]+ completion tokens in 3 calls$/m);
  assert.ok(run.stdout.endsWith('\n'));
});

test('piped, or with --json, the output is as it was: the answer under why once the run is scored, no streamed words', async () => {
  const cfg = config(slow, ['m1', 'm2'], { k: 2, n: 1 });
  const piped = await runCliHere(['--config', cfg, 'ask', QUESTION], env, { terminal: { stdout: false, stderr: true } });
  assert.equal(piped.code, 0, piped.stderr);
  assert.ok(piped.stdout.startsWith(`answer: candidate 1 of 1, the highest score\n${ANSWER}\n\ncandidate`), piped.stdout);
  assert.match(piped.stderr, /references 2\/2/, 'the progress line is on the terminal stderr still');
  const json = await runCliHere(['--config', cfg, 'ask', QUESTION, '--json'], env, { terminal: TERMINAL });
  assert.equal(json.code, 0, json.stderr);
  assert.equal((JSON.parse(json.stdout) as { answer: string }).answer, ANSWER);
  assert.equal(json.stderr, '', 'no progress with --json');
});

test('another candidate chosen: "Chosen instead" and the chosen answer follow the words that streamed, nothing taken back', async () => {
  // Seed 6 draws the subset without m3 once and the two with it three times: the lone candidate (1) ranks last.
  const cfg = config(three, ['m1', 'm2', 'm3'], { k: 3, n: 4, seed: 6 });
  const run = await runCliHere(['--config', cfg, 'ask', QUESTION], env, { terminal: TERMINAL });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.startsWith(`${LONE}\n\n---\n*Chosen instead: candidate 2, which `), run.stdout);
  assert.ok(run.stdout.includes(`; candidate 1 above was not chosen.*\n\n${SHARED}\n\nanswer: candidates 2 and 3`), run.stdout);
  assert.equal(occurrences(run.stdout, LONE), 1);
  assert.equal(occurrences(run.stdout, SHARED), 1);
  assert.match(run.stdout, /^2\s+.*← winner$/m);
});

test('a run stopped while the answer streams ends the words with a line saying they were cut short, and prints nothing after', async () => {
  const cfg = config(slow, ['m1', 'm2'], { k: 2, n: 1 });
  const stop = new AbortController();
  const { writes, onWrite } = recorder();
  const { value: error, stdout } = await captureOutput(
    () => askCommand(QUESTION, { config: cfg, signal: stop.signal, terminal: TERMINAL }).then(() => undefined, (err: unknown) => err),
    (stream, text) => {
      if (stream === 'stdout' && !stop.signal.aborted) setTimeout(() => stop.abort(new Error('stopped by the test')), 0);
      onWrite(stream, text);
    },
  );
  assert.ok(error instanceof Error, 'the stopped run is an error, as before');
  const cut = '\n\n---\n*Stopped: the answer above was cut short.*\n';
  assert.ok(stdout.endsWith(cut), stdout);
  const words = stdout.slice(0, -cut.length);
  assert.ok(words.length > 0 && ANSWER.startsWith(words) && words !== ANSWER, `a part of the answer: ${JSON.stringify(words)}`);
  assert.equal(writes.at(-1)?.text, cut);
});
