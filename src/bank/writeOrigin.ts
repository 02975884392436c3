/** Who a bank write comes from (`WriteOrigin`): the person defaults to the operating system's user. */
import os from 'node:os';
import type { WriteOrigin } from './bank';

/** The OS user's name; the environment's when the system has no entry for the process (some containers). */
function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** The origin of a write made `via` one of the product's paths, by `user` or else the OS user. */
export function writeOrigin(via: WriteOrigin['via'], user?: string): WriteOrigin {
  return { user: user ?? osUser(), via };
}
