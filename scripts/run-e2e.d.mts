/** Types for scripts/run-e2e.mjs (used by its test). */
export declare function runNodeTests(
  files: string[],
  concurrency: number,
  widen?: { to: number; when: string },
  print?: (text: string) => void,
  retryAtMost?: number,
): Promise<{ ok: boolean; counts: Record<string, number>; failed: string[]; flaky: string[] }>;
