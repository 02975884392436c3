/**
 * Measures the similarity above which two replies to the same question count as near-identical
 * (core/posterior/consensus nearIdenticalThreshold): every pair of models' replies to each question of MMLU-Pro output files
 * is embedded, and for each threshold the table gives how many pairs reach it and how often such pairs state the same
 * final answer (the files' own `pred`; a missing `pred` never agrees). The bar is the lowest threshold at which
 * pairs agree at least as often as `--precision` (default 0.95).
 *
 * Usage: `node --import tsx scripts/agreement-threshold.ts [--precision 0.95] FILE…` with
 * `model_outputs_<model>_5shots.json` files holding the same questions (e.g. /work/shared/data/mmlu-pro-sample/*.json).
 */
import { readFileSync } from 'node:fs';
import { cosine } from '../src/core/util/vectorMath';
import { LexicalEmbedder } from '../src/embed/lexical';

interface Reply {
  text: string;
  pred: string | null;
}

const args = process.argv.slice(2);
const p = args.indexOf('--precision');
const precision = p >= 0 ? Number(args.splice(p, 2)[1]) : 0.95;
if (args.length < 2) {
  console.error('usage: node --import tsx scripts/agreement-threshold.ts [--precision 0.95] FILE FILE…');
  process.exit(2);
}
const byQuestion = new Map<string, Reply[]>();
for (const file of args) {
  for (const r of JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[]) {
    const text = typeof r.model_outputs === 'string' ? r.model_outputs : typeof r.generated_text === 'string' ? r.generated_text : '';
    const list = byQuestion.get(String(r.question_id)) ?? [];
    list.push({ text, pred: typeof r.pred === 'string' ? r.pred : null });
    byQuestion.set(String(r.question_id), list);
  }
}
async function main(): Promise<void> {
  const embedder = new LexicalEmbedder();
  const pairs: { similarity: number; agree: boolean }[] = [];
  for (const replies of byQuestion.values()) {
    const vectors = await embedder.embed(replies.map((r) => r.text));
    for (let i = 0; i < replies.length; i++) {
      for (let j = i + 1; j < replies.length; j++) {
        const a = replies[i];
        const b = replies[j];
        if (!a || !b || a.text === '' || b.text === '') continue;
        pairs.push({ similarity: cosine(vectors[i] ?? [], vectors[j] ?? []), agree: a.pred !== null && a.pred === b.pred });
      }
    }
  }
  const base = pairs.filter((x) => x.agree).length / pairs.length;
  console.log(`${byQuestion.size} questions, ${pairs.length} pairs of replies, ${(100 * base).toFixed(1)} % of pairs state the same answer (${embedder.id})`);
  console.log('threshold  pairs ≥  same answer');
  let bar: number | undefined;
  for (let t = 0.5; t <= 0.991; t += 0.02) {
    const above = pairs.filter((x) => x.similarity >= t);
    const share = above.length === 0 ? Number.NaN : above.filter((x) => x.agree).length / above.length;
    if (bar === undefined && above.length >= 10 && share >= precision) bar = t;
    console.log(`  ${t.toFixed(2)}     ${String(above.length).padStart(5)}   ${Number.isNaN(share) ? '—' : `${(100 * share).toFixed(1)} %`}`);
  }
  console.log(bar === undefined ? `no threshold reaches ${precision}` : `lowest threshold with ≥ ${100 * precision} % same answer (≥ 10 pairs): ${bar.toFixed(2)}`);
}

void main();
