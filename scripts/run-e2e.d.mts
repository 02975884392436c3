/** Types for scripts/run-e2e.mjs (used by its test). */
export declare function windowGroupsTogether(files: readonly string[]): string[];
