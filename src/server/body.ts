/** Reads a request's JSON body, at most `limit` bytes (413 beyond it), refusing content types a browser form could send. */
import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from './errors';

/** The body cap of DESIGN's serve contract: 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const tooLarge = (limit: number) => new ApiError(413, `the request body is larger than ${limit / (1024 * 1024)} MB`, 'invalid_request_error', 'request_too_large');

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
 * The parsed body. Beyond the limit the rest is read and dropped (so the client gets the 413 rather than a reset
 * connection) unless it keeps sending past twice the limit, when the connection is closed.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  checkContentType(req);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discard(req, limit);
    throw tooLarge(limit);
  }
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      discard(req, limit);
      reject(tooLarge(limit));
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
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
