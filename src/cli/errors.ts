/** CLI failures and their exit codes: 1 run failed, 2 bad usage, bad config or an input file that cannot be read as one. */
import { ConfigError } from '../core/contracts/config';
import { InputFileError } from '../files/userFile';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeFor(err: unknown): 1 | 2 {
  return err instanceof UsageError || err instanceof ConfigError || err instanceof InputFileError ? 2 : 1;
}
