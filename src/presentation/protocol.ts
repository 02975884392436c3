/**
 * The one typed message protocol between the extension host and the SMCS webview panel.
 * Both sides import this file; each side validates what it receives with the guards below,
 * because a message crossing the boundary is untrusted data.
 *
 * Handshake: the webview posts `ready` once its script runs; the host answers with a `snapshot`
 * (the full panel state, which lives in the host) and then streams `run-started` / `run-actions`.
 * When the view is hidden and re-created, the new webview posts `ready` again and gets a fresh snapshot.
 */
import { isRunState, type RunAction, type RunState } from './runState';
import type { TokensFrom } from '../core/contracts/routingReport';
import { TOKENS_FROM } from './askNotices';
import type { TeamUsageView } from './teamUsage';

/** The kinds of failure the panel explains (core/contracts/errors), for the webview, which imports only shared code. */
export type { ErrorKind } from '../core/contracts/errors';

/** Why the panel shows its welcome instead of the input box. */
export interface SetupState {
  /** At least one endpoint is configured in `smcs.endpoints`. */
  hasEndpoints: boolean;
  /** The settings are invalid: the setting at fault and the message. */
  configError?: { setting: string; message: string };
}

/** The whole panel state, re-sent whenever the view is (re)created. */
export interface PanelSnapshot {
  /** Past and current runs of every thread, oldest first. */
  runs: RunState[];
  /** Id of the run in progress, if any. */
  activeRunId?: string;
  /** The thread the panel shows and the next question continues; absent = a new chat. */
  activeThreadId?: string;
  setup: SetupState;
}

/**
 * The plan's cost before sending, for the question being typed: expected (null = a needed price unknown) and at worst;
 * `assumed` names the models priced at a typical reply length.
 */
export interface CostEstimateView {
  question: string;
  expectedUsd: number | null;
  worstUsd: number | null;
  assumed: string[];
  /** Where each chosen model's expected reply length comes from (presentation/askNotices says it in words). */
  basis: { model: string; from: TokensFrom }[];
}

/** Accuracy of one model on one domain of the bank. */
export interface BankDomainAccuracy {
  domain: string;
  labelled: number;
  /** correct / labelled, 0…1. */
  accuracy: number;
}

/** One profiled model in the panel's bank summary. */
/**
 * Fewer labels than this and a model's accuracy says little (one right answer of one reads 100 %): such models are
 * listed apart in the Bank section and not counted as profiled. 30 labels put the 95 % Wilson interval of a 70 %
 * model within about ±15 points.
 */
export const FEW_LABELS = 30;

export interface BankModelSummary {
  model: string;
  /** Bank questions with a label for this model. */
  labelled: number;
  /** Overall accuracy on those questions, 0…1. */
  accuracy: number;
  /** What the labels support: the lower end of the 95 % Wilson interval of the accuracy (the rank order). */
  lowerBound: number;
  /** Too few labels to say much (listed apart, not counted as profiled). */
  fewLabels: boolean;
  /** Per domain, sorted by domain name. */
  byDomain: BankDomainAccuracy[];
  /** The current settings list this model. */
  configured: boolean;
}

/**
 * Who answers every question while there is no bank: the first `k` models in the order the settings list them —
 * named (`models`) when every endpoint lists its models; `discovered` when one takes them from its server's /models.
 */
export interface FirstModelsView {
  k: number;
  models: string[];
  discovered: boolean;
}

/** The plain-data bank summary the panel shows (built by the host from `bankStats`). */
export interface BankSummary {
  /** Number of questions. */
  size: number;
  /** Id of the embedder that built the bank. */
  embedder: string;
  /** The embedder the settings name, present only when it differs from the bank's (retrieval cannot use the bank then). */
  settingsEmbedder?: string;
  /** Models with at least one label: those with enough labels first, each group by the lower bound of its accuracy. */
  models: BankModelSummary[];
  /** Models of the current settings without any label in the bank. */
  unprofiled: string[];
  /** Present for a team bank: where it is (`host:port/database`) and how many people wrote to it; absent for a bank folder. */
  team?: { location: string; contributors: number };
}

/**
 * What the panel's Bank section shows: `loading` until the host has read the bank (lazily, after `ready`),
 * `none` when there is no bank or it is empty (`unprofiled` = the configured models), `error` with a one-line message,
 * `server` when a team server is the engine and routes by its own bank.
 */
