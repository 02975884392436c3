/** Types for scripts/codeServer.mjs (used by the TypeScript UI tests). */
export interface WorkbenchRelease {
  codeServer: string;
  node: string;
  nativeModules: string[];
  helperLinks: boolean;
  serverArgs: string[];
}
export type WorkbenchVersion = '1.104' | '1.139';
export declare const WORKBENCHES: Record<WorkbenchVersion, WorkbenchRelease>;
export declare const DEFAULT_WORKBENCH: WorkbenchVersion;
export declare const CHAT_WORKBENCH: WorkbenchVersion;
export interface InstalledCodeServer {
  vscode: WorkbenchVersion;
  dir: string;
  entry: string;
  node: string;
  installedNow: boolean;
  ms: number;
}
export declare function headlessShellPath(): string;
export declare const CHROMIUM_ARGS: string[];
export declare const QUIET_SETTINGS: Record<string, unknown>;
export declare function testCacheRoot(): string;
/** The variable naming the folder of Node's compile cache for the workbenches started (scripts/run-e2e.mjs sets it). */
export declare const COMPILE_CACHE_ENV: string;
export declare function ensureCodeServer(vscode?: WorkbenchVersion): Promise<InstalledCodeServer>;
export declare function ensureCodeServers(versions?: WorkbenchVersion[]): Promise<InstalledCodeServer[]>;
export declare function ensureChromium(): Promise<{ path: string; installedNow: boolean; ms: number }>;
export declare function freePort(): Promise<number>;
export declare function waitFor<T>(
  probe: () => T | Promise<T>,
  options: { timeoutMs: number; intervalMs?: number; message: string | (() => string); fatal?: () => Error | null | undefined | false },
): Promise<T>;
export declare function writeUserSettings(userDataDir: string, settings?: Record<string, unknown>): void;
export interface CodeServer {
  url: string;
  port: number;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  logs(): string;
  /** Resolves once no extension host of this server runs (each window's ends when the window leaves); rejects after `timeoutMs`. */
  extensionHostsExited(timeoutMs: number): Promise<void>;
  /** Forgets what earlier windows left in the user-data folder and writes the user settings anew (with `settings`). */
  resetUserData(settings?: Record<string, unknown>): void;
  stop(): Promise<void>;
}
export declare function startCodeServer(options?: {
  /** The VS Code release (default DEFAULT_WORKBENCH). */
  vscode?: WorkbenchVersion;
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
