/** CLI failures and their exit codes: 1 run failed, 2 bad usage or bad config (a script tells a broken run from a wrong call). */
import { ConfigError } from '../core/contracts/config';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeFor(err: unknown): 1 | 2 {
  return err instanceof UsageError || err instanceof ConfigError ? 2 : 1;
}
