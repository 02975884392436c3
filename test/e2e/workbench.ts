/**
 * UI-test harness: a code-server workbench in headless Chromium with the extension loaded from the
 * repository folder, a loopback OpenAI-compatible server behind `smcs.endpoints`, and helpers that
 * drive the workbench the way a user does (command palette, the SMCS panel's webview, editors).
 * Every wait is on a condition; nothing sleeps for a fixed time.
 *
 * Each test gets a window of its own (but for the tests that share one: `sharedWorkbench`) — a new workspace folder, a new page whose origin's storage the last window's
 * leaving cleared (no global state, secrets, service workers or permissions from before), a new extension host, user
 * data reset on the server (`resetUserData`) and its settings written anew — but the code-server and the Chromium
 * behind it are shared by the tests of the process that start them the same way (`HostOptions`): starting them took
 * ~1.4 s a test, and a window was ready in 3.7 s on a running server against 6.5 s on a new one (the whole UI suite,
 * two files at once on two cores). The windows of a host share Chromium's HTTP cache, and with it the code V8
 * compiled for the workbench's scripts (scripts/testHarness.mjs `launchWindowProfile`).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { PAST_CALLS_FILE } from '../../src/engine/callHistory';
import { startLoopbackUpstream, type LoopbackUpstream, type LoopbackUpstreamOptions } from '../fixtures/loopbackUpstream';
import { until } from './polling';

import type * as CodeServerScript from '../../scripts/codeServer.mjs' with { 'resolution-mode': 'import' };
import type * as HarnessScript from '../../scripts/testHarness.mjs' with { 'resolution-mode': 'import' };

type CodeServerModule = typeof CodeServerScript;
type HarnessModule = typeof HarnessScript;
type CodeServer = Awaited<ReturnType<CodeServerModule['startCodeServer']>>;
type WindowProfile = HarnessScript.WindowProfile;

const loadCodeServer = (): Promise<CodeServerModule> => import('../../scripts/codeServer.mjs');
const loadHarness = (): Promise<HarnessModule> => import('../../scripts/testHarness.mjs');

/** The theme ids of VS Code's default dark, light and high-contrast themes. */
export const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern', hc: 'Default High Contrast' } as const;
export type ThemeName = keyof typeof THEMES;

/** The class each theme puts on the workbench and on the webview's body, and its label in the theme picker. */
const THEME_CLASSES: Record<ThemeName, { workbench: string; webview: string; label: string }> = {
  dark: { workbench: 'vs-dark', webview: 'vscode-dark', label: 'Dark Modern' },
  light: { workbench: 'vs', webview: 'vscode-light', label: 'Light Modern' },
  hc: { workbench: 'hc-black', webview: 'vscode-high-contrast', label: 'Dark High Contrast' },
};

/** Today's VS Code (scripts/codeServer.mjs's CHAT_WORKBENCH): the language model provider's and the chat's tests run in it. */
export const CHAT_WORKBENCH = '1.139';

/** The models the fake server serves by default; the first three answer as referencers. */
export const FAKE_MODELS: [string, string, string] = ['alpha-coder', 'beta-coder', 'gamma-coder'];

const EXTENSION_ID = 'smcs.smcs';
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const UI_TIMEOUT_MS = 30000;
/** The SMCS view container's entry in the activity bar; with `.checked` on its action item when the container shows. */
const SMCS_ENTRY = 'a[aria-label^="SMCS"]';

export interface WorkbenchOptions {
  /**
   * Give the extension endpoints (default true: one endpoint serving every fake model); false shows the welcome
   * view; `split` configures two endpoints on the fake server, the first two models on one and the rest on the other.
   */
  endpoints?: boolean | 'split';
  /** The models the fake server serves and the endpoints list (default FAKE_MODELS). */
  models?: string[];
  /** Extra user settings (override the defaults below). */
  settings?: Record<string, unknown>;
  theme?: ThemeName;
  fake?: LoopbackUpstreamOptions;
  /** Files to create in the opened workspace folder, by relative path. */
  files?: Record<string, string>;
  /**
   * An extensions folder holding an installed copy of SMCS: loaded as a normal (not development) extension.
   * Default: the repository, as a development extension.
   */
  installedExtensionsDir?: string;
  /** Turns VS Code telemetry on, code-server's own going to this loopback URL. */
  telemetryUrl?: string;
  /** The endpoint needs this key, given to the extension host in the variable the endpoint's apiKeyEnv names. */
  apiKey?: string;
  /** Extra environment variables of the server and its extension host (e.g. `HF_ENDPOINT`). */
  env?: Record<string, string>;
  /** Extra fields of every endpoint the workbench configures (e.g. `maxCallMs`). */
  endpointFields?: Record<string, unknown>;
  /** VSIX files installed before the workbench starts, beside SMCS (e.g. lmCaller.ts's test extensions). */
  extensions?: string[];
  /**
   * The VS Code release (scripts/codeServer.mjs's WORKBENCHES): 1.104 by default (the panel's tests); 1.139, today's,
   * for the language model provider and the Chat view.
   */
  vscode?: '1.104' | '1.139';
}

