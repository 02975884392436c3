/** Types for scripts/testHarness.mjs (used by the TypeScript UI tests). */
import type { Browser, Page } from 'playwright-core';
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
export declare const PAGE_OPTIONS: { extraHTTPHeaders: Record<string, string> };
export declare function launchChromium(): Promise<Browser>;
export declare function keepFailureArtefacts(
  name: string,
  options: { page?: Page; server?: CodeServer; consoleLines?: string[] },
): Promise<string>;