export type BankPanelState = (
  | { status: 'loading' }
  | { status: 'none'; unprofiled: string[]; firstModels?: FirstModelsView }
  | { status: 'ready'; summary: BankSummary }
  /** `remedy: 'password'`: a team bank's password is missing or refused, so SMCS: Set Team Bank Password is the way forward. */
  | { status: 'error'; message: string; remedy?: 'password' }
  /** A team bank whose schema is missing or older than this version needs: SMCS: Migrate Team Bank Schema fixes it. */
  | { status: 'schema'; location: string; problem: string }
  /** A team server is the engine (the endpoint marked `teamServer`): its own bank routes every question. */
  | { status: 'server'; endpoint: string }
) & {
  banks?: BankChoice;
  /** One line per endpoint marked `teamServer`: the signed-in key's spend against its budget, or why it could not be read. */
  teamUsage?: TeamUsageView[];
};

/** While a team bank is in use: which one, and the local bank folder beside it, one click away. */
export interface BankChoice {
  /** The team bank in use, `host:port/database`. */
  team: string;
  /** The local bank folder, and how many questions it holds (0 when there is none). */
  local: { location: string; size: number };
}

/** Commands the panel may ask the host to run (an allow-list: never arbitrary command ids). */
export const PANEL_COMMANDS = [
  'smcs.addVllmServer',
  'smcs.addOpenRouter',
  'smcs.openSettings',
  'smcs.openEndpointSettings',
  'smcs.testEndpoints',
  'smcs.setApiKey',
  'smcs.showLog',
  'smcs.importBank',
  'smcs.profileModels',
  'smcs.migrateTeamBankSchema',
  'smcs.setTeamBankPassword',
  'smcs.switchToLocalBank',
  'smcs.copyLocalBankIntoTeamBank',
] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];
export const isPanelCommand = (v: unknown): v is PanelCommand => (PANEL_COMMANDS as readonly unknown[]).includes(v);

/**
 * Ways forward when the embedding model cannot be used (errors of kind `embedding`): the lexical embedder, a local
 * model folder, or an /embeddings endpoint. The panel offers them as buttons that set the setting and ask again.
 */
export const EMBEDDER_REMEDIES = ['lexical', 'local-model', 'endpoint'] as const;
export type EmbedderRemedy = (typeof EMBEDDER_REMEDIES)[number];
export const isEmbedderRemedy = (v: unknown): v is EmbedderRemedy => (EMBEDDER_REMEDIES as readonly unknown[]).includes(v);

export type HostToWebview =
  | { type: 'snapshot'; snapshot: PanelSnapshot }
  | { type: 'run-started'; run: RunState }
  | { type: 'run-actions'; runId: string; actions: RunAction[] }
  | { type: 'setup'; setup: SetupState }
  | { type: 'bank-summary'; bank: BankPanelState }
  /** The thread the panel shows changed (New Chat, a thread reopened or deleted); null = a new chat. */
  | { type: 'active-thread'; threadId: string | null }
  /** Runs were forgotten (a thread deleted). */
  | { type: 'runs-removed'; runIds: string[] }
  | { type: 'estimate'; estimate: CostEstimateView }
  /** The user cancelled sending this question (over the cost limit): the box gets it back. */
  | { type: 'ask-declined'; question: string }
  /** Focus the question box; `text` replaces what it holds (a question begun in the palette's one-line box). */
  | { type: 'focus-input'; text?: string }
  /** What the editor gives the next question: the current file (null: none, or the setting is off) and the selection's lines. */
  | { type: 'editor-context'; currentFile: ComposerFile | null; selection: ComposerFile | null }
  /** What follows `#` in the question box completes to: the keywords it starts (`#codebase`…), then workspace files, best first. */
  | { type: 'file-matches'; query: string; keywords: MentionKeyword[]; files: string[] }
  /** A file the user chose with "Add file…" or "SMCS: Ask About File" (workspace-relative). */
  | { type: 'file-added'; path: string }
  /**
   * What part of the current file the question being typed sends (core/retrieval/openFileShare), for its chip: `share`
   * "lines 40–88 · 1.2k tokens" or "not sent: the question does not refer to it"; `whole`, what a click sends
   * ("whole file · 48k tokens").
   */
  | { type: 'current-file-share'; question: string; path: string; share: string; whole: string };

