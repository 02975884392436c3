/**
 * Where the models agree on a final answer, in the words every front end shows above the answer (issue 44): "3 of 3
 * models answer (D)", or how they split and why the answer was chosen, with "models disagree" when the choice was
 * close; and each reply's final answer for its badge. Read only from the answers the vote extracted
 * (core/ask/voteDetail), so nothing here claims agreement the extracted answers do not show. Pure.
 */
import type { ReplyRef } from '../core/contracts/checks';
import type { AgreementSummary } from '../core/contracts/events';

/**
 * A lead in support below this is a close choice. Supports are sums of log-odds (core/posterior/answerVote
 * `voteWeight`), so a lead below ln 3 means that, by the votes' own weights, the chosen answer is less than three times
 * as likely to be right as the next one.
 */
export const CLOSE_MARGIN = Math.log(3);

export interface AgreementLine {
  /** "3 of 3 models answer (D)", or the split and why the answer was chosen. */
  text: string;
  /** "models disagree: a close choice between (B) and (D)", when the chosen answer's lead in support is below CLOSE_MARGIN. */
  disagree?: string;
}

/** A final answer as the line and the badges show it: an option as "(D)", anything else as stated. */
export function answerLabel(answer: string, agreement: Pick<AgreementSummary, 'options'>): string {
  return agreement.options === true ? `(${answer})` : answer;
}

/**
 * The final answer `reply` states, as its badge shows it; undefined when it states none, or when no final answers
 * were read. When every referencer stated the same answer and no aggregation ran (the agreement shortcut), each
 * referencer's is that answer.
 */
export function replyAnswerLabel(agreement: AgreementSummary | undefined, reply: ReplyRef): string | undefined {
  if (agreement?.basis !== 'answer') return undefined;
  if (agreement.answers === undefined) {
    const everyone = agreement.split === undefined && agreement.agreeing === agreement.of && reply.kind === 'referencer';
    return everyone && agreement.answer !== undefined ? answerLabel(agreement.answer, agreement) : undefined;
  }
  const same = (r: ReplyRef): boolean => (r.kind === 'referencer' ? reply.kind === 'referencer' && r.model === reply.model : reply.kind === 'candidate' && r.index === reply.index);
  const stated = agreement.answers.find((a) => same(a.reply))?.answer;
  return stated === undefined || stated === null ? undefined : answerLabel(stated, agreement);
}

/** "a", "a and b", "a, b and c". */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

interface Group {
  label: string;
  models: string[];
  /** Only an aggregation's own vote stated it. */
  aggregationOnly: boolean;
  support: number | undefined;
}

/** The other group a chosen minority outweighed, in words: its one model, "such a pair", or "4 such models together". */
function rivalPhrase(rival: Group, name: (model: string) => string): string {
  if (rival.models.length === 1) return name(rival.models[0] ?? '');
  return rival.models.length === 2 ? 'such a pair' : `${rival.models.length} such models together`;
}

/**
 * Why the chosen answer won, after "— chose (B)": most models, the bank keeping top-1's answer, the working of the
 * replies that reach it, a tie that routing's first choice keeps, or the votes' weights.
 */
function reason(chosen: Group, others: readonly Group[], agreement: AgreementSummary, top: string | undefined, name: (model: string) => string): string {
  const rival = [...others].sort((a, b) => b.models.length - a.models.length)[0];
  if (rival === undefined || chosen.models.length > rival.models.length) return ': most models answer it';
  if (agreement.keptTop1 === true && top !== undefined) return `: on similar questions ${name(top)} alone is right more often than a vote of these models`;
  if (agreement.byWorking === true) return `: ${workedBy(chosen, agreement, name)} at the value of ${chosen.label}`;
  if (chosen.aggregationOnly) return ": the aggregation's answer weighs most";
  // Equal support (no bank: every model weighs the same) is a tie, which routing's first choice keeps — not a claim about the bank.
  const tied = others.some((g) => g.support !== undefined && chosen.support !== undefined && Math.abs(g.support - chosen.support) < 1e-9);
  if (tied) return top !== undefined && chosen.models.includes(top) ? `: the votes tie, and ${name(top)} is routing's first choice` : ': the votes tie';
  return `: on similar questions ${listed(chosen.models.map(name))} ${chosen.models.length === 1 ? 'is' : 'are'} right more often than ${rivalPhrase(rival, name)}`;
}

