/** Types for scripts/testHarness.mjs (used by the TypeScript UI tests). */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CodeServer } from './codeServer.mjs';
export declare const repoRoot: string;
export declare const resultsRoot: string;
export declare function runInherited(command: string, args: string[], options?: object): Promise<void>;
export declare function buildExtension(): Promise<void>;
export declare function workbenchUrl(
  serverUrl: string,
  options: { folder: string; extensionDevelopmentPath?: string | null; extensionTestsPath?: string },
): string;
/** Options of every page the suites open (the browser asks code-server for uncompressed files). */
export declare const PAGE_OPTIONS: { extraHTTPHeaders: Record<string, string>; reducedMotion: 'reduce' };
export declare function launchChromium(): Promise<Browser>;
/** One browser profile for the windows of a code-server, one after another: a shared HTTP cache, each window's storage cleared when it leaves. */
export interface WindowProfile {
  readonly context: BrowserContext;
  /** Forgets what the window at `page` (left for about:blank) stored for `origin`, and the permissions granted. */
  clearWindow(page: Page, origin: string): Promise<void>;
  close(): Promise<void>;
}
export declare function launchWindowProfile(options: { viewport: { width: number; height: number } }): Promise<WindowProfile>;
export declare function keepFailureArtefacts(
  name: string,
  options: { page?: Page; server?: CodeServer; consoleLines?: string[] },
): Promise<string>;
