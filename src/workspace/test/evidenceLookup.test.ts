import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keptPerIndex, RESCORE_SHARE } from '../evidenceLookup';
import type { WorkspaceIndex } from '../workspaceIndex';

test(`what is computed from a whole index is kept until its files or chunks change by more than ${RESCORE_SHARE * 100} %`, () => {
  let made = 0;
  const value = keptPerIndex(() => ++made);
  // What keptPerIndex reads of an index: its size.
  const index = { fileCount: 1000, chunkCount: 8000 };
  const asIndex = index as unknown as WorkspaceIndex;
  assert.equal(value(asIndex), 1);
  index.fileCount = 1010;
  index.chunkCount = 8100;
  assert.equal(value(asIndex), 1, 'a few saved files: kept');
  index.chunkCount = 8500;
  assert.equal(value(asIndex), 2, 'chunks 6 % more: computed again');
  const other = { fileCount: 1000, chunkCount: 8000 } as unknown as WorkspaceIndex;
  assert.equal(value(other), 3, 'another index has its own');
});
