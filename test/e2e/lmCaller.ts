/**
 * Reaching a workbench's language models the way another extension does. The test extensions in
 * test/e2e/extensions/ are packed as VSIX files at test time (`packTestExtension`) and installed beside SMCS
 * (`withWorkbench(name, { extensions: [...] }, …)`); the LM caller among them (`LM_CALLER`) answers over loopback
 * HTTP, and `listLanguageModels` / `callLanguageModel` here talk to it:
 *
 *   withWorkbench('…', { extensions: [await packTestExtension(LM_CALLER)] }, async (wb) => {
 *     const reply = await callLanguageModel(wb, { vendor: 'smcs', id: '…', messages: [{ role: 'user', content: 'Hi' }] });
 *   });
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  CallerError,
  CallerEvent,
  CallerMessage,
  CallerModel,
  CallerRequest,
  CallerResponsePart,
  CallerSelector,
  CallerTool,
} from './extensions/lm-caller/protocol';
import type { Workbench } from './workbench';

export type { CallerError, CallerMessage, CallerModel, CallerResponsePart, CallerTool };

/** The test extension that calls language models through `vscode.lm` (test/e2e/extensions/lm-caller). */
export const LM_CALLER = 'lm-caller';
/** A throwaway provider (vendor `smoke`, model `echo`) that streams the last user message back. */
export const LM_ECHO_PROVIDER = 'lm-echo-provider';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const EXTENSIONS_DIR = path.join(__dirname, 'extensions');
const CALLER_ID = 'smcs-tests.lm-caller';
const packed = new Map<string, Promise<string>>();

/**
 * Packs test/e2e/extensions/<name> (its package.json, and extension.ts bundled by esbuild with `vscode` external) as
 * a VSIX with @vscode/vsce, once per test process; resolves to the VSIX's path.
 */
export function packTestExtension(name: string): Promise<string> {
  let vsix = packed.get(name);
  if (!vsix) {
    vsix = pack(name);
    packed.set(name, vsix);
  }
  return vsix;
}

async function pack(name: string): Promise<string> {
  const source = path.join(EXTENSIONS_DIR, name);
  const out = mkdtempSync(path.join(os.tmpdir(), `smcs-e2e-${name}-`));
  // Installed from here by each workbench of this test process; removed when the process ends.
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(source, 'extension.ts')],
    outfile: path.join(out, 'extension.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  copyFileSync(path.join(source, 'package.json'), path.join(out, 'package.json'));
  const { version } = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as { version: string };
  const packagePath = path.join(out, `${name}-${version}.vsix`);
  // The CLI in a child process keeps vsce's listing of the packed files out of the test output (shown on failure).
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = [vsce, 'package', '--out', packagePath, '--no-dependencies', '--allow-missing-repository', '--skip-license'];
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, args, { cwd: out }, (err, stdout, stderr) => {
      if (err) reject(new Error(`vsce could not pack ${source}: ${stderr || stdout || err.message}`));
      else resolve();
    });
  });
  return packagePath;
}

export interface CallOptions {
  vendor: string;
  /** The model's id; without it the first model of the vendor answers. */
  id?: string;
  messages: CallerMessage[];
  tools?: CallerTool[];
  toolMode?: 'auto' | 'required';
  justification?: string;
  /** Called with each part as it streams in (e.g. to abort after the first). */
  onPart?: (part: CallerResponsePart) => void;
  /** Aborting closes the connection: the caller cancels the request's token. */
  signal?: AbortSignal;
}

export interface CallResult {
  /** The text parts joined. */
  text: string;
  /** Every streamed part, in order. */
  parts: CallerResponsePart[];
  /** What `selectChatModels` or `sendRequest` threw, or the stream threw part-way. */
  error?: CallerError;
  /** True when `signal` aborted the call before the stream ended. */
  aborted: boolean;
}

/** The models `vscode.lm.selectChatModels(selector)` gives another extension in this workbench. */
export async function listLanguageModels(wb: Workbench, selector: CallerSelector): Promise<CallerModel[]> {
  const response = await fetch(`${await callerUrl(wb)}/models`, { method: 'POST', body: JSON.stringify(selector) });
  if (!response.ok) throw new Error(`the LM caller answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as CallerModel[];
}

/**
 * Sends one request through `model.sendRequest` from the LM caller extension (to the first model `{vendor, id}`
 * selects) and collects the streamed parts.
 */
export async function callLanguageModel(wb: Workbench, options: CallOptions): Promise<CallResult> {
  const request: CallerRequest = {
    selector: { vendor: options.vendor, ...(options.id ? { id: options.id } : {}) },
    messages: options.messages,
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.toolMode ? { toolMode: options.toolMode } : {}),
    ...(options.justification ? { justification: options.justification } : {}),
  };
  const result: CallResult = { text: '', parts: [], aborted: false };
  const take = (event: CallerEvent) => {
    if ('part' in event) {
      result.parts.push(event.part);
      if (event.part.type === 'text') result.text += event.part.value;
      options.onPart?.(event.part);
    } else if ('error' in event) result.error = event.error;
  };
  try {
    const response = await fetch(`${await callerUrl(wb)}/call`, {
      method: 'POST',
      body: JSON.stringify(request),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!response.ok || !response.body) throw new Error(`the LM caller answered ${response.status}: ${await response.text()}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      pending += decoder.decode(chunk.value, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      // Parts after an abort (onPart may abort) are not taken, even when they came in the same chunk.
      for (const line of lines) if (line.trim() && !options.signal?.aborted) take(JSON.parse(line) as CallerEvent);
    }
  } catch (err) {
    if (!options.signal?.aborted) throw err;
  }
  result.aborted = options.signal?.aborted ?? false;
  return result;
}

/** The LM caller's loopback URL, once it has activated and written its port. */
async function callerUrl(wb: Workbench): Promise<string> {
  const { waitFor } = await import('../../scripts/codeServer.mjs');
  const portFile = path.join(wb.server.userDataDir, 'User', 'globalStorage', CALLER_ID, 'port');
  const port = await waitFor(() => existsSync(portFile) && readFileSync(portFile, 'utf8'), {
    timeoutMs: 30000,
    message: `the LM caller extension did not start (no ${portFile}; was it installed with packTestExtension(LM_CALLER)?)`,
  });
  return `http://127.0.0.1:${port}`;
}