const API_KEY_ENV = 'SMCS_E2E_API_KEY';

/** What a code-server and its Chromium are started with: the windows of tests that ask for the same share them. */
type HostOptions = Pick<WorkbenchOptions, 'vscode' | 'installedExtensionsDir' | 'telemetryUrl' | 'env' | 'extensions'>;

/** A code-server and a Chromium, serving one window at a time. */
interface Host {
  readonly key: string;
  readonly server: CodeServer;
  readonly profile: WindowProfile;
  /** How long starting them took, or undefined once a window has been served. */
  startedInMs?: number;
}

/** Every window's size in CSS pixels. */
const WINDOW_SIZE = { width: 1400, height: 900 };

/** At most this many hosts wait for a window in one test process; the one used longest ago goes first. */
const IDLE_HOSTS = 2;
/** Hosts waiting for a window, the one released last at the end. */
const idleHosts: Host[] = [];
/** Hosts serving a window. */
const busyHosts = new Set<Host>();
/** How long a window's extension host may take to end once the window has left (~0.2 s when idle). */
const EXTENSION_HOST_EXIT_MS = 15000;

function hostOptions(options: WorkbenchOptions): HostOptions {
  return {
    ...(options.vscode ? { vscode: options.vscode } : {}),
    ...(options.installedExtensionsDir ? { installedExtensionsDir: options.installedExtensionsDir } : {}),
    ...(options.telemetryUrl ? { telemetryUrl: options.telemetryUrl } : {}),
    env: { ...options.env, ...(options.apiKey ? { [API_KEY_ENV]: options.apiKey } : {}) },
    ...(options.extensions ? { extensions: options.extensions } : {}),
  };
}

/** An idle host started with `options`, or a new one. */
async function leaseHost(options: HostOptions): Promise<Host> {
  const key = JSON.stringify({ ...options, vscode: options.vscode ?? '1.104', env: Object.entries(options.env ?? {}).sort() });
  const idle = idleHosts.findIndex((host) => host.key === key);
  const host = idle >= 0 ? idleHosts.splice(idle, 1)[0] : undefined;
  const leased = host ?? (await startHost(key, options));
  busyHosts.add(leased);
  return leased;
}

async function startHost(key: string, options: HostOptions): Promise<Host> {
  const { startCodeServer } = await loadCodeServer();
  const { launchWindowProfile } = await loadHarness();
  const started = Date.now();
  const server = await startCodeServer({
    ...(options.vscode ? { vscode: options.vscode } : {}),
    ...(options.installedExtensionsDir ? { extensionsDir: options.installedExtensionsDir } : {}),
    ...(options.telemetryUrl ? { telemetryUrl: options.telemetryUrl } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.extensions ? { installExtensions: options.extensions } : {}),
  });
  try {
    return { key, server, profile: await launchWindowProfile({ viewport: WINDOW_SIZE }), startedInMs: Date.now() - started };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Hands a host back for the next window; one that may be left in a state of its own (`reusable` false) is closed. */
async function releaseHost(host: Host, reusable: boolean): Promise<void> {
  busyHosts.delete(host);
  if (!reusable) return closeHost(host);
  idleHosts.push(host);
  const surplus = idleHosts.splice(0, Math.max(0, idleHosts.length - IDLE_HOSTS));
  await Promise.all(surplus.map(closeHost));
}

async function closeHost(host: Host): Promise<void> {
  await host.profile.close();
  await host.server.stop();
}

/** Closes every host of this process, those still serving a window (a test that timed out) too, and the shared window. */
export async function closeWorkbenchHosts(): Promise<void> {
  await closeSharedWindow();
  const hosts = [...idleHosts, ...busyHosts];
  idleHosts.length = 0;
  busyHosts.clear();
  await Promise.all(hosts.map(closeHost));
}

// The hosts close when the process has no more tests for them: after the last test of a test file, or — in a worker
// that runs file after file (scripts/testWorker.mjs, which talks to its runner over IPC) — when the runner disconnects.
if (process.send) process.once('disconnect', () => void closeWorkbenchHosts());
else after(closeWorkbenchHosts);

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

/** The user-visible palette label of a contributed command (`Category: Title`). */
export function commandLabel(commandId: string): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes?: { commands?: ContributedCommand[] };
  };
  const entry = pkg.contributes?.commands?.find((c) => c.command === commandId);
  if (!entry) throw new Error(`package.json contributes no command ${commandId}`);
  return entry.category ? `${entry.category}: ${entry.title}` : entry.title;
}


