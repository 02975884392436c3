/**
 * The SMCS protocol's routes (engine/serverProtocol.ts): an editor's ask run by this server's engine — its routing, its
 * bank, its ledger — planned first (`POST /v1/smcs/plans`, nothing sent to a model), then run with the engine's own
 * events streamed (`POST /v1/smcs/asks`, stopped by its member with `POST /v1/smcs/asks/<id>/stop`, server.ts); and the
 * reply the person chose, labelling this server's bank (`POST /v1/smcs/choices`, taken back with
 * `POST /v1/smcs/choices/forget`).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { runAsk } from '../core/ask/askLoop';
import type { AskOptions, Engine, ModelRouter } from '../engine/types';
import type { FeedbackResult } from '../bank/feedback';
import type { ServerAbout, ServerAskMessage, ServerAskRequest, ServerChoice, ServerChoiceResult, ServerPlan } from '../engine/serverProtocol';
import { SMCS_PROTOCOL } from '../engine/serverProtocol';
import { AskStream, serverPolicy, unfinished, type AskHooks, type AskRunOutcome } from './askRun';
import { badRequest, sendError, stoppedByServer } from './errors';

/** What `GET /v1/smcs` answers. */
export const serverAbout = (team: boolean): ServerAbout => ({ object: 'smcs.server', protocol: SMCS_PROTOCOL, team });

/** The engine's options for an editor's ask: the context it sent stands for the workspace, which this server never reads. */
function askOptions(request: ServerAskRequest, signal: AbortSignal): AskOptions {
  return {
    signal,
    ...(request.history ? { history: request.history } : {}),
    ...(request.attachments ? { attachments: request.attachments } : {}),
    ...(request.attachmentNotes ? { attachmentNotes: request.attachmentNotes } : {}),
    ...(request.system !== undefined ? { system: request.system } : {}),
    ...(request.params ? { params: request.params } : {}),
    ...(request.routing ? { routing: request.routing } : {}),
    ...(request.include ? { include: request.include } : {}),
  };
}

/** The plan of an ask, or the error its run would end with. */
export async function planAsk(engine: Engine, request: ServerAskRequest, signal: AbortSignal): Promise<ServerPlan> {
  const prepared = await engine.prepare(request.question, askOptions(request, signal));
  if (prepared.view) return { view: prepared.view };
  for await (const event of prepared.run(signal, { route: 'limited' })) if (event.type === 'error') return { view: null, error: event };
  throw new Error('an ask that could not be prepared ended without its error');
}

/**
 * Runs an ask as `smcs serve` runs every ask (askRun.ts: the cost policy — `cut`, or whole when the member chose Send
 * Anyway — the team gate's admission and hold, learning from checks) and streams its id (`askId`, once admitted), its
 * events and calls as `data:` lines of ServerAskMessage, then `data: [DONE]`. An ask refused before anything ran (the
 * gate, nothing within the cost limit) is an HTTP error. An ask its member stopped by its id (`signal` aborted while the
 * client still reads) ends as a local run stopped does: its calls' last records, then its `cancelled` error event.
 */
export async function streamAsk(engine: Engine, request: ServerAskRequest, res: ServerResponse, signal: AbortSignal, hooks: AskHooks, askId: string): Promise<AskRunOutcome> {
  const stream = new AskStream(res);
  const send = (message: ServerAskMessage): void => stream.data(message);
  try {
    const outcome = await runAsk(() => engine.prepare(request.question, askOptions(request, signal)), serverPolicy(hooks, request.route), {
      sending: () => send({ ask: { id: askId } }),
      event: (event) => {
        stream.follow(event);
        // An ask the stopping server ended is told as that below, not as one the member stopped.
        if (event.type === 'error' && event.kind === 'cancelled' && stoppedByServer(signal)) return;
        send({ event });
      },
      call: (call) => send({ call }),
      unpaid: (call) => send({ unpaid: call }),
    }, signal);
    if (outcome.type === 'done') {
      stream.end();
      return { ok: true, result: outcome.result };
    }
    const ending = unfinished(outcome, signal);
    if ('cancelled' in ending) {
      stream.end(false);
      return { ok: false, cancelled: true };
    }
    // A failure came as the run's own error event; a stopping server and a refusal are told here, the run ending as
    // that — with what it cost (its calls went as `call` messages).
    if (outcome.type === 'failed') stream.end();
    else if (stream.isOpen) {
      const spent = outcome.type === 'stopped' && outcome.error.spent ? { spent: outcome.error.spent } : {};
      send({ event: { type: 'error', message: ending.error.message, ...(ending.stopping ? { kind: 'server', serverStopping: true } : { kind: 'config' }), causes: [], ...spent } });
      stream.end();
    } else sendError(res, ending.error);
    return { ok: false, error: ending.error };
  } finally {
    stream.close();
  }
}

/** How many choices a server remembers to take back (the oldest is forgotten first). */
const REMEMBERED_CHOICES = 1000;

/**
 * The choices this server's bank learned, each under a random token its person may take back with — and only its person
 * (a team member's name), so no one can undo another's choice or name a bank record of their own making.
 */
export class LearnedChoices {
  private readonly held = new Map<string, { result: FeedbackResult; person: string | undefined }>();

  constructor(private readonly engine: ModelRouter) {}

  async learn(choice: ServerChoice, person: string | undefined): Promise<ServerChoiceResult> {
    const { implicit, ...input } = choice;
    const result = await this.engine.learnFromChoice(input, { implicit, ...(person ? { person } : {}) });
    // The question as it was before an update is the bank's, perhaps another member's: it stays here.
    const { previous: _kept, ...told } = result;
    if (result.outcome === 'skipped') return { result: told };
    const token = randomBytes(18).toString('base64url');
    this.held.set(token, { result, person });
    for (const oldest of this.held.keys()) {
      if (this.held.size <= REMEMBERED_CHOICES) break;
      this.held.delete(oldest);
    }
    return { result: told, forget: token };
  }

  async forget(body: unknown, person: string | undefined): Promise<{ forgotten: boolean }> {
    const token = typeof body === 'object' && body !== null && 'forget' in body ? body.forget : undefined;
    if (typeof token !== 'string') throw badRequest('forget must be the token POST /v1/smcs/choices answered', 'forget');
    const held = this.held.get(token);
    if (!held || held.person !== person) return { forgotten: false };
    this.held.delete(token);
    await this.engine.forgetChoice(held.result, person);
    return { forgotten: true };
  }
}
