/**
 * The typed events of one ask, consumed alike by the CLI, the extension host, the webview and tests,
 * and the final result document (what `smcs ask --json` prints: src/cli/askDocument.ts).
 */
import type { CheckRun, CheckSummary } from './checks';
import type { Behaviour, BestByChecks, CheckSet, ReplyRef, SelectedBy } from './checks';
import type { Answer } from './answer';
import type { CallRecord, CallStage, OutputStop } from './types';
import type { ErrorKind, FailedEndpoint } from './errors';
import type { PriorInfo, RouteFallback } from './priorSource';
import type { BudgetReport, FarQuestion, ModelEstimate, RoutingMode } from './routingReport';
import type { ContextReport } from './contextReport';
import type { TokenUsage } from './types';

export interface ReferenceOutcome {
  model: string;
  ok: boolean;
  error?: string;
  /** Why it failed, when it did. */
  errorKind?: ErrorKind;
  /** The endpoint whose failure it was, when it was one (not the model's reply). */
  errorEndpoint?: string;
  latencyMs: number;
  usage: TokenUsage;
  /** The answer, reasoning removed. */
  text: string;
  /** The model's reasoning, shown apart and never used as the answer (empty for models that do not reason). */
  reasoning: string;
  costUsd?: number;
  /** True when the reference was cut to fit the aggregator's context window. */
  trimmed?: boolean;
  /** Left out by the straggler deadline (not a failure of the model: the bank learns nothing from it). */
  late?: boolean;
  /** SMCS stopped reading the reply and kept it as far as it got. */
  stopped?: OutputStop;
  /** Its code run on the checks (replies with code only). */
  checks?: CheckSummary;
  /** Each check's run: status, what it printed or returned, the error. */
  checkRuns?: CheckRun[];
  /** What it did on inputs derived from the examples, when the examples tied. */
  behaviour?: Behaviour;
}

export interface CandidateOutcome {
  index: number;
  /** Referencer models in draw order. */
  subset: string[];
  /** How many of the n draws gave this subset (one aggregation serves them all; the similarity counts it that often). */
  draws: number;
  ok: boolean;
  error?: string;
  /** Why it failed, when it did. */
  errorKind?: ErrorKind;
  /** The synthesised answer, reasoning removed. */
  text: string;
  /** The aggregator's reasoning, shown apart and never scored. */
  reasoning: string;
  /** SMCS stopped reading the aggregation and kept it as far as it got. */
  stopped?: OutputStop;
  similarity: number;
  /** Null when the candidate has no log-probs. */
  perplexity: number | null;
  total: number;
  /** Its code run on the checks (candidates with code only). */
  checks?: CheckSummary;
  checkRuns?: CheckRun[];
  /** What it did on inputs derived from the examples, when the examples tied. */
  behaviour?: Behaviour;
}

export interface Timings {
  embedMs: number;
  retrieveMs: number;
  referencersMs: number;
  aggregateMs: number;
  scoreMs: number;
  totalMs: number;
  /** How long the answer waited for checks still running once the candidates were scored. */
  checksMs?: number;
  /** Gathering the context before the ask (workspace index brought up to date, retrieval). */
  contextMs?: number;
}

/** How the models were chosen, and what they are expected to cost (core/routing/priceRouting). */
export interface RoutingSummary {
  mode: RoutingMode;
  /** 1/USD; 0 in `quality`. */
  costWeight: number;
  /** Expected USD of the chosen set, and of what `quality` would have chosen; null where a price is unknown. */
  expectedUsd: number | null;
  qualityUsd: number | null;
  /** USD of the chosen set at worst (every reply at the output limit, every possible subset aggregated); null where a price is unknown. */
  worstUsd: number | null;
  /** Each model's expected accuracy (share of similar questions right, of how many) and expected cost of a reply. */
  estimates: ModelEstimate[];
  /** Present when `maxCostPerQuestion` is set: what fitted, and what was left out. */
  budget?: BudgetReport;
  /** Present when the bank has nothing close to the question: its unprofiled models were tried beside the best profiled. */
  far?: FarQuestion;
}

