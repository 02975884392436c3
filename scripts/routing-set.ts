/**
 * Writes the realistic price-aware routing test set (src/bench/routingSynth.ts) to a folder: `bank.jsonl` and
 * `prices.json`, ready for `smcs eval routing --bank-file DIR/bank.jsonl --prices DIR/prices.json`.
 *
 * Usage: `node --import tsx scripts/routing-set.ts DIR [--questions N] [--seed N] [--specialisation X]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateRoutingSet } from '../src/bench/routingSynth';

const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node --import tsx scripts/routing-set.ts DIR [--questions N] [--seed N] [--specialisation X]');
  process.exit(2);
}
const option = (name: string): number | undefined => {
  const i = rest.indexOf(name);
  return i >= 0 && rest[i + 1] !== undefined ? Number(rest[i + 1]) : undefined;
};
const questions = option('--questions');
const seed = option('--seed');
const specialisation = option('--specialisation');
const set = generateRoutingSet({
  ...(questions !== undefined ? { questions } : {}),
  ...(seed !== undefined ? { seed } : {}),
  ...(specialisation !== undefined ? { specialisation } : {}),
});
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'bank.jsonl'), set.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
writeFileSync(path.join(dir, 'prices.json'), JSON.stringify(set.prices, null, 2) + '\n');
console.log(`${set.records.length} questions, ${Object.keys(set.prices).length} models → ${dir}`);
