/**
 * Sucrase, bundled on its own (dist/typeStrip.js) and loaded by src/sandbox/typeStrip.ts only when a reply is
 * TypeScript or an ES module: type annotations removed and `import`/`export` turned into `require`, nothing else.
 */
import { transform } from 'sucrase';

/** The code as CommonJS that node 20 runs: TypeScript types removed when `typescript`, ES module syntax rewritten. */
export function toCommonJs(code: string, typescript: boolean): string {
  return transform(code, { transforms: typescript ? ['typescript', 'imports'] : ['imports'], disableESTransforms: true }).code;
}
