/** What a user is told of a reply SMCS stopped reading and kept (core/contracts/types `OutputStop`): its card, the CLI. */
import type { OutputStop } from '../core/contracts/types';
import { formatCount, formatMs } from './format';

/** "stopped after 1 m 00 s, the most one call may take (maxCallMs): the reply is kept as far as it got". */
export function stoppedNote(stop: OutputStop): string {
  const why = stop.limit === 'maxCallMs' ? `after ${formatMs(stop.ms)}, the most one call may take (maxCallMs)` : `at about ${formatCount(stop.tokens)} tokens, far past max_tokens`;
  return `stopped ${why}: the reply is kept as far as it got`;
}