/** A file (and lines) a chip above the question box shows. */
/** A `#` keyword the question box offers (`codebase`), and what it adds to the question. */
export interface MentionKeyword {
  name: string;
  description: string;
}

export interface ComposerFile {
  path: string;
  startLine: number;
  endLine: number;
}

/** The action of a code block's toolbar button, by what it does with the code. */
export type CodeAction = 'copy' | 'insert' | 'open';

/** What the chips above the question box chose: the current file's chip dropped; files added with "Add file…" (workspace-relative). */
export interface ChipChoice {
  withoutCurrentFile?: boolean;
  /** A click on the current file's chip: it goes whole. */
  wholeCurrentFile?: boolean;
  withoutSelection?: boolean;
  files?: string[];
}

export type WebviewToHost =
  | { type: 'ready' }
  /** Ask, with what the chips chose. */
  | ({ type: 'ask'; question: string } & ChipChoice)
  | { type: 'stop' }
  | { type: 'choose'; runId: string; index: number | null }
  /** Take a referencer's reply as the answer (the checks offered it: it passes more of them than every candidate). */
  | { type: 'use-reference'; runId: string; model: string }
  /** A code-block button; `candidate` is the candidate the block belongs to (absent for references). */
  | { type: 'code'; action: CodeAction; code: string; language?: string; runId?: string; candidate?: number }
  | { type: 'clear-history' }
  /** Start a new conversation: the next question does not continue the current thread. */
  | { type: 'new-chat' }
  | { type: 'open-thread'; threadId: string }
  | { type: 'delete-thread'; threadId: string }
  /** The question box or its chips changed: estimate what sending it would cost, the attached context counted. */
  | ({ type: 'estimate'; question: string } & ChipChoice)
  /** Re-read the bank summary (the Bank section's Refresh button). */
  | { type: 'refresh-bank' }
  /** Open VS Code's diff editor on two candidates of a run (`left` ↔ `right`, candidate indices); the panel provider answers it. */
  | { type: 'compare'; runId: string; left: number; right: number }
  /** Apply a code block (fenced as `language`) of run `runId`'s answer to the file the question was asked from, as a diff to accept or reject. */
  | { type: 'apply'; runId: string; code: string; language?: string }
  | { type: 'command'; command: PanelCommand }
  /** Apply a way forward to the settings, then ask the question of run `runId` again. */
  | { type: 'retry-with'; runId: string; remedy: EmbedderRemedy }
  /** Ask the question of run `runId` (a failed or stopped one) again, with the selection it sent, in its conversation. */
  | { type: 'retry'; runId: string }
  /** "Use them anyway": ask the question of run `runId` again with `models` (unprofiled ones it left out) added to the referencers. */
  | { type: 'ask-again-with'; runId: string; models: string[] }
  /** The question box's `#` completion: the workspace files matching `query`. */
  | { type: 'find-files'; query: string }
  /** The question box or its chips changed: say on the current file's chip what part of it the question sends. */
  | ({ type: 'file-share'; question: string } & ChipChoice)
  /** Open a chip's file at its lines. */
  | { type: 'open-file'; path: string; line: number }
  /** "Add file…": the host asks which (a quick pick of the workspace's files) and answers `file-added`. */
  | { type: 'add-file' };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** A model key as a run names it: not empty, and short (keys are ids like `org/model-name`). */
const isModelKey = (v: unknown): v is string => isString(v) && v !== '' && v.length <= 512;

/** Longest question or code block the host accepts from the panel (characters). */
export const MAX_MESSAGE_TEXT = 1_000_000;

/** Most models "Use them anyway" may add to one ask. */
export const MAX_INCLUDED_MODELS = 200;

/** Most files one question may add by "Add file…". */
export const MAX_ADDED_FILES = 50;

/** A workspace-relative path the panel may name: not absolute, no `..` segment. */
const isWorkspacePath = (v: string): boolean => v !== '' && v.length <= 1024 && !/^[\\/]|^[A-Za-z]:/.test(v) && !v.split(/[\\/]/).includes('..');

const isChipChoice = (msg: Record<string, unknown>): boolean =>
  (msg.withoutCurrentFile === undefined || typeof msg.withoutCurrentFile === 'boolean') &&
  (msg.wholeCurrentFile === undefined || typeof msg.wholeCurrentFile === 'boolean') &&
  (msg.withoutSelection === undefined || typeof msg.withoutSelection === 'boolean') &&
  (msg.files === undefined || (isStringList(msg.files) && msg.files.length <= MAX_ADDED_FILES && msg.files.every(isWorkspacePath)));

