/**
 * Polls `probe` (e.g. a file the server writes) until it holds, with the harness's own poll (scripts/codeServer.mjs
 * `waitFor`); fails after `timeoutMs` with "no sign that <what> after <timeoutMs> ms" (`what` may be a function, read
 * when it fails, to say what the file holds by then).
 */
export async function until(probe: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 15000): Promise<void> {
  const { waitFor } = await import('../../scripts/codeServer.mjs');
  await waitFor(probe, { timeoutMs, message: () => `no sign that ${typeof what === 'string' ? what : what()}` });
}
