import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withVectraCode } from '../shards';

test("a failed vectra save keeps the system error's code (vectra rethrows it as text), so a full disk is told as one", () => {
  const full = withVectraCode(new Error('Error saving index: Error: ENOSPC: no space left on device, write'));
  assert.equal((full as { code?: string }).code, 'ENOSPC');
  const other = new Error('Error saving index: something else');
  assert.equal((withVectraCode(other) as { code?: string }).code, undefined);
});