/** "the working of gemini-1.5-pro arrives": the replies holding the chosen answer that worked its value out (an aggregation's when no referencer's did). */
function workedBy(chosen: Group, agreement: AgreementSummary, name: (model: string) => string): string {
  const models = (agreement.answers ?? []).flatMap((a) => (a.reply.kind === 'referencer' && a.worked === true && chosen.models.includes(a.reply.model) ? [name(a.reply.model)] : []));
  if (models.length === 0) return "the aggregation's working arrives";
  return `the working of ${listed(models)} arrives`;
}

/** "llama-3.1-70b and gemini-1.5-flash answer (D)", or "the aggregation answers (C)". */
function groupText(group: Group, name: (model: string) => string): string {
  if (group.models.length === 0) return `the aggregation answers ${group.label}`;
  return `${listed(group.models.map(name))} ${group.models.length === 1 ? 'answers' : 'answer'} ${group.label}`;
}

const noAnswer = (count: number): string => `${count} ${count === 1 ? 'gives' : 'give'} no final answer`;

/** The line for the agreement shortcut: every referencer (or a majority) stated one answer, no vote was taken. */
function shortcutLine(agreement: AgreementSummary): AgreementLine | undefined {
  if (agreement.answer === undefined) return undefined;
  return { text: `${agreement.agreeing} of ${agreement.of} ${agreement.of === 1 ? 'model answers' : 'models answer'} ${answerLabel(agreement.answer, agreement)}` };
}

/**
 * The line above the answer (see the module comment); undefined when no final answers were read (a question without
 * one, code with checks, near-identical replies). `name` shortens model keys as the front end does.
 */
export function agreementLine(agreement: AgreementSummary | undefined, name: (model: string) => string = (m) => m): AgreementLine | undefined {
  if (agreement?.basis !== 'answer') return undefined;
  if (agreement.split === undefined) return shortcutLine(agreement);
  const answers = agreement.answers;
  if (answers === undefined) return undefined;
  const referencers = answers.flatMap((a) => (a.reply.kind === 'referencer' ? [{ model: a.reply.model, answer: a.answer }] : []));
  const groups: Group[] = agreement.split.map((entry) => {
    const models = referencers.filter((r) => r.answer === entry.answer).map((r) => r.model);
    return { label: answerLabel(entry.answer, agreement), models, aggregationOnly: models.length === 0, support: entry.support };
  });
  const [chosen, ...others] = groups;
  if (chosen === undefined) return undefined;
  const silent = referencers.filter((r) => r.answer === null).length;
  if (others.length === 0) {
    const text = `${chosen.models.length} of ${referencers.length} ${referencers.length === 1 ? 'model answers' : 'models answer'} ${chosen.label}`;
    return { text: silent > 0 ? `${text}; ${noAnswer(silent)}` : text };
  }
  const top = referencers.find((r) => r.answer !== null)?.model;
  const parts = [...groups.map((g) => groupText(g, name)), ...(silent > 0 ? [noAnswer(silent)] : [])];
  const text = `${parts.join(' · ')} — chose ${chosen.label}${reason(chosen, others, agreement, top, name)}`;
  const runnerUp = [...others].sort((a, b) => (b.support ?? 0) - (a.support ?? 0))[0];
  const close = runnerUp !== undefined && chosen.support !== undefined && runnerUp.support !== undefined && chosen.support - runnerUp.support < CLOSE_MARGIN;
  return close ? { text, disagree: `models disagree: a close choice between ${chosen.label} and ${runnerUp.label}` } : { text };
}

/** The line as one string, for text front ends (the CLI, the server's `smcs` field): the note after it. */
export function agreementLineText(line: AgreementLine): string {
  return line.disagree === undefined ? line.text : `${line.text} (${line.disagree})`;
}
