/** Types of layers.mjs for the TypeScript tests that read its table. */
import type { Rule } from 'eslint';

export declare const LAYERS: Record<string, { runtime: string[]; types: string[] }>;
export declare function layerOf(file: string, root: string): string | undefined;
export declare const CORE_LAYERS: string[][];
export declare function coreRank(folder: string): number;
export declare function coreFolderOf(file: string, root: string): string | undefined;
declare const rule: Rule.RuleModule;
export default rule;
