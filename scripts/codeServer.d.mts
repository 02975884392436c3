/** Types for scripts/codeServer.mjs (used by the TypeScript UI tests). */
export declare const CODE_SERVER_VERSION: string;
export declare const CODE_SERVER_NODE_VERSION: string;
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare const QUIET_SETTINGS: Record<string, unknown>;
export declare function testCacheRoot(): string;
export declare function ensureCodeServer(): Promise<{ dir: string; entry: string; node: string; installedNow: boolean; ms: number }>;
export declare function ensureChromium(): Promise<{ path: string; installedNow: boolean; ms: number }>;
export declare function freePort(): Promise<number>;
export declare function waitFor<T>(
  probe: () => T | Promise<T>,
  options: { timeoutMs: number; intervalMs?: number; message: string; fatal?: () => Error | null | undefined | false },
): Promise<T>;
export declare function writeUserSettings(userDataDir: string, settings?: Record<string, unknown>): void;
export interface CodeServer {
  url: string;
  port: number;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  logs(): string;
  stop(): Promise<void>;
}
export declare function startCodeServer(options?: {
  userDataDir?: string;
  extensionsDir?: string;
  port?: number;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Turns telemetry on, with code-server's own telemetry sent to this (loopback) URL. */
  telemetryUrl?: string;
  /** VSIX files installed (`--install-extension`) before the server starts. */
  installExtensions?: string[];
}): Promise<CodeServer>;