/** Validates a message received from the webview (untrusted). */
export function isWebviewToHost(msg: unknown): msg is WebviewToHost {
  if (!isObject(msg) || !isString(msg.type)) return false;
  switch (msg.type) {
    case 'ready':
    case 'stop':
    case 'clear-history':
    case 'refresh-bank':
      return true;
    case 'ask':
      return isString(msg.question) && msg.question.trim() !== '' && msg.question.length <= MAX_MESSAGE_TEXT && isChipChoice(msg);
    case 'choose':
      return isString(msg.runId) && (msg.index === null || isIndex(msg.index));
    case 'use-reference':
      return isString(msg.runId) && isModelKey(msg.model);
    case 'code':
      return (
        (msg.action === 'copy' || msg.action === 'insert' || msg.action === 'open') &&
        isString(msg.code) &&
        msg.code.length <= MAX_MESSAGE_TEXT &&
        (msg.language === undefined || isString(msg.language)) &&
        (msg.runId === undefined || isString(msg.runId)) &&
        (msg.candidate === undefined || (typeof msg.candidate === 'number' && Number.isInteger(msg.candidate) && msg.candidate >= -1))
      );
    case 'new-chat':
      return true;
    case 'open-thread':
    case 'delete-thread':
      return isString(msg.threadId) && msg.threadId !== '';
    case 'estimate':
      return isString(msg.question) && msg.question.length <= MAX_MESSAGE_TEXT && isChipChoice(msg);
    case 'compare':
      return isString(msg.runId) && isIndex(msg.left) && isIndex(msg.right) && msg.left !== msg.right;
    case 'apply':
      return isString(msg.runId) && msg.runId !== '' && isString(msg.code) && msg.code.length <= MAX_MESSAGE_TEXT && (msg.language === undefined || (isString(msg.language) && msg.language.length <= 64));
    case 'command':
      return isPanelCommand(msg.command);
    case 'retry-with':
      return isString(msg.runId) && msg.runId !== '' && isEmbedderRemedy(msg.remedy);
    case 'retry':
      return isString(msg.runId) && msg.runId !== '';
    case 'ask-again-with':
      return isString(msg.runId) && msg.runId !== '' && Array.isArray(msg.models) && msg.models.length > 0 && msg.models.length <= MAX_INCLUDED_MODELS && msg.models.every(isModelKey);
    case 'find-files':
      return isString(msg.query) && msg.query.length <= 1024;
    case 'file-share':
      return isString(msg.question) && msg.question.length <= MAX_MESSAGE_TEXT && isChipChoice(msg);
    case 'open-file':
      return isString(msg.path) && isWorkspacePath(msg.path) && isIndex(msg.line);
    case 'add-file':
      return true;
    default:
      return false;
  }
}

const isComposerFile = (v: unknown): v is ComposerFile => isObject(v) && isString(v.path) && isIndex(v.startLine) && isIndex(v.endLine);

function isSetup(v: unknown): v is SetupState {
  if (!isObject(v) || typeof v.hasEndpoints !== 'boolean') return false;
  const err = v.configError;
  return err === undefined || (isObject(err) && isString(err.setting) && isString(err.message));
}

function isAction(v: unknown): v is RunAction {
  if (!isObject(v)) return false;
  if (v.type === 'event') return isObject(v.event) && isString(v.event.type) && typeof v.at === 'number';
  if (v.type === 'cancelled') return typeof v.at === 'number';
  if (v.type === 'choose') return v.index === null || isIndex(v.index);
  if (v.type === 'use-reference') return isModelKey(v.model);
  if (v.type === 'user-waited') return typeof v.ms === 'number' && v.ms >= 0;
  return false;
}

const isShare = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
const isCount = isIndex;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function isDomainAccuracy(v: unknown): v is BankDomainAccuracy {
  return isObject(v) && isString(v.domain) && isCount(v.labelled) && isShare(v.accuracy);
}

