import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareFinalAnswers, finalAnswer } from '../finalAnswer';
import { labelReferences, type LearningReference, type ReferenceLabel } from '../learning';
import { LexicalEmbedder } from '../../../embed/lexical';
import { prng } from '../../../../test/fixtures/bankData';

const lexical = new LexicalEmbedder();
const embed = (texts: readonly string[]) => lexical.embed(texts);

describe('finalAnswer', () => {
  it('reasoning before a lone </think> or after an unclosed <think> states no final answer', () => {
    assert.deepEqual(finalAnswer('So the answer is (B)? No, recheck.</think>\nThe answer is (C).'), { kind: 'choice', letter: 'C' });
    assert.deepEqual(finalAnswer('The answer is (C).\n<think>Or the answer is 42'), { kind: 'choice', letter: 'C' });
  });
  it('reads option letters and numbers only after an explicit cue', () => {
    assert.deepEqual(finalAnswer('Option C is wrong because... so the answer is (B).'), { kind: 'choice', letter: 'B' });
    assert.deepEqual(finalAnswer('Reasoning.\n**Answer:** D'), { kind: 'choice', letter: 'D' });
    const boxed = finalAnswer('We get \\boxed{\\frac{3}{4}}');
    assert.equal(boxed?.kind, 'number');
    assert.equal(boxed?.kind === 'number' && boxed.value.value, 0.75);
    assert.equal(finalAnswer('In C, a pointer to A is declared with an asterisk.'), null);
    assert.equal(finalAnswer('Use a hash map; lookups take 2 steps on average.'), null);
  });

  it('compares equal kinds, and refuses to compare a letter with a number', () => {
    const c = finalAnswer('Answer: C');
    const c2 = finalAnswer('The answer is (C)');
    const b = finalAnswer('Answer: B');
    const half = finalAnswer('Answer: 1/2');
    const pct = finalAnswer('Answer: 50%');
    const tenth = finalAnswer('Answer: 0.1');
    assert.ok(c && c2 && b && half && pct && tenth);
    assert.equal(compareFinalAnswers(c, c2), 1);
    assert.equal(compareFinalAnswers(c, b), 0);
    assert.equal(compareFinalAnswers(half, pct), 1);
    assert.equal(compareFinalAnswers(half, tenth), 0);
    assert.equal(compareFinalAnswers(c, half), null);
  });
});

describe('labelReferences', () => {
  it('labels by final answer when both sides state one, else by similarity with an uncertain band', async () => {
    const chosen = 'A binary search halves the range on each step, so it runs in logarithmic time O(log n). Answer: B';
    const refs: LearningReference[] = [
      { model: 'same', text: 'Each comparison halves the interval. The answer is (B).' },
      { model: 'other', text: 'It scans every element. Answer: A' },
      { model: 'prose', text: chosen.replace(' Answer: B', '') },
    ];
    const labels = await labelReferences(refs, chosen, embed);
    assert.deepEqual(
      labels.map((l) => [l.model, l.label, l.basis]),
      [
        ['same', 1, 'final-answer'],
        ['other', 0, 'final-answer'],
        ['prose', 1, 'similarity'],
      ],
    );
    const [, , prose] = labels;
    assert.ok((prose!.similarity ?? 0) >= 0.85);
  });

  it('code run on the question examples labels first: all passed is right, a failure or error wrong, whatever the chosen reply says', async () => {
    const chosen = 'Read n, then print n * 2.\n\n```python\nprint(int(input()) * 2)\n```';
    const checks = (passed: number, failed: number, errored = 0, timedOut = 0, source: 'question' | 'model' = 'question') => ({ total: passed + failed + errored + timedOut, passed, failed, errored, timedOut, source });
    const refs: LearningReference[] = [
      { model: 'passes', text: 'Something else entirely. Answer: 7', checks: checks(3, 0) },
      { model: 'fails', text: chosen, checks: checks(2, 1) },
      { model: 'crashes', text: chosen, checks: checks(2, 0, 1) },
      { model: 'slow', text: chosen, checks: checks(2, 0, 0, 1) },
      { model: 'model-tests', text: 'It depends on the input.', checks: checks(3, 0, 0, 0, 'model') },
    ];
    const labels = await labelReferences(refs, chosen, embed);
    assert.deepEqual(
      labels.map((l) => [l.model, l.label, l.basis]),
      [
        ['passes', 1, 'code'],
        ['fails', 0, 'code'],
        ['crashes', 0, 'code'],
        ['slow', 1, 'similarity'],
        ['model-tests', 0, 'similarity'],
      ],
    );
    assert.deepEqual(labels[1]?.checks, { passed: 2, total: 3 });
  });

  it('implicit feedback (a copy) never outranks a reference\'s checks: what the checks cannot label stays unlabelled', async () => {
    const chosen = 'Read n, then print n * 2.\n\n```python\nprint(int(input()) * 2)\n```';
    const checks = (passed: number, failed: number, timedOut = 0, source: 'question' | 'model' = 'question') => ({ total: passed + failed + timedOut, passed, failed, errored: 0, timedOut, source });
    const refs: LearningReference[] = [
      { model: 'same-code-model-tests', text: chosen, checks: checks(3, 0, 0, 'model') },
      { model: 'same-code-timed-out', text: chosen, checks: checks(2, 0, 1) },
      { model: 'fails', text: chosen, checks: checks(2, 1) },
      { model: 'prose', text: 'Double it: Answer: 7' },
    ];
    const copied = await labelReferences(refs, chosen, embed, { implicit: true });
    assert.deepEqual(
      copied.map((l) => [l.model, l.label, l.basis]),
      [
        ['same-code-model-tests', null, 'code'],
        ['same-code-timed-out', null, 'code'],
        ['fails', 0, 'code'],
        ['prose', 0, 'similarity'],
      ],
    );
    // Chosen with "Use this reply", the same references are labelled by likeness as before.
    const chosenExplicitly = await labelReferences(refs, chosen, embed);
    assert.equal(chosenExplicitly[0]?.label, 1);
  });

  it('leaves a reference between the thresholds unlabelled and honours custom thresholds', async () => {
    const chosen = 'Use git rebase -i HEAD~3 and mark the commits to squash, then force-push the branch.';
    const refs = [{ model: 'm', text: 'Use git rebase -i HEAD~3 and mark the commits as fixup; do not push.' }];
    const [probe] = await labelReferences(refs, chosen, embed, { agreeThreshold: 1, disagreeThreshold: -1 });
    assert.ok(probe);
    const s = probe.similarity as number;
    assert.equal(probe.label, null);
    assert.ok(s > 0 && s < 1);
    assert.equal((await labelReferences(refs, chosen, embed, { agreeThreshold: s, disagreeThreshold: s - 0.1 }))[0]?.label, 1);
    assert.equal((await labelReferences(refs, chosen, embed, { agreeThreshold: s + 0.05, disagreeThreshold: s }))[0]?.label, 0);
    await assert.rejects(labelReferences(refs, chosen, embed, { agreeThreshold: 0.5, disagreeThreshold: 0.7 }), /disagreeThreshold/);
  });

  it('embeds only what the final answers cannot decide, in one call', async () => {
    const calls: number[] = [];
    const counting = async (texts: readonly string[]) => {
      calls.push(texts.length);
      return embed(texts);
    };
    await labelReferences([{ model: 'a', text: 'Answer: 3' }, { model: 'b', text: 'no idea' }], 'so the answer is 3', counting);
    assert.deepEqual(calls, [2]);
    await labelReferences([{ model: 'a', text: 'Answer: 3' }], 'Answer: 4', counting);
    assert.deepEqual(calls, [2]);
  });
});