/** The fake LLM server a window's endpoints point at: `options.models` (or FAKE_MODELS) as `options.fake` says. */
function startFake(options: WorkbenchOptions): Promise<LoopbackUpstream> {
  return startLoopbackUpstream({ models: (options.models ?? FAKE_MODELS).map((id) => ({ id })), ...options.fake });
}

/** The user settings of a window: its theme, endpoints on `fake`, the bank folder `bank`, and the test's own settings. */
function windowSettings(options: WorkbenchOptions, fake: LoopbackUpstream, bank: string): Record<string, unknown> {
  const models = options.models ?? FAKE_MODELS;
  const keyed = options.apiKey ? { provider: 'openai', apiKeyEnv: API_KEY_ENV } : { provider: 'vllm' };
  const endpoint = (id: string, served: string[]) => ({ id, ...keyed, baseUrl: fake.baseUrl, models: served, ...options.endpointFields });
  const endpoints =
    options.endpoints === false
      ? []
      : options.endpoints === 'split'
        ? [endpoint('fake-a', models.slice(0, 2)), endpoint('fake-b', models.slice(2))]
        : [endpoint('fake', models)];
  return {
    'workbench.colorTheme': THEMES[options.theme ?? 'dark'],
    'smcs.endpoints': endpoints,
    'smcs.embedding.provider': 'lexical',
    'smcs.bank': bank,
    'smcs.k': 3,
    'smcs.n': 2,
    // With equal priors, seed 1 draws two different subsets (seed 0 draws one twice, aggregated once): two candidates.
    'smcs.seed': 1,
    'smcs.aggregator': models[0],
    // Today's chat without a GitHub sign-in, as a user of their own models sets it: without it, Copilot's setup may
    // stop a send behind "Sign in to use GitHub Copilot" when the GitHub sign-in registers late (a loaded machine;
    // microsoft/vscode#335403), and the turn never reaches the model picked.
    ...(options.vscode === CHAT_WORKBENCH ? { 'chat.allowAnonymousAccess': true } : {}),
    ...options.settings,
  };
}

/**
 * Runs `step` (a pick in a menu of the workbench that can close or re-render under it) up to three times, the first two
 * with a short timeout, calling `between` after a failed try; the third try's failure fails with `what` named.
 */
export async function withRetries(what: string, step: (timeout: number) => Promise<void>, between: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const last = attempt === 3;
    const done = await step(last ? UI_TIMEOUT_MS : 5000).then(
      () => true,
      (err: unknown) => {
        if (last) throw new Error(`${what} could not be chosen after ${attempt} tries`, { cause: err });
        return false;
      },
    );
    if (done) return;
    await between();
  }
}

/** One workbench window and everything it needs; `close()` tears it down and hands its host on. */
export class Workbench {
  readonly consoleLines: string[] = [];
  /** The workspace folder's entries when the window opened: `resetForNextTest` removes any other. */
  private readonly openedEntries: ReadonlySet<string>;
  /** The side bar's width when the window opened, which `resetForNextTest` drags it back to. */
  private openedSidebarWidth = 0;
  /** The `sharedWorkbench` whose options the window's fake and settings were last made for (it reads this). */
  configuredFor: object | undefined;
  /** How many times `configure` gave the window another test's settings (each with a bank folder of its own). */
  private configurations = 0;
  readonly server: CodeServer;

  private constructor(
    private readonly host: Host,
    readonly page: Page,
    /** The fake LLM server the window's endpoints point at (a new one for each `configure`). */
    public fake: LoopbackUpstream,
    readonly folder: string,
    private readonly url: string,
    /** The theme the window opened in, which `resetForNextTest` sets again. */
    private readonly openedTheme: ThemeName,
  ) {
    this.server = host.server;
    this.openedEntries = new Set(readdirSync(folder));
    page.on('console', (msg) => this.consoleLines.push(`[${msg.type()}] ${msg.text()}`));
    page.on('pageerror', (err) => this.consoleLines.push(`[pageerror] ${err.message}`));
  }

