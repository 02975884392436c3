/**
 * Reads a request's JSON body: at most `maxBytes` (413 beyond), within `timeoutMs` (408 beyond: a client trickling its
 * body must not hold anything for long), within a budget shared by every body arriving at once (a slot is taken only
 * once a body has arrived, so the bodies on their way need a bound of their own), refusing content types a browser
 * form could send.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from './errors';

/** The body cap: 10 MB holds a long conversation with files attached, and bounds what one client makes us buffer. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** How long a body may take to arrive once the headers did: a normal client sends 10 MB on a slow line in far less. */
export const BODY_TIMEOUT_MS = 10_000;

/** Bytes of the bodies on their way at once (six whole bodies of the largest size). */
export const BODIES_BUDGET_BYTES = 64 * 1024 * 1024;

const mb = (bytes: number): string => `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;

const tooLarge = (limit: number) => new ApiError(413, `the request body is larger than ${mb(limit)}`, 'invalid_request_error', 'request_too_large');

/** The bytes of the bodies being received, against their budget. */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Takes `bytes` of the budget; false (nothing taken) when they do not fit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }
}

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
  budget: BodyBudget;
}

/**
 * A missing content type is taken as JSON (curl without -H); any other than JSON is refused, which also keeps out the
 * requests a web page may send without a CORS preflight (text/plain, forms).
 */
function checkContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new ApiError(415, `the request body must be JSON (Content-Type: application/json), got ${JSON.stringify(type)}`, 'invalid_request_error', 'unsupported_content_type');
  }
}

/**
 * The parsed body. Beyond the size limit the rest is read and dropped (so the client gets the 413 rather than a reset
 * connection) unless it keeps sending past twice the limit, when the connection is closed. A body late past
 * `timeoutMs` gets 408, and the connection is closed once that is sent.
 */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  checkContentType(req);
  const { maxBytes: limit, budget } = limits;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discard(req, limit);
    throw tooLarge(limit);
  }
  let held = 0;
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stop = (error: ApiError, allowance: number) => {
      cleanup();
      discard(req, allowance);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (held + chunk.length > limit) return stop(tooLarge(limit), limit);
      if (!budget.take(chunk.length)) {
        return stop(new ApiError(503, `too many request bodies are arriving at once (more than ${mb(budget.limit)}); try again shortly`, 'server_error', 'server_busy', null, { 'retry-after': '2' }), limit);
      }
      held += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const timer = setTimeout(() => {
      stop(new ApiError(408, `the request body did not arrive within ${limits.timeoutMs / 1000} s`, 'invalid_request_error', 'request_timeout', null, { connection: 'close' }), limit);
    }, limits.timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  }).finally(() => budget.give(held));
  if (text.trim() === '') throw badRequest('the request body is empty; send a JSON object');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Drops what the client still sends, closing the connection once `allowance` more bytes came. */
function discard(req: IncomingMessage, allowance: number): void {
  let left = allowance;
  req.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) req.destroy();
  });
  req.resume();
}
