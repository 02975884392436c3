/** Types of scripts/lint-typed.mjs, for the tests that import it. */
export function typeCheckAndLint(options: { root?: string; worlds: string[]; linted: string[]; ignore?: string[]; types: boolean; lint: boolean }): Promise<{ typeErrors: number; problems: number; output: string }>;