  /** Starts the fake LLM server, opens a window on a host (started for it, or shared) and waits for the workbench to render. */
  static async open(options: WorkbenchOptions = {}): Promise<Workbench> {
    const { workbenchUrl } = await loadHarness();
    const fake = await startFake(options);
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'smcs-e2e-'));
    const folder = path.join(scratch, 'workspace');
    mkdirSync(folder);
    for (const [name, text] of Object.entries(options.files ?? {})) {
      mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      writeFileSync(path.join(folder, name), text);
    }
    const settings = windowSettings(options, fake, path.join(scratch, 'bank'));
    const started = Date.now();
    let host: Host | undefined;
    try {
      host = await leaseHost(hostOptions(options));
      const hostStartedInMs = host.startedInMs;
      host.startedInMs = undefined;
      host.server.resetUserData(settings);
      const page = await host.profile.context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      const url = workbenchUrl(host.server.url, { folder, ...(options.installedExtensionsDir ? { extensionDevelopmentPath: null } : {}) });
      const workbench = new Workbench(host, page, fake, folder, url, options.theme ?? 'dark');
      await workbench.load();
      workbench.openedSidebarWidth = await workbench.sidebarWidth();
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      const from = hostStartedInMs === undefined ? 'on a running code-server and Chromium' : `code-server and Chromium started in ${seconds(hostStartedInMs)}`;
      process.stderr.write(`e2e: workbench ${options.vscode ?? '1.104'} ready in ${seconds(Date.now() - started)} (${from})\n`);
      return workbench;
    } catch (err) {
      if (host) await releaseHost(host, false);
      await fake.close();
      rmSync(scratch, { recursive: true, force: true });
      throw err;
    }
  }

  /** Navigates to the workbench and waits until it is interactive with the extension activated. */
  private async load(): Promise<void> {
    await this.page.goto(this.url);
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible' });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible' });
    await this.waitForExtension();
  }

  /** The extension's contributions are in once its activity-bar entry shows. */
  private async waitForExtension(): Promise<void> {
    await this.page.locator(`.part.activitybar .action-item ${SMCS_ENTRY}`).first().waitFor({ state: 'visible' });
  }

  /**
   * Leaves the window as the next test that shares it expects to find it (`sharedWorkbench`): no quick input,
   * notification or editor open (unsaved changes dropped), the theme and the side bar's width it opened with, the panel
   * open with its history cleared (the modal confirmed), and the fake with no requests or scripts. The workspace's
   * files are not written again — a document the workbench holds may not have seen a change on disk by the time the
   * next test opens it — and the extension host keeps running (a web workbench cannot restart it short of a reload):
   * tests that change files or the extension's state keep a window of their own (`withWorkbench`).
   */
  async resetForNextTest(): Promise<void> {
    const quickInput = this.page.locator('.quick-input-widget');
    if (await quickInput.isVisible()) await this.page.keyboard.press('Escape');
    await this.runPaletteEntry('Notifications: Clear All Notifications');
    const unsaved = await this.page.locator('.tabs-container .tab.dirty').count();
    await this.runPaletteEntry('View: Close All Editors');
    if (unsaved > 0) {
      const save = this.page.locator('.monaco-dialog-box', { hasText: 'Do you want to save' });
      await save.getByRole('button', { name: "Don't Save" }).click();
      await save.waitFor({ state: 'hidden' });
    }
    await this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    // What the last test added to the workspace (a bank file to import) goes.
    for (const name of readdirSync(this.folder)) if (!this.openedEntries.has(name)) rmSync(path.join(this.folder, name), { recursive: true, force: true });
    await this.setTheme(this.openedTheme);
    await this.openPanel();
    await this.setSidebarWidth(this.openedSidebarWidth);
    if ((await this.byTestId('run').count()) > 0) {
      await this.runCommand('smcs.clearHistory');
      const confirm = this.page.locator('.monaco-dialog-box', { hasText: 'This cannot be undone' });
      await confirm.getByRole('button', { name: 'Clear History' }).click();
      await confirm.waitFor({ state: 'hidden' });
      await this.byTestId('run').first().waitFor({ state: 'detached' });
    }
    this.fake.forget();
  }

  /**
   * Gives the window another test's endpoints and settings, as a user edits them: a new fake LLM server (the last one
   * closed), a new bank folder, no past calls (the expected costs of asks start from the bank and typical lengths, as
   * in a new window: the engine the new settings make reads the file afresh), and the user settings.json written anew
   * in its editor and saved.
   */
  async configure(options: WorkbenchOptions, configuredFor: object): Promise<void> {
    rmSync(path.join(this.server.userDataDir, 'User', 'globalStorage', EXTENSION_ID, PAST_CALLS_FILE), { force: true });
    await this.fake.close();
    this.fake = await startFake(options);
    const bank = path.join(path.dirname(this.folder), `bank-${++this.configurations}`);
    const { QUIET_SETTINGS } = await loadCodeServer();
    const text = JSON.stringify({ ...QUIET_SETTINGS, ...windowSettings(options, this.fake, bank) });
    await this.runPaletteEntry('Preferences: Open User Settings (JSON)');
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible' });
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
    await this.page.keyboard.press('ControlOrMeta+S');
    // The tab is clean once the workbench has written the file; code-server's own copy on disk follows a moment later.
    await this.page.locator('.tabs-container .tab.dirty').waitFor({ state: 'detached' });
    const file = path.join(this.server.userDataDir, 'User', 'settings.json');
    await until(() => readFileSync(file, 'utf8') === text, () => `the user settings.json was saved as written (it holds ${readFileSync(file, 'utf8').slice(0, 300)})`, UI_TIMEOUT_MS);
    await this.runPaletteEntry('View: Close All Editors');
    this.configuredFor = configuredFor;
  }

  /** Reloads the browser window (the extension host restarts) and waits for the workbench again. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible' });
    await this.waitForExtension();
  }

  /** Runs a contributed command through the command palette, by its label from package.json. */
  async runCommand(commandId: string): Promise<void> {
    await this.runPaletteEntry(commandLabel(commandId));
  }

  /** Opens the command palette, types `label` and accepts the entry with exactly that label. */
  async runPaletteEntry(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.listRow('.quick-input-widget', label).first();
    // Just after a reload the palette can open before the extension's commands are in, and its list does not
    // refresh; or the palette closes under the click when a webview that is still loading takes focus. Either
    // way it is closed and opened again.
    await this.withQuickPickRetries(`the palette entry "${label}"`, async (timeout) => {
      // Keys pressed while a webview has focus stay inside its iframe: hand focus back to the workbench first.
      await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout });
      await input.fill(`>${label}`);
      await row.waitFor({ state: 'visible', timeout });
      await row.click({ timeout });
    });
  }

  /**
   * Runs `step` (which opens a quick pick and accepts a row in it) up to three times, the first two with a short
   * timeout: a quick pick hides when focus leaves it, and a row that was found may be hidden by the time it is
   * clicked. Between tries the quick pick is closed.
   */
  private async withQuickPickRetries(what: string, step: (timeout: number) => Promise<void>): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await withRetries(what, step, async () => {
      if (await widget.isVisible()) await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    });
  }

  /** Answers the input box a command opened (showInputBox; not the palette itself) with `text`. */
  async answerInputBox(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.inputBoxOpen();
    // A file dialog writes its folder into the box just after it opens, which can land on top of `text`: then the
    // dialog refuses the path and stays open, and the answer is given again.
    const widget = this.page.locator('.quick-input-widget');
    for (let attempt = 1; ; attempt++) {
      await input.fill(text);
      await input.press('Enter');
      const closed = await widget.waitFor({ state: 'hidden', timeout: 5000 }).then(() => true, () => false);
      if (closed) return;
      if (attempt === 3) throw new Error(`the input box did not take "${text}" (it holds "${await input.inputValue()}")`);
    }
  }

  /** Waits until a command's own input box is open (not the palette, whose text starts with ">"). */
  private async inputBoxOpen(timeout = UI_TIMEOUT_MS): Promise<void> {
    await this.page.waitForFunction(() => {
      const box = document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input');
      return box !== null && box.offsetParent !== null && !box.value.startsWith('>');
    }, undefined, { timeout });
  }

  /** The rows of a workbench list (the quick pick, the Explorer) whose label is exactly `label`. */
  private listRow(container: string, label: string): Locator {
    return this.page.locator(`${container} .monaco-list-row`, {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
    });
  }

  /** Types `question` into the panel's question box and sends it with Enter, as a user does. */
  async askInPanel(question: string): Promise<void> {
    await this.byTestId('input').fill(question);
    await this.byTestId('input').press('Enter');
  }

  /** The SMCS webview's document (outer webview iframe → its active content frame). */
  panel(): FrameLocator {
    return this.page.frameLocator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('iframe#active-frame');
  }

  /** The panel's content frame as a Frame, for evaluating script inside the webview document. */
  async panelFrame(): Promise<Frame> {
    await this.byTestId('history-list').waitFor({ state: 'attached' });
    for (const frame of this.page.frames()) {
      const found = await frame.evaluate(() => document.querySelector('[data-testid="history-list"]') !== null).catch(() => false);
      if (found) return frame;
    }
    throw new Error('the SMCS panel frame was not found');
  }

  /** The user settings.json as the server stores it. */
  userSettingsText(): string {
    return readFileSync(path.join(this.server.userDataDir, 'User', 'settings.json'), 'utf8');
  }

  /** The user settings as the server stores them; undefined while VS Code is rewriting the file (caught empty or half-written). */
  userSettings(): Record<string, unknown> | undefined {
    try {
      return JSON.parse(this.userSettingsText()) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof SyntaxError) return undefined;
      throw err;
    }
  }

  /** An element of the panel by its data-testid. */
  byTestId(testId: string) {
    return this.panel().locator(`[data-testid="${testId}"]`);
  }

  /** Shows the SMCS panel with "SMCS: Open Panel" (idempotent, unlike the activity-bar toggle) and waits for it. */
  async openPanel(): Promise<void> {
    await this.runCommand('smcs.openPanel');
    await this.waitForPanel();
  }

  /**
   * Opens the SMCS view container by clicking its activity-bar entry, as in a fresh window where the Explorer shows (a
   * window another test left with the panel open shows the Explorer first: a click on the shown container's entry
   * hides it).
   */
  async openPanelFromActivityBar(): Promise<void> {
    const entry = this.page.locator(`.part.activitybar .action-item ${SMCS_ENTRY}`).first();
    if ((await this.page.locator(`.part.activitybar .action-item.checked ${SMCS_ENTRY}`).count()) > 0) {
      await this.runPaletteEntry('View: Show Explorer');
      await this.page.locator('.part.sidebar .composite.title', { hasText: /Explorer/i }).waitFor({ state: 'visible' });
    }
    await entry.click();
    await this.waitForPanel();
  }

  private async waitForPanel(): Promise<void> {
    await this.page.locator('.part.sidebar .composite.title', { hasText: /SMCS/i }).waitFor({ state: 'visible' });
    await this.byTestId('history-list').waitFor({ state: 'attached' });
  }

  /** Opens a workspace file from the Explorer (quick open needs ripgrep, absent here) and waits for its tab. */
  async openFile(relativePath: string): Promise<void> {
    await this.runPaletteEntry('View: Show Explorer');
    const name = path.basename(relativePath);
    await this.listRow('.explorer-folders-view', name).first().click();
    await this.page.locator(`.tabs-container .tab[data-resource-name="${name}"]`).waitFor();
    await this.page.locator('.editor-instance .monaco-editor').first().waitFor({ state: 'visible' });
  }

  /** Right-clicks a workspace file in the Explorer and chooses `item` from its context menu. */
  async explorerMenu(relativePath: string, item: string): Promise<void> {
    await this.runPaletteEntry('View: Show Explorer');
    const row = this.listRow('.explorer-folders-view', path.basename(relativePath)).first();
    const menu = this.page.locator('.context-view .monaco-menu');
    // The Explorer scrolls to the active editor's file as it opens: a right-click during that scroll lands on another
    // row, whose menu then acts on that file. The row right-clicked takes the focus; a menu opened on another is closed.
    for (let attempt = 1; ; attempt++) {
      await row.click({ button: 'right' });
      await menu.waitFor({ state: 'visible' });
      if (await row.evaluate((el) => el.classList.contains('focused'))) break;
      if (attempt === 3) throw new Error(`right-clicking ${relativePath} in the Explorer kept opening the menu of another row`);
      await this.page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
    }
    const label = this.page.locator('.action-label', { hasText: new RegExp(`^${escapeRegExp(item)}$`) });
    const entry = this.page.locator('.context-view .monaco-menu .action-item', { has: label }).first();
    // A menu ignores a click that lands just after it opened (against accidental picks): point at the item, wait until
    // the menu has moved its focus there (on a busy machine that comes late, and Enter would act on another), then Enter.
    await entry.hover();
    await this.page.locator('.context-view .monaco-menu .action-item.focused', { has: label }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await entry.waitFor({ state: 'hidden' });
  }

  /** Reads a workspace file from disk. */
  readFile(relativePath: string): string {
    return readFileSync(path.join(this.folder, relativePath), 'utf8');
  }

  /** Switches the colour theme through "Preferences: Color Theme" (which sets `workbench.colorTheme`) and waits for the workbench and the panel to repaint. */
  async setTheme(theme: ThemeName): Promise<void> {
    const { workbench, webview, label } = THEME_CLASSES[theme];
    const current = await this.page.evaluate(() => document.querySelector('.monaco-workbench')?.className ?? '');
    if (current.split(/\s+/).includes(workbench)) {
      await this.panel().locator(`body.${webview}`).waitFor({ state: 'attached' });
      return;
    }
    const row = this.listRow('.quick-input-widget', label).first();
    await this.withQuickPickRetries(`the colour theme "${label}"`, async (timeout) => {
      await this.runPaletteEntry('Preferences: Color Theme');
      await this.inputBoxOpen(timeout);
      await this.page.locator('.quick-input-widget .quick-input-box input').fill(label, { timeout });
      await row.click({ timeout });
    });
    await this.page.waitForFunction((c) => document.querySelector('.monaco-workbench')?.classList.contains(c) ?? false, workbench);
    await this.panel().locator(`body.${webview}`).waitFor({ state: 'attached' });
  }

  /** The theme the workbench shows, when it is one of THEMES. */
  async theme(): Promise<ThemeName | undefined> {
    const classes = (await this.page.evaluate(() => document.querySelector('.monaco-workbench')?.className ?? '')).split(/\s+/);
    return (Object.keys(THEME_CLASSES) as ThemeName[]).find((name) => classes.includes(THEME_CLASSES[name].workbench));
  }

  /** The side bar's width in CSS pixels. */
  async sidebarWidth(): Promise<number> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('the side bar is not visible');
    return box.width;
  }

  /** Drags the sash between the side bar and the editor until the side bar is `width` px wide, as a user resizing it does. */
  async setSidebarWidth(width: number): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const sidebar = await this.page.locator('.part.sidebar').boundingBox();
      if (!sidebar) throw new Error('the side bar is not visible');
      if (Math.abs(sidebar.width - width) < 1) return;
      const edge = sidebar.x + sidebar.width;
      const sash = await this.page.evaluate((x) => {
        const found = [...document.querySelectorAll<HTMLElement>('.monaco-sash.vertical')]
          .map((el) => el.getBoundingClientRect())
          .find((r) => r.width > 0 && Math.abs(r.x + r.width / 2 - x) < 6);
        return found ? { x: found.x + found.width / 2, y: found.y + found.height / 2 } : undefined;
      }, edge);
      if (!sash) throw new Error(`no sash at the side bar's edge (x = ${edge})`);
      await this.page.mouse.move(sash.x, sash.y);
      await this.page.mouse.down();
      await this.page.mouse.move(sash.x + (width - sidebar.width), sash.y, { steps: 4 });
      await this.page.mouse.up();
    }
    const reached = await this.sidebarWidth();
    if (Math.abs(reached - width) >= 1) throw new Error(`the side bar is ${reached} px wide, not ${width}`);
  }

  /**
   * Saves a screenshot as `.test-results/screenshots/<name>.png` (the whole window, or only the side bar with
   * `sidebar: true`); returns its path.
   */
  async screenshot(name: string, options: { sidebar?: boolean } = {}): Promise<string> {
    const { resultsRoot } = await loadHarness();
    const dir = path.join(resultsRoot, 'screenshots');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    const clip = options.sidebar ? await this.page.locator('.part.sidebar').boundingBox() : null;
    // The pointer left where the theme picker or the sash drag put it shows a hover (e.g. "Open Settings" over the
    // panel's title bar): move it to the empty editor area and let the hover go.
    const viewport = this.page.viewportSize();
    if (viewport) await this.page.mouse.move(viewport.width - 20, viewport.height / 2);
    await this.page.locator('.workbench-hover-container').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
    await this.page.screenshot({ path: file, ...(clip ? { clip } : {}) });
    return file;
  }

  /** Keeps a screenshot, the extension and server logs and the browser console for a failed test. */
  async keepArtefacts(testName: string): Promise<string> {
    const { keepFailureArtefacts } = await loadHarness();
    const safe = testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    return keepFailureArtefacts(path.join('e2e', safe), { page: this.page, server: this.server, consoleLines: this.consoleLines });
  }

  /**
   * Leaves the window, clears what it stored in the browser and closes its page, the fake and the workspace and bank
   * folder made for it; the host serves the next window once the extension host has ended (or is closed when it does
   * not end, or what the window stored could not be cleared).
   */
  async close(): Promise<void> {
    const left = await this.leave().then(() => true, (err: unknown) => {
      process.stderr.write(`e2e: the window did not leave cleanly, so its code-server and Chromium are closed: ${err instanceof Error ? err.message : String(err)}\n`);
      return false;
    });
    const cleared = left && (await this.host.profile.clearWindow(this.page, new URL(this.url).origin).then(() => true, (err: unknown) => {
      process.stderr.write(`e2e: what the window stored could not be cleared, so its code-server and Chromium are closed: ${err instanceof Error ? err.message : String(err)}\n`);
      return false;
    }));
    await this.page.close();
    await releaseHost(this.host, cleared);
    await this.fake.close();
    rmSync(path.dirname(this.folder), { recursive: true, force: true });
  }

  /**
   * Navigates away, as closing a browser tab does: the workbench disconnects and code-server ends the window's
   * extension host (closing the page alone would leave it running, waiting for the window to reconnect). An editor
   * left unsaved asks before the page unloads; the answer is to leave.
   */
  private async leave(): Promise<void> {
    this.page.on('dialog', (dialog) => void dialog.accept());
    await this.page.goto('about:blank');
    await this.server.extensionHostsExited(EXTENSION_HOST_EXIT_MS);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs `body` against a window of its own (on a code-server and Chromium shared as the file's header says); on failure
 * keeps the artefacts (and says where) before rethrowing; always closes the window.
 */
export async function withWorkbench(
  testName: string,
  options: WorkbenchOptions,
  body: (workbench: Workbench) => Promise<void>,
): Promise<void> {
  // The shared window, if one is open, would hold its host: it goes first.
  await closeSharedWindow();
  const workbench = await Workbench.open(options);
  try {
    await body(workbench);
  } catch (err) {
    const dir = await workbench.keepArtefacts(testName);
    process.stderr.write(`e2e: "${testName}" failed; screenshot and logs kept in ${dir}\n`);
    throw err;
  } finally {
    await workbench.close();
  }
}

/** A test's body against a window it may share with other tests (`sharedWorkbench`). */
export type SharedTest = (testName: string, body: (workbench: Workbench) => Promise<void>) => Promise<void>;

/**
 * The window the tests of one group share (`sharedWorkbench`): open until a window of another group or of a test's own
 * needs its host, or the process has no more tests.
 */
let shared: { group: string; window: Promise<Workbench> } | undefined;
/** The window key (`windowKey`) of each group, as its first file gave it. */
const groupKeys = new Map<string, string>();

async function closeSharedWindow(): Promise<void> {
  const open = shared;
  shared = undefined;
  await (await open?.window.catch(() => undefined))?.close();
}

/**
 * What a test cannot change in a window it shares (`Workbench.configure` changes the rest: models, the fake, endpoints,
 * settings): its host (release, environment, extensions), its theme and its workspace's files.
 */
const windowKey = (options: WorkbenchOptions): string => JSON.stringify({ host: hostOptions(options), theme: options.theme ?? 'dark', files: options.files ?? {} });

/**
 * One window for the tests of `group` — of a file, or of several files (scripts/run-e2e.mjs runs the files of a group
 * one after another) — each of which can still run alone: the first test to run opens it with its `options`; a test of
 * another `sharedWorkbench` (another file, or other options) finds it configured for its own (`Workbench.configure`: a
 * new fake, a new bank folder, its settings), and every next test finds it reset (`resetForNextTest`: notifications and
 * editors closed, the theme and side bar as it opened, the panel's history cleared, the fake's requests and scripts
 * forgotten). It stays open after a file for the next test of the group, until a test of another group or one with a window of its own (`withWorkbench`) comes, or
 * the process has no more tests. The tests of a group must agree on what a window cannot change (`windowKey`). A test
 * that fails keeps its artefacts and closes the window, so the next one opens a fresh one rather than meeting what the
 * failure left.
 */
export function sharedWorkbench(group: string, options: WorkbenchOptions): SharedTest {
  const key = windowKey(options);
  const first = groupKeys.get(group) ?? key;
  if (first !== key) throw new Error(`the shared window "${group}" is asked for with another host, theme or files (${key}) than before (${first})`);
  groupKeys.set(group, key);
  const self = {};
  return async (testName, body) => {
    const fresh = shared?.group !== group;
    if (fresh) {
      await closeSharedWindow();
      shared = { group, window: Workbench.open(options) };
    }
    const entry = shared;
    if (entry === undefined) throw new Error(`the shared window "${group}" closed while opening`);
    const forget = () => {
      if (shared === entry) shared = undefined;
    };
    const workbench = await entry.window.catch((err: unknown) => {
      forget();
      throw err;
    });
    if (fresh) workbench.configuredFor = self;
    try {
      if (!fresh && workbench.configuredFor !== self) await workbench.configure(options, self);
      if (!fresh) await workbench.resetForNextTest();
      await body(workbench);
    } catch (err) {
      forget();
      const dir = await workbench.keepArtefacts(testName);
      process.stderr.write(`e2e: "${testName}" failed; screenshot and logs kept in ${dir}\n`);
      await workbench.close();
      throw err;
    }
  };
}