/** What the referencers agreed on: the same final answer (an option letter or a number), or near-identical replies. */
export type AgreementBasis = 'answer' | 'similarity';

/**
 * The referencers agreed, so fewer aggregations ran (core/posterior/consensus); or the answer was chosen by the
 * models' final answers (`selectedBy: "agreement"`, core/posterior/answerVote): then `support` and `split` say how.
 */
export interface AgreementSummary {
  basis: AgreementBasis;
  /** The final answer they agree on (basis `answer`). */
  answer?: string;
  /** The lowest similarity between two replies (basis `similarity`). */
  similarity?: number;
  agreeing: number;
  of: number;
  /** The chosen answer's support: the summed weights of the votes for it (chosen by the final answers only). */
  support?: number;
  /**
   * Every answer stated, the models stating it (the aggregator's name for the vote of an aggregation) and the summed
   * weights of their votes, the chosen one first (chosen by the final answers only).
   */
  split?: { answer: string; models: string[]; support?: number }[];
  /** The bank said routing's top-1 model alone is right more often than the vote on similar questions, so its answer was kept. */
  keptTop1?: boolean;
  /** Every final answer stated names one of the question's options by its label: the front ends show them as "(D)". */
  options?: boolean;
  /**
   * Each reply's final answer, worded as its split entry words it (null: it states none): every referencer that
   * answered, then every candidate that did (chosen by the final answers only). `worked`: the reply's working arrives
   * at the value of the option it picks (core/grading/derivedOption), which weighs its vote more.
   */
  answers?: { reply: ReplyRef; answer: string | null; worked?: true }[];
  /** Without the weight the replies' working adds, another answer would have been chosen (core/posterior/answerVote). */
  byWorking?: true;
}

export interface AskResult {
  question: string;
  /** The support set: its questions, and how many questions of full weight they are worth (core/routing/shrinkage). */
  support: { count: number; effective?: number };
  priors: PriorInfo[];
  /** Set when RPS could not rank the models. */
  selectionFallback?: RouteFallback;
  referencers: ReferenceOutcome[];
  aggregator: string;
  candidates: CandidateOutcome[];
  /** Index of the candidate ranked first (the winner card; the answer unless a reference is), or -1 when every aggregation failed. */
  winner: number;
  /**
   * `checks` when the checks set the answer apart; when they tie it with a reply of another program, what broke the tie
   * (`derived`, `tests`, `prior`, `score`); `agreement` when the models' final answers chose (core/posterior/answerVote);
   * `score` when the hybrid score did.
   */
  selectedBy: SelectedBy;
  /** The reply the checks favour (a referencer's when it beats every candidate); null when they favour none, as on a tie. */
  bestByChecks: BestByChecks | null;
  /** The checks the replies were run on; absent when the question is not a code task with checks. */
  checkSet?: CheckSet;
  /** The reply that is the answer (the first of the ranking, core/checks/replyRanking) and why; its text: `answerText`. */
  answer: Answer;
  /** Code questions: every reply with code in the order the checks ranked them, the answer first. */
  answerOrder?: ReplyRef[];
  /** How the models were chosen and their expected costs (every ask sets it; results kept from before do not have it). */
  routing?: RoutingSummary;
  /** Set when the referencers agreed and aggregations were left out, or when the final answers chose (`selectedBy: "agreement"`). */
  agreement?: AgreementSummary;
  /** Aggregation calls the agreement shortcut saved (0 when it did not apply; every ask sets it). */
  savedCalls?: number;
  logprobsUsed: boolean;
  /** References cut to fit the aggregator's context (model keys). */
  trimmedReferences: string[];
  timings: Timings;
  /** Tokens of the chat calls (referencers and aggregations), as the servers reported them. */
  usage: TokenUsage;
  /** Every call of the ask, priced where the model's price is known. */
  calls: CallRecord[];
  /** Total cost of the priced calls in USD; null when no call had a price. */
  costUsd: number | null;
  /** Tokens of every call, embeddings included. */
  tokens: { prompt: number; completion: number };
  /** Earlier turns of the conversation sent along, and where the oldest had to be left out to fit a model's window. */
  conversation: { turns: number; dropped: { stage: ChatStage; model: string; turns: number }[] };
  /** Requests whose output limit was lowered to what the model's context window left after the prompt. */
  cappedOutput: { stage: ChatStage; model: string; maxTokens: number }[];
  /**
   * Replies SMCS stopped reading and kept as far as they got — their server went on far past max_tokens, or their call
   * reached its total time limit — with the aggregation's `index`; absent when none.
   */
  stoppedOutput?: StoppedOutput[];
  /** The code every model received (present when the ask was given context, e.g. `smcs ask --workspace`). */
  context?: ContextReport[];
  /** What the context budget cut: "utils.py lines 200–900 left out: context window". */
  contextNotes?: string[];
}

