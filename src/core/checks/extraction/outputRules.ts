/**
 * What a statement says about judging answers: the error allowed for real numbers ("absolute or relative error …
 * at most 10^{-6}", "Answers within 10^-5 of the actual answer will be accepted"), whether order or letter case
 * matter ("return the answer in any order", "You can output the answer in any case"), and whether the examples can
 * judge at all ("print any of them", interactive and special-judge problems). A rule missed here fails right answers,
 * so the wording is read generously: a right answer failed is worse than no check.
 */
import type { Check, OutputRules } from '../../contracts/checks';

/** `10^{-6}`, `10^-6`, `$10^{-6}$`, `10−6` (a lost superscript), `1e-6`, `1E−9`. */
const POWER = String.raw`(?:10\s*\^?\s*\{?\s*[-−–]\s*(\d+)\s*\}?|1\s*[eE]\s*[-−–]\s*(\d+))`;
const TOLERANCE = [
  new RegExp(String.raw`(?:absolute|relative)\s+(?:or\s+(?:absolute|relative)\s+)?errors?\b[^.]{0,160}?${POWER}`, 'gi'),
  new RegExp(String.raw`(?:within|differ(?:s|ing)?\s+by\s+(?:at\s+most|no\s+more\s+than|less\s+than)|error\s+(?:of\s+)?(?:at\s+most|up\s+to|less\s+than|not\s+exceeding|does\s+not\s+exceed))\s*\$?\s*${POWER}`, 'gi'),
  new RegExp(String.raw`(?:precision|tolerance)\s+(?:of\s+)?\$?\s*${POWER}`, 'gi'),
];

/** "return/print/output … in any order", "the answer in any order" — about the answer, not the operations. */
const ANY_ORDER = /\b(?:return|print|output|answer|elements?|values?|pairs?|list)\b[^.\n]{0,80}?\bin\s+any\s+order\b/i;

const ANY_CASE = /\bin\s+any\s+(?:letter\s+)?case\b|\bcase[- ]insensitive\b|\b(?:upper|lower)[- ]?case\s+(?:or|and)\s+(?:upper|lower)[- ]?case\b[^.]{0,40}\b(?:accepted|recogni[sz]ed)|"yEs"/i;

/** Problems whose samples show one of several right answers, or that no sample can judge. */
const UNVERIFIABLE: readonly { pattern: RegExp; reason: string }[] = [
  {
    pattern: new RegExp(
      [
        // "print any of them", "return any valid answer", "output any such sequence", "return any array that …"
        String.raw`\b(?:print|output|return|report|choose|find)\s+any\s+(?:one\s+)?(?:of\s+(?:them|those|these)\b|(?:valid|correct|such|suitable|possible)\b|answer|solution|\w+\s+(?:that|which)\b)`,
        String.raw`\b(?:you\s+(?:can|may)|it\s+is\s+(?:allowed|acceptable)\s+to)\s+(?:print|output|return)\s+any\b(?!\s+(?:order|case)\b)`,
        String.raw`\bany\s+(?:valid|correct)\s+(?:answer|solution|output)s?\b`,
        // "If there are multiple solutions, …any…", within one sentence
        String.raw`\b(?:multiple|several|more\s+than\s+one)\s+(?:\w+\s+){0,2}(?:answers|solutions|ways|outputs|possibilities)\b[^.]{0,100}\bany\b(?!\s+(?:order|case)\b)`,
      ].join('|'),
      'i',
    ),
    reason: 'the statement accepts any valid answer, so a right reply may print another answer than the sample',
  },
  { pattern: /\binteractive\s+(?:problem|task)\b|\bthis\s+(?:problem|task)\s+is\s+interactive\b/i, reason: 'the problem is interactive: its samples are a dialogue, not an input and an output' },
  { pattern: /\bspecial\s+judge\b|\bchecker\s+(?:will\s+)?accepts?\b/i, reason: 'a special judge checks the answers, so a right reply may print another answer than the sample' },
];

/** The largest error a statement allows for real numbers, when it states one. */
function statedTolerance(statement: string): number | undefined {
  let found: number | undefined;
  for (const pattern of TOLERANCE) {
    for (const m of statement.matchAll(pattern)) {
      const exponent = Number(m[1] ?? m[2]);
      if (Number.isFinite(exponent) && exponent > 0 && exponent <= 18) found = Math.max(found ?? 0, Number(`1e-${exponent}`));
    }
  }
  return found;
}

/** Every real number written in the expected values (`3.00000`, `0.78333`). */
function decimalsShown(checks: readonly Check[]): number[] {
  const texts = checks.flatMap((c) => (c.kind === 'stdio' ? [c.expected] : c.kind === 'call' ? [c.expected] : []));
  return texts.flatMap((t) => [...t.matchAll(/(?<![\w.])-?\d+\.(\d+)(?![\w.])/g)].map((m) => (m[1] ?? '').length));
}

/**
 * The error to allow: the statement's, else, when the examples show real numbers, half a unit in the last place
 * they show (`0.78333` is the answer 0.783333… rounded: a right answer differs from it by up to 0.000005).
 */
function tolerance(statement: string, checks: readonly Check[]): number | undefined {
  const stated = statedTolerance(statement);
  if (stated !== undefined) return stated;
  const shown = decimalsShown(checks);
  // One part in 10^9 more than half a unit, so the rounding of the comparison itself never fails a right answer.
  return shown.length === 0 ? undefined : 0.5 * Number(`1e-${Math.min(...shown)}`) * (1 + 1e-9);
}

/** Why the statement's examples cannot judge a reply, when they cannot. */
export function unverifiableReason(statement: string): string | undefined {
  return UNVERIFIABLE.find((u) => u.pattern.test(statement))?.reason;
}

/** The output rules a statement sets for its checks. */
export function outputRules(statement: string, checks: readonly Check[]): OutputRules {
  const rules: OutputRules = {};
  const allowed = tolerance(statement, checks);
  if (allowed !== undefined) rules.tolerance = allowed;
  if (ANY_ORDER.test(statement)) rules.anyOrder = true;
  if (ANY_CASE.test(statement)) rules.caseInsensitive = true;
  return rules;
}