// ---------------------------------------------------------------------------------------------
// Evaluation with known ground truth: references are generated as right or wrong variants of a
// known answer; the rule's labels are compared with the truth.

interface Case {
  chosen: string;
  references: { text: string; right: boolean }[];
}

const LETTERS = 'ABCDEFGHIJ';

function choiceCases(rand: () => number, count: number): Case[] {
  const forms = [(x: string) => `Answer: ${x}`, (x: string) => `So the answer is (${x}).`, (x: string) => `The final answer is $\\boxed{${x}}$`, (x: string) => `**Answer:** ${x}`];
  return Array.from({ length: count }, (_, i) => {
    const right = LETTERS.charAt(Math.floor(rand() * 10));
    const wrong = () => LETTERS.charAt((LETTERS.indexOf(right) + 1 + Math.floor(rand() * 9)) % 10);
    const say = (x: string) => `Checking each option of question ${i} against the definition. ${forms[Math.floor(rand() * forms.length)]!(x)}`;
    return { chosen: say(right), references: [{ text: say(right), right: true }, { text: say(wrong()), right: false }, { text: say(right), right: true }, { text: say(wrong()), right: false }] };
  });
}

function numberCases(rand: () => number, count: number): Case[] {
  return Array.from({ length: count }, (_, i) => {
    const den = 2 + Math.floor(rand() * 8);
    const num = 1 + Math.floor(rand() * (den - 1));
    const value = num / den;
    const say = (x: string) => `Counting the favourable outcomes of case ${i}: the answer is ${x}`;
    return {
      chosen: say(`\\frac{${num}}{${den}}`),
      references: [
        { text: say(`${num}/${den}`), right: true },
        { text: say(`${(value * 100).toPrecision(8)}%`), right: true },
        { text: say(String(value + 1)), right: false },
        { text: say(`${num + 1}/${den + 3}`), right: (num + 1) / (den + 3) === value },
      ],
    };
  });
}