function isModelSummary(v: unknown): v is BankModelSummary {
  return (
    isObject(v) &&
    isString(v.model) &&
    isCount(v.labelled) &&
    isShare(v.accuracy) &&
    isShare(v.lowerBound) &&
    typeof v.fewLabels === 'boolean' &&
    typeof v.configured === 'boolean' &&
    Array.isArray(v.byDomain) &&
    v.byDomain.every(isDomainAccuracy)
  );
}

function isBankChoice(v: unknown): v is BankChoice {
  return isObject(v) && isString(v.team) && isObject(v.local) && isString(v.local.location) && isCount(v.local.size);
}

const isFirstModels = (v: unknown): v is FirstModelsView => isObject(v) && isCount(v.k) && isStringList(v.models) && typeof v.discovered === 'boolean';

const isTeamUsageView = (v: unknown): boolean => isObject(v) && isString(v.endpoint) && isString(v.text) && typeof v.problem === 'boolean';

function isBankState(v: unknown): v is BankPanelState {
  if (!isObject(v) || (v.banks !== undefined && !isBankChoice(v.banks))) return false;
  if (v.teamUsage !== undefined && !(Array.isArray(v.teamUsage) && v.teamUsage.every(isTeamUsageView))) return false;
  switch (v.status) {
    case 'loading':
      return true;
    case 'none':
      return isStringList(v.unprofiled) && (v.firstModels === undefined || isFirstModels(v.firstModels));
    case 'error':
      return isString(v.message) && (v.remedy === undefined || v.remedy === 'password');
    case 'schema':
      return isString(v.location) && isString(v.problem);
    case 'server':
      return isString(v.endpoint);
    case 'ready': {
      const s = v.summary;
      return (
        isObject(s) &&
        isCount(s.size) &&
        isString(s.embedder) &&
        (s.settingsEmbedder === undefined || isString(s.settingsEmbedder)) &&
        (s.team === undefined || (isObject(s.team) && isString(s.team.location) && isCount(s.team.contributors))) &&
        Array.isArray(s.models) &&
        s.models.every(isModelSummary) &&
        isStringList(s.unprofiled)
      );
    }
    default:
      return false;
  }
}

/** Validates a message received from the extension host. */
export function isHostToWebview(msg: unknown): msg is HostToWebview {
  if (!isObject(msg) || !isString(msg.type)) return false;
  switch (msg.type) {
    case 'snapshot': {
      const s = msg.snapshot;
      return (
        isObject(s) &&
        Array.isArray(s.runs) &&
        s.runs.every(isRunState) &&
        (s.activeRunId === undefined || isString(s.activeRunId)) &&
        (s.activeThreadId === undefined || isString(s.activeThreadId)) &&
        isSetup(s.setup)
      );
    }
    case 'run-started':
      return isRunState(msg.run);
    case 'run-actions':
      return isString(msg.runId) && Array.isArray(msg.actions) && msg.actions.every(isAction);
    case 'setup':
      return isSetup(msg.setup);
    case 'bank-summary':
      return isBankState(msg.bank);
    case 'focus-input':
      return msg.text === undefined || isString(msg.text);
    case 'ask-declined':
      return isString(msg.question) && msg.question.length <= MAX_MESSAGE_TEXT;
    case 'active-thread':
      return msg.threadId === null || isString(msg.threadId);
    case 'editor-context':
      return (msg.currentFile === null || isComposerFile(msg.currentFile)) && (msg.selection === null || isComposerFile(msg.selection));
    case 'file-matches':
      return isString(msg.query) && isStringList(msg.files) && Array.isArray(msg.keywords) && msg.keywords.every((k) => isObject(k) && isString(k.name) && isString(k.description));
    case 'file-added':
      return isString(msg.path) && isWorkspacePath(msg.path);
    case 'current-file-share':
      return isString(msg.question) && isString(msg.path) && isString(msg.share) && isString(msg.whole);
    case 'runs-removed':
      return isStringList(msg.runIds);
    case 'estimate': {
      const e = msg.estimate;
      const usd = (v: unknown) => v === null || (typeof v === 'number' && v >= 0);
      const basis = (v: unknown) => Array.isArray(v) && v.every((b) => isObject(b) && isString(b.model) && isString(b.from) && (TOKENS_FROM as readonly string[]).includes(b.from));
      return isObject(e) && isString(e.question) && usd(e.expectedUsd) && usd(e.worstUsd) && isStringList(e.assumed) && basis(e.basis);
    }
    default:
      return false;
  }
}
