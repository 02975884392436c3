/**
 * Polls `probe` (e.g. a file the server writes) until it holds; fails after `timeoutMs` naming `what` (a function gives
 * a message read when it fails, such as what the file holds by then).
 */
export async function until(probe: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${typeof what === 'string' ? what : what()} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
