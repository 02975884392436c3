import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateOutcome, ReferenceOutcome } from '../../contracts/events';
import type { CheckRun, ReplyRef, TieBreak } from '../../contracts/checks';
import { createRng, shuffled, type Rng } from '../../util/rng';
import { rankReplies, type RankedReply } from '../replyRanking';
import { decide, putFirst, replyKey, summarize, type Checked, type ReplyChecks } from '../decision';

/** Property tests: random asks, seeded, so a failure names the case that broke and reruns the same. */
const CASES = 3000;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)] as T;
const int = (rng: Rng, max: number): number => Math.floor(rng.next() * (max + 1));

/** A random reply as the ranking sees it; values come from small sets so that ties are frequent. */
function randomReplies(rng: Rng): RankedReply[] {
  const measured = (): Pick<RankedReply, 'checked' | 'score' | 'crashes' | 'behaviourVotes' | 'bonus'> => ({
    checked: rng.next() < 0.8,
    score: pick(rng, [0, 1, 2, 2, 0.5, 1 / 3 + 1 / 3 + 1 / 3]),
    crashes: pick(rng, [0, 0, 1, 2]),
    behaviourVotes: pick(rng, [0, 0.35, 0.7, 0.7]),
    bonus: pick(rng, [0, 0, 0.45, 0.9]),
  });
  const candidates = Array.from({ length: int(rng, 4) }, (_, index): RankedReply => ({ kind: 'candidate', index, total: pick(rng, [0.5, 0.9, 0.9, 1.2, rng.next() * 2]), ...measured(), checked: true }));
  const referencers = Array.from({ length: int(rng, 4) }, (_, position): RankedReply => ({ kind: 'referencer', model: `m${position}`, prior: pick(rng, [0, 0.4, 0.4, 0.9, rng.next()]), position, ...measured() }));
  return [...candidates, ...referencers];
}

const id = (r: RankedReply): string => (r.kind === 'candidate' ? `c${r.index}` : `r${r.model}`);
const classOf = (r: RankedReply): number[] => [r.checked ? 0 : 1, -r.score, r.crashes, -r.behaviourVotes];
/** Class keys compared lexicographically, values within 1e-9 equal: < 0 when `a` ranks before `b`. */
function before(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (Math.abs(d) > 1e-9) return d;
  }
  return 0;
}

test('property: the ranking is a total, deterministic order — every reply once, whatever order they come in', () => {
  const rng = createRng(43);
  for (let n = 0; n < CASES; n++) {
    const replies = randomReplies(rng);
    const ranked = rankReplies(replies).map(id);
    assert.deepEqual([...ranked].sort(), replies.map(id).sort(), `case ${n}: every reply exactly once`);
    assert.deepEqual(rankReplies(shuffled(replies, rng)).map(id), ranked, `case ${n}: the same order from a shuffled input`);
    assert.deepEqual(rankReplies(rankReplies(replies)).map(id), ranked, `case ${n}: ranking a ranking keeps it`);
  }
});

test('property: the order follows the rules — what ran first, candidates by total, a referencer first only above every candidate', () => {
  const rng = createRng(7);
  for (let n = 0; n < CASES; n++) {
    const ranked = rankReplies(randomReplies(rng));
    for (let i = 1; i < ranked.length; i++) {
      const [a, b] = [ranked[i - 1] as RankedReply, ranked[i] as RankedReply];
      assert.ok(before(classOf(a), classOf(b)) <= 0, `case ${n}: ${id(a)} before ${id(b)} though the checks rank it lower`);
      if (a.kind === 'candidate' && b.kind === 'candidate' && before(classOf(a), classOf(b)) === 0) {
        assert.ok(a.total + a.bonus > b.total + b.bonus || (a.total + a.bonus === b.total + b.bonus && a.index < b.index), `case ${n}: candidates by total, then index`);
      }
    }
    const answer = ranked[0];
    const candidates = ranked.filter((r) => r.kind === 'candidate');
    if (answer?.kind === 'referencer' && candidates.length > 0) {
      const best = candidates[0] as RankedReply;
      const cls = before(classOf(answer), classOf(best));
      assert.ok(cls < 0 || (cls === 0 && answer.bonus > best.bonus), `case ${n}: a referencer answers only when it ranks above every candidate`);
    }
  }
});