/** Free-form answers: a correct explanation per topic, paraphrased, against explanations of a different (wrong) claim. */
const TOPICS: { right: string[]; wrong: string[] }[] = [
  {
    right: ['A Python list append runs in amortised constant time.', 'The list over-allocates capacity, so most appends only write one slot.', 'Occasionally the array is reallocated and copied, which averages out.'],
    wrong: ['Appending to a Python list costs linear time every call.', 'Each call copies the entire underlying array into fresh memory.', 'Use a deque because lists never reserve extra room.'],
  },
  {
    right: ['Use a LEFT JOIN from customers to orders and keep rows where the order id IS NULL.', 'That returns customers without any order.', 'An index on orders.customer_id keeps the join fast.'],
    wrong: ['Group the orders table by product and take the count with HAVING.', 'Sort descending by revenue and limit the output to ten.', 'Window functions compute the running total per month.'],
  },
  {
    right: ['The closure captures the loop variable by reference, so every callback sees its final value.', 'Declare it with let inside the for loop to get a fresh binding per iteration.', 'Alternatively pass the value as an argument to an immediately invoked function.'],
    wrong: ['The event loop is blocked by a synchronous fetch, so timers never fire.', 'Switch to async await and wrap the network request in try catch.', 'Promises resolve in microtasks before rendering happens.'],
  },
  {
    right: ['git reset --soft HEAD~1 undoes the last commit and keeps its changes staged.', 'Nothing in the working tree is lost.', 'Use --hard only if you want to discard the changes too.'],
    wrong: ['git stash saves uncommitted work on a stack.', 'Later git stash pop reapplies it onto the current branch.', 'Untracked files need the -u flag to be stashed.'],
  },
  {
    right: ['The regex ^\\d{3}-\\d{4}$ matches exactly three digits, a hyphen and four digits.', 'The anchors stop partial matches inside longer strings.', 'Without them 12345-67890 would contain a match.'],
    wrong: ['Use a lookahead like (?=.*[A-Z]) to require an uppercase letter.', 'Combine several lookaheads to enforce password rules.', 'Lazy quantifiers such as .*? stop at the first closing tag.'],
  },
  {
    right: ['A Rust value moves into the function, so the caller can no longer use it.', 'Borrow it with & to lend a reference instead of transferring ownership.', 'Or clone it when the function really needs its own copy.'],
    wrong: ['The trait object needs dyn and a Box because its size is unknown at compile time.', 'Generic parameters are monomorphised into separate copies per type.', 'Lifetimes elide when there is a single input reference.'],
  },
];

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function freeFormCases(rand: () => number): Case[] {
  const openers = ['', 'Sure. ', 'Here is why. ', 'Short answer: '];
  const pick = () => openers[Math.floor(rand() * openers.length)];
  return TOPICS.flatMap((topic, t) =>
    [0, 1, 2].map(() => ({
      chosen: pick() + topic.right.join(' '),
      references: [
        { text: pick() + shuffled(topic.right, rand).join(' '), right: true },
        { text: pick() + topic.right.slice(0, 2).join(' '), right: true },
        { text: pick() + shuffled(topic.wrong, rand).join(' '), right: false },
        { text: pick() + TOPICS[(t + 1) % TOPICS.length]!.right.join(' '), right: false },
      ],
    })),
  );
}

interface Score {
  labelled: number;
  uncertain: number;
  precision1: number;
  recall1: number;
  precision0: number;
  recall0: number;
}

async function evaluate(cases: Case[]): Promise<Score> {
  let tp1 = 0, fp1 = 0, tp0 = 0, fp0 = 0, right = 0, wrong = 0, uncertain = 0;
  for (const c of cases) {
    const labels: ReferenceLabel[] = await labelReferences(c.references.map((r, i) => ({ model: `m${i}`, text: r.text })), c.chosen, embed);
    labels.forEach((l, i) => {
      const truth = c.references[i]!.right;
      if (truth) right++;
      else wrong++;
      if (l.label === null) uncertain++;
      else if (l.label === 1) {
        if (truth) tp1++;
        else fp1++;
      } else if (truth) fp0++;
      else tp0++;
    });
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return { labelled: tp1 + fp1 + tp0 + fp0, uncertain, precision1: ratio(tp1, tp1 + fp1), recall1: ratio(tp1, right), precision0: ratio(tp0, tp0 + fp0), recall0: ratio(tp0, wrong) };
}

describe('learning rule against known ground truth', () => {
  it('labels choice and number replies exactly by their final answers', async () => {
    const rand = prng(7);
    const score = await evaluate([...choiceCases(rand, 40), ...numberCases(rand, 40)]);
    assert.deepEqual(score, { labelled: 320, uncertain: 0, precision1: 1, recall1: 1, precision0: 1, recall0: 1 });
  });

  it('labels free-form replies by similarity with high precision (lexical embedder)', async (t) => {
    const score = await evaluate(freeFormCases(prng(11)));
    t.diagnostic(`free-form (lexical embedder, 0.85/0.6): ${JSON.stringify(score)}`);
    assert.ok(score.precision1 >= 0.9, `precision of 1-labels ${score.precision1}`);
    assert.ok(score.precision0 >= 0.9, `precision of 0-labels ${score.precision0}`);
    assert.ok(score.recall0 >= 0.9, `recall of 0-labels ${score.recall0}`);
    assert.ok(score.recall1 >= 0.4, `recall of 1-labels ${score.recall1}`);
  });
});
