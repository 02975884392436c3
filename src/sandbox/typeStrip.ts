/**
 * Loads the TypeScript stripper lazily: dist/typeStrip.js beside the running bundle (a computed path, so esbuild
 * keeps sucrase out of the engine and CLI bundles), or the source module when running unbundled (tests).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as TypeStripModule from './typeStripRuntime';

let loaded: typeof TypeStripModule | undefined;

function load(): typeof TypeStripModule {
  const bundled = path.join(__dirname, 'typeStrip.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path keeps sucrase out of the bundles that load this
  loaded ??= require(existsSync(bundled) ? bundled : path.join(__dirname, 'typeStripRuntime')) as typeof TypeStripModule;
  return loaded;
}

/** JavaScript that node runs as CommonJS, from TypeScript or from an ES module; plain CommonJS comes back unchanged. */
export function runnableJavaScript(code: string, typescript: boolean): string {
  if (!typescript && !/^\s*(import\s*[\w{*'"]|export\s)/m.test(code)) return code;
  return load().toCommonJs(code, typescript);
}
