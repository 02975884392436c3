/** Types for scripts/check-names.mjs (used by its test). */
export declare function nameCollisions(srcDir: string): [string, string[]][];
