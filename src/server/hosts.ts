/**
 * Which addresses only this machine reaches, and which Host headers a loopback server answers: a web page can make a
 * browser send requests to 127.0.0.1 under a name of its own (DNS rebinding), and those carry that name as their Host.
 */
import { isIP } from 'node:net';

/** The host without the brackets of an IPv6 literal (`[::1]` → `::1`), as `listen` and `isIP` take it. */
export const bareHost = (host: string): string => host.trim().replace(/^\[(.*)\]$/, '$1');

/** True for the host names and addresses that only this machine reaches. */
export function isLoopback(host: string): boolean {
  const h = bareHost(host).toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '::ffff:127.0.0.1';
}

/** The host name of a Host header (`name:port`, `[v6]:port`), lower-cased; undefined when there is none to read. */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(header.trim());
  return match?.[1] === undefined || match[1] === '' ? undefined : bareHost(match[1]).toLowerCase();
}

/**
 * True when a server listening on `listening` should answer a request with this Host header. A loopback server answers
 * only loopback names (a rebinding page's name is refused); a server listening elsewhere answers any name (its clients
 * reach it by names we cannot know, and they need the key).
 */
export function acceptsHost(listening: string, header: string | undefined): boolean {
  if (!isLoopback(listening)) return true;
  const name = hostName(header);
  return name !== undefined && (isLoopback(name) || name === bareHost(listening).toLowerCase());
}