export type ChatStage = 'referencer' | 'aggregation';

/** A reply SMCS stopped reading and kept (core/contracts/types `OutputStop`), and whose it was. */
export type StoppedOutput = { stage: Exclude<CallStage, 'embedding'>; model: string; index?: number } & OutputStop;

/** What an ask that ended without an answer had paid for: the calls that returned before it failed or was stopped. */
export type Spent = Pick<AskResult, 'calls' | 'costUsd' | 'tokens'>;

export type PipelineEvent =
  | { type: 'embed'; ms: number }
  | { type: 'retrieve'; ms: number; supportCount: number; supportEffective?: number; priors: PriorInfo[]; referencers: string[]; fallback?: RouteFallback; estimates?: ModelEstimate[]; routing?: RoutingSummary; context?: { items: ContextReport[]; notes: string[] } }
  | { type: 'referencer-started'; model: string }
  | { type: 'referencer-delta'; model: string; kind: 'text' | 'reasoning'; text: string }
  /** The call waits `ms` before trying again (rate limited, or a server error being retried). */
  | { type: 'referencer-waiting'; model: string; ms: number; reason: string }
  | { type: 'referencer-done'; reference: ReferenceOutcome }
  | { type: 'referencer-failed'; model: string; error: string; kind: ErrorKind }
  | { type: 'referencers-abandoned'; models: string[]; afterMs: number }
  /** The distinct subsets to aggregate, and how many of the n draws gave each. */
  | { type: 'subsets'; aggregator: string; subsets: string[][]; draws: number[] }
  | { type: 'aggregation-started'; index: number; subset: string[] }
  | { type: 'aggregation-delta'; index: number; text: string }
  | { type: 'aggregation-waiting'; index: number; ms: number; reason: string }
  | { type: 'aggregation-done'; index: number; latencyMs: number; usage: TokenUsage; text: string; reasoning: string; stopped?: OutputStop }
  | { type: 'aggregation-failed'; index: number; error: string; kind: ErrorKind }
  /** The checks the replies are run on: the question's (at the start) or tests a model wrote (later). */
  | { type: 'checks'; checkSet: CheckSet }
  | { type: 'reply-checked'; reply: ReplyRef; checks: CheckSummary; runs: CheckRun[] }
  | { type: 'scored'; candidates: CandidateOutcome[]; winner: number; logprobsUsed: boolean; selectedBy?: SelectedBy; bestByChecks?: BestByChecks | null }
  | { type: 'done'; result: AskResult }
  /**
   * The ask failed (`kind: 'cancelled'` when it was stopped); `causes` are the per-model failures behind it, `spent` the
   * calls it had made (absent when it failed before the pipeline started); `endpoints` the endpoints whose failures it
   * was (absent when it was no endpoint's: a bad setting, the bank, a bug); `retryAfterMs` the wait its server asked
   * for before the next try (HTTP Retry-After), when it named one. `serverStopping`: the SMCS server that ran the ask
   * (or was to) is shutting down (its error code `server_stopping`, server/errors serverStopped): `message` is its own
   * words — what is counted, and to ask again in a moment — and no fault of anyone's to mend.
   */
  | { type: 'error'; message: string; kind: ErrorKind; causes: string[]; spent?: Spent; endpoints?: FailedEndpoint[]; retryAfterMs?: number; serverStopping?: true };