test('property: without checks the hybrid score chooses among the candidates, else the highest prior answers', () => {
  const rng = createRng(11);
  for (let n = 0; n < CASES; n++) {
    const replies = randomReplies(rng).map((r) => ({ ...r, checked: true, score: 0, crashes: 0, behaviourVotes: 0, bonus: 0 }));
    const [answer] = rankReplies(replies);
    if (answer === undefined) {
      assert.equal(replies.length, 0, `case ${n}: replies, and no answer`);
      continue;
    }
    const candidates = replies.filter((r) => r.kind === 'candidate');
    if (candidates.length > 0) {
      // hybridScore.ts: the highest total, ties to the lowest index.
      const top = candidates.reduce((m, c) => (c.total > m.total ? c : m));
      assert.equal(id(answer), id(top), `case ${n}`);
    } else {
      const refs = replies.filter((r) => r.kind === 'referencer');
      const top = refs.reduce((m, r) => (r.prior > m.prior ? r : m));
      assert.equal(id(answer), id(top), `case ${n}`);
    }
  }
});

/** Random outcomes of an ask, with random runs on random checks, for `decide` (what the pipeline calls). */
function randomAsk(rng: Rng): { candidates: CandidateOutcome[]; referencers: ReferenceOutcome[]; checked: Checked | null; priors: Map<string, number> } {
  const usage = { promptTokens: 0, completionTokens: 0 };
  // Replies write one of three programs, so that some share one (an aggregation copying a reference).
  const code = (): string => `\`\`\`python\nprint(${int(rng, 2)})\n\`\`\``;
  const candidates = Array.from({ length: int(rng, 4) }, (_, index): CandidateOutcome => ({ index, subset: [], draws: 1, ok: rng.next() < 0.8, text: code(), reasoning: '', similarity: 0, perplexity: null, total: pick(rng, [0.5, 0.9, 0.9, 1.2]) }));
  const referencers = Array.from({ length: 1 + int(rng, 3) }, (_, i): ReferenceOutcome => ({ model: `m${i}`, ok: i === 0 || rng.next() < 0.8, latencyMs: 1, usage, text: code(), reasoning: '' }));
  const priors = new Map(referencers.map((r) => [r.model, pick(rng, [0.2, 0.5, 0.5, 0.8])]));
  const checkCount = int(rng, 3);
  if (checkCount === 0) return { candidates, referencers, checked: null, priors };
  const tieBreak: TieBreak | undefined = rng.next() < 0.3 ? { checks: [], trusted: [0, 1], weight: 0.9 } : undefined;
  const results = new Map<string, ReplyChecks>();
  const refs: ReplyRef[] = [...candidates.map((c): ReplyRef => ({ kind: 'candidate', index: c.index })), ...referencers.map((r): ReplyRef => ({ kind: 'referencer', model: r.model }))];
  for (const ref of refs) {
    if (rng.next() < 0.2) continue;
    const runs: CheckRun[] = Array.from({ length: checkCount }, (_, check) => ({ check, status: pick(rng, ['passed', 'passed', 'failed', 'errored'] as const), durationMs: 1 }));
    const summary = summarize(runs, 'question');
    results.set(replyKey(ref), { summary: tieBreak ? { ...summary, tieBreak: { passed: int(rng, 2), trusted: 2 } } : summary, runs });
  }
  const checks = Array.from({ length: checkCount }, (_, i) => ({ kind: 'stdio' as const, source: 'question' as const, label: `e${i}`, input: '', expected: '' }));
  return { candidates, referencers, checked: { checkSet: { source: 'question', checks, rules: {}, ...(tieBreak ? { tieBreak } : {}) }, results }, priors };
}

