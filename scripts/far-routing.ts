/**
 * Routing when the bank has nothing close to the question (issue 62 item 7; core/routing/exploration), measured on the
 * replay sets of test/fixtures/e2e through the real pipeline (core/eval/e2eReplay), with the lexical embedder: a bank of
 * MMLU-Pro's multiple-choice questions (the tuning set) labelled for its 7 models, and configured after them models the
 * bank has never seen: HumanEval's 10 code models (`code`, the user's case in issue 62) or GSM8K's 3 (`math`). The
 * scenario's own questions (HumanEval's or GSM8K's) and MMLU-Pro's held-out ones are asked over that bank with the mean
 * prior for unprofiled models (the paper's RPS) and with the rule; a model without a recorded reply to a question fails
 * its call, so an ask whose every referencer has none fails and counts as unsolved.
 *
 * Prints, per set and K: how many asks seated a model the bank never saw, how many the answer solved, and how many
 * questions the bank called far.
 *
 * Usage: `node --import tsx scripts/far-routing.ts [--k 3,7] [--scenarios code,math]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTasks } from '../src/cli/commands/evalE2e';
import { askReplayed } from '../src/core/eval/e2eReplay';
import { MemoryBank } from '../src/core/eval/replay';
import type { E2eTask } from '../src/core/eval/e2eEval';
import { runOnce } from '../src/core/checks/runOnce';
import { LexicalEmbedder } from '../src/embed/lexical';
import { mathEquivalence } from '../src/engine/mathEquivalence';
import { createCheckRunner } from '../src/sandbox/checkRunner';

const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'e2e');
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const ks = option('--k', '3,7').split(',').map(Number);
const scenarios = option('--scenarios', 'code,math').split(',');
/** Each scenario's set: the models the bank never saw answer its questions. */
const SETS: Record<string, string> = { code: 'humaneval-replay.jsonl', math: 'gsm8k-replay.jsonl' };

const load = (file: string): E2eTask[] => parseTasks(readFileSync(path.join(FIXTURES, file), 'utf8'), file);

async function main(): Promise<void> {
  const embedder = new LexicalEmbedder();
  const bankTasks = load('mmlu-pro-replay.jsonl');
  const vectors = await embedder.embed(bankTasks.map((t) => t.question));
  const bank = new MemoryBank(bankTasks.map((t, i) => ({ id: t.id, embedding: vectors[i]!, correct: t.correct })));
  const near = bank.near();
  const known = [...new Set(bankTasks.flatMap((t) => Object.keys(t.correct)))];
  console.log(`bank: ${bankTasks.length} MMLU-Pro questions, ${known.length} models; near = ${near?.toFixed(3)}`);
  const checkRunner = runOnce(createCheckRunner());
  const signal = new AbortController().signal;
  for (const scenario of scenarios) {
    const own = load(SETS[scenario] ?? scenario);
    const unseen = [...new Set(own.flatMap((t) => Object.keys(t.replies)))].filter((m) => !known.includes(m));
    const models = [...known, ...unseen];
    for (const [set, tasks] of [[scenario, own], ['mmlu-pro-heldout', load('mmlu-pro-heldout.jsonl')]] as const) await measure(set, tasks, models, unseen);
  }
  async function measure(set: string, tasks: readonly E2eTask[], models: readonly string[], unseen: readonly string[]): Promise<void> {
    const queries = await embedder.embed(tasks.map((t) => t.question));
    const far = queries.filter((q) => (near ?? -Infinity) > Math.max(...bankTasks.map((_, i) => vectors[i]!.reduce((s, x, j) => s + x * q[j]!, 0)))).length;
    for (const k of ks) {
      for (const rule of ['mean', 'far rule'] as const) {
        let seated = 0;
        let solved = 0;
        let failed = 0;
        for (const task of tasks) {
          const options = { k, n: 4, kDrop: 1, seed: 0, models, embedder, checkRunner, signal, sameMath: mathEquivalence, ...(rule === 'far rule' ? { near } : {}) };
          try {
            const asked = await askReplayed(task, task.replies, 0, bank, options);
            if (asked.result.referencers.some((r) => unseen.includes(r.model))) seated++;
            if (asked.outcome.solved) solved++;
          } catch {
            failed++;
          }
        }
        console.log(`${set} (${tasks.length} q, ${far} far; ${unseen.length} unseen models) K=${k} ${rule.padEnd(8)}: unseen model seated on ${seated}, solved ${solved}, failed asks ${failed}`);
      }
    }
  }
}

void main();
