/** Types for scripts/testQueue.mjs (used by its test). */
export declare const OWN_PROCESS_MARK: string;

export declare function runNodeTests(
  files: string[],
  options?: {
    concurrency?: number;
    widen?: { to: number; when: string };
    print?: (text: string) => void;
    retryAtMost?: number;
    fileTimeoutMs?: number;
    workerExitMs?: number;
    alone?: (file: string) => boolean;
  },
): Promise<{ ok: boolean; counts: Record<string, number>; failed: string[]; flaky: string[] }>;