test('property: the answer of an ask is the first of its order, the winner its first candidate, the checked order starts with it', () => {
  const rng = createRng(2026);
  for (let n = 0; n < CASES; n++) {
    const ask = randomAsk(rng);
    const decision = decide(ask.candidates, ask.referencers, ask.checked, ask.priors);
    assert.deepEqual(decision.answer, decision.order[0], `case ${n}`);
    const answered = [...ask.candidates.filter((c) => c.ok).map((c) => `c${c.index}`), ...ask.referencers.filter((r) => r.ok).map((r) => `r${r.model}`)];
    assert.deepEqual(decision.order.map((r) => (r.kind === 'candidate' ? `c${r.index}` : `r${r.model}`)).sort(), answered.sort(), `case ${n}: every reply that answered, once`);
    const firstCandidate = decision.order.find((r) => r.kind === 'candidate');
    assert.equal(decision.winner, firstCandidate?.kind === 'candidate' ? firstCandidate.index : -1, `case ${n}`);
    if (decision.answerOrder.length > 0) assert.deepEqual(decision.answerOrder[0], decision.answer, `case ${n}`);
    assert.deepEqual(decide(ask.candidates, ask.referencers, ask.checked, ask.priors), decision, `case ${n}: deterministic`);
  }
});

test('property: a pick put first (the final answers, core/ask/answerChoice) is the answer, order[0]; the winner the first candidate of the new order', () => {
  const rng = createRng(44);
  for (let n = 0; n < CASES; n++) {
    const ask = randomAsk(rng);
    const ranked = decide(ask.candidates, ask.referencers, null, ask.priors);
    const picks = shuffled(ranked.order, rng).slice(0, int(rng, 2));
    const decision = putFirst(ranked, picks, 'agreement');
    assert.deepEqual(decision.answer, decision.order[0], `case ${n}: the answer is the first of the order`);
    assert.deepEqual(decision.order.slice(0, picks.length), picks, `case ${n}: the picks first, in their order`);
    assert.deepEqual([...decision.order].map(replyKey).sort(), ranked.order.map(replyKey).sort(), `case ${n}: every reply once`);
    const firstCandidate = decision.order.find((r) => r.kind === 'candidate');
    assert.equal(decision.winner, firstCandidate?.kind === 'candidate' ? firstCandidate.index : -1, `case ${n}`);
    assert.equal(decision.selectedBy, 'agreement');
    if (picks.length === 0) assert.deepEqual(decision.order, ranked.order, `case ${n}: no pick keeps the ranking`);
  }
});

test('property: the checks are named as choosing only when no other program passes as many; a tie favours no reply', () => {
  const rng = createRng(62);
  let ties = 0;
  let chosen = 0;
  for (let n = 0; n < CASES; n++) {
    const ask = randomAsk(rng);
    if (ask.checked === null) continue;
    const { results } = ask.checked;
    const decision = decide(ask.candidates, ask.referencers, ask.checked, ask.priors);
    const text = (ref: ReplyRef): string => (ref.kind === 'candidate' ? ask.candidates.find((c) => c.index === ref.index)?.text : ask.referencers.find((r) => r.model === ref.model)?.text) ?? '';
    const passed = (ref: ReplyRef): number => results.get(replyKey(ref))?.summary.passed ?? 0;
    const running = decision.order.filter((ref) => ref.kind === 'candidate' || results.has(replyKey(ref)));
    const tied = running.some((ref) => replyKey(ref) !== replyKey(decision.answer) && text(ref) !== text(decision.answer) && passed(ref) >= passed(decision.answer));
    assert.equal(decision.bestByChecks !== null, decision.selectedBy === 'checks', `case ${n}: the checks favour a reply exactly when they chose`);
    if (tied && running.some((ref) => replyKey(ref) === replyKey(decision.answer))) {
      ties++;
      assert.equal(decision.bestByChecks, null, `case ${n}: another program passes as many checks as the answer: a tie`);
      assert.notEqual(decision.selectedBy, 'checks', `case ${n}`);
    }
    if (decision.bestByChecks !== null) {
      chosen++;
      const { passed: p, total: _total, ...named } = decision.bestByChecks;
      assert.deepEqual(named, decision.answer, `case ${n}: it names the answer`);
      assert.equal(p, passed(decision.answer), `case ${n}`);
      assert.ok(running.some((ref) => passed(ref) < p), `case ${n}: the answer passes more than some reply`);
    }
  }
  assert.ok(ties > 100 && chosen > 100, `both outcomes are exercised: ${ties} ties, ${chosen} chosen by the checks`);
});
