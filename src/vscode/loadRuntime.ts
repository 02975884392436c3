/**
 * Loads dist/runtime.js (the engine, bank, embedders and LLM clients) on first use. The path is computed,
 * so esbuild leaves it out of the extension bundle and activation stays fast.
 */
import path from 'node:path';

import type * as RuntimeModule from '../runtime/runtime';

export type Runtime = typeof RuntimeModule;

let runtime: Runtime | undefined;

export function loadRuntime(): Runtime {
  const file = path.join(__dirname, 'runtime.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path keeps the engine out of the host bundle
  runtime ??= require(file) as Runtime;
  return runtime;
}
