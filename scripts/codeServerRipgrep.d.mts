/** Types for scripts/codeServerRipgrep.mjs (used by its test). */
export declare function ripgrepTarget(vscodeDir: string): string;
export declare function ensureRipgrep(
  vscodeDir: string,
  options?: { root?: string; system?: () => string | undefined },
): { path: string; source: 'present' | 'package' | 'system' | 'missing' };
