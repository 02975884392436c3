/** Types for scripts/katexAssets.mjs (used by its test). */
export declare function copyKatexAssets(root: string, target?: string): number;
