/**
 * The SMCS protocol of `smcs serve` beside OpenAI's (`/v1/smcs/…`), through which an editor whose endpoint is a team
 * server asks the server's engine instead of its own (engine/serverEngine.ts): the server says what it is, plans an ask
 * (nothing sent to a model), runs it as the engine's own events — stopped, when the person stops it, by the ask's id —
 * and learns from the reply the person chose.
 */
import type { AskPlanView } from '../core/ask/askLoop';
import type { UnpaidCall } from '../core/ask/askState';
import type { Turn } from '../core/ask/conversation';
import type { ContextItem } from '../core/context/contextItem';
import type { PipelineEvent } from '../core/contracts/events';
import type { RoutingMode } from '../core/contracts/routingReport';
import type { CallRecord, SmcsParams } from '../core/contracts/types';
import type { FeedbackInput, FeedbackResult } from '../bank/feedback';

/** The version of this protocol; a server answers `GET /v1/smcs` with it. */
export const SMCS_PROTOCOL = 1;

/** What `GET /v1/smcs` answers: an SMCS server, the protocol it speaks, and whether it is a team server (`--team`). */
export interface ServerAbout {
  object: 'smcs.server';
  protocol: number;
  team: boolean;
}

/**
 * An ask as the editor sends it (`POST /v1/smcs/plans`, `POST /v1/smcs/asks`): the question, its conversation and the
 * context the editor gathered from its workspace (the server reads no workspace); the server routes, asks and bills.
 */
export interface ServerAskRequest {
  question: string;
  history?: Turn[];
  attachments?: ContextItem[];
  attachmentNotes?: string[];
  system?: string;
  params?: Partial<SmcsParams>;
  routing?: RoutingMode;
  include?: string[];
  /** `uncut`: the member chose Send Anyway — run it whole, whatever the cost limit says (the budget still admits it). */
  route?: 'limited' | 'uncut';
}

/** `POST /v1/smcs/plans`: the server's plan of the ask (its referencers, aggregations and cost), or why it cannot run. */
export interface ServerPlan {
  view: AskPlanView | null;
  /** Why the ask cannot be prepared (view null): the error its run would end with. */
  error?: Extract<PipelineEvent, { type: 'error' }>;
}

/**
 * The first `data:` line of `POST /v1/smcs/asks`, once the ask is admitted: its id, the one its ledger rows carry. The
 * person who sent the ask stops it with `POST /v1/smcs/asks/<id>/stop` and the same key (any other key gets 404); the
 * stream then goes on until every call's last record and the run's terminal event are sent.
 */
export interface ServerAskStarted {
  id: string;
}

/** What `POST /v1/smcs/asks/<id>/stop` answers: the ask is being stopped; its stream tells the rest. */
export interface ServerAskStopping {
  stopping: true;
}

/**
 * One `data:` line of `POST /v1/smcs/asks`: the ask's id (first), an event of the run, a call as it ends, or a call
 * stopped before its first byte.
 */
export type ServerAskMessage = { ask: ServerAskStarted } | { event: PipelineEvent } | { call: CallRecord } | { unpaid: UnpaidCall };

/** `POST /v1/smcs/choices`: the reply a person chose, to label the server's bank; `implicit` for a copy or an insert. */
export interface ServerChoice extends FeedbackInput {
  implicit: boolean;
}

/** What the server's bank learned from a choice, and the token that takes it back (`POST /v1/smcs/choices/forget`). */
export interface ServerChoiceResult {
  result: FeedbackResult;
  /** Absent when nothing was written. */
  forget?: string;
}
