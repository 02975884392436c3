/**
 * Loads dist/runtime.js (the engine, bank, embedders and LLM clients) on first use. The path is computed,
 * so esbuild leaves it out of the extension bundle and activation stays fast.
 */
import path from 'node:path';

export type Runtime = typeof import('../engine/runtime');

let runtime: Runtime | undefined;

export function loadRuntime(): Runtime {
  const file = path.join(__dirname, 'runtime.js');
  runtime ??= require(file) as Runtime;
  return runtime;
}
