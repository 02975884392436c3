/** Types of layers.mjs for the TypeScript tests that read its table. */
import type { Rule } from 'eslint';

export declare const LAYERS: Record<string, { runtime: string[]; types: string[] }>;
export declare function layerOf(file: string, root: string): string | undefined;
declare const rule: Rule.RuleModule;
export default rule;
