/**
 * `smcs eval context SET.jsonl --workspace DIR [--editor none|unrelated|relevant]`: how well workspace context finds
 * the code a question is about. Each line is `{"question": "...", "gold": ["path relative to the workspace", ...],
 * "workspace"?: "subfolder of DIR"}`; the context is gathered and fitted exactly as `smcs ask Q --workspace DIR
 * [--open PATH:LINE]` gathers and fits it (engine/workspaceContext — the one decision every front end reaches —
 * core/ask/contextMessage, with the config's embedder and the window assumed when no model's is known), and the report
 * (core/eval/contextEval) gives recall@1/3/5/10 of the gold files among the files sent, the tokens sent, the share of
 * prose and of test files, the time per question and a plain BM25 over the code files beside it. `--editor` is the
 * editor state each question is asked in: no file open (`none`, the default); `unrelated`, the largest code file of the
 * workspace that is not a gold file (ties by path), open at its middle line; `relevant`, the first gold file open at its
 * middle line (no file for a question without gold files). A line with no gold files is a question not about the
 * workspace (a plain question, or an exercise with its own code): the report gives how much larger the workspace (and
 * the open file) made its request than the question alone.
 */
import { readFile } from 'node:fs/promises';
import { MAX_TEXT_FILE_BYTES, readUserFile, utf8Text } from '../../files/userFile';
import path from 'node:path';
import { askMessage } from '../../core/ask/contextMessage';
import { guardContext } from '../../core/secrets/secretGuard';
import { userMessage } from '../../core/ask/prompts';
import { fileKind } from '../../core/retrieval/fileKinds';
import { textOf } from '../../core/context/textBytes';
import type { RetrievalStages } from '../../core/retrieval/ranking';
import { percentile } from '../../core/util/arrays';
import type { OpenFile } from '../../core/retrieval/openFileShare';
import { contextEvalReport, plainBm25, type ContextEvalQuestion, type ContextEvalReport, type GoldDefinition, type NotAboutWorkspace, type Recall } from '../../core/eval/contextEval';
import { embedderFor } from '../../engine/engine';
import { WorkspaceContexts } from '../../engine/workspaceContext';
import { createGateway } from '../../llm/gateway';
import { walkWorkspace } from '../../workspace/walk';
import { formatCount } from '../../presentation/format';
import { workspaceFolder } from '../attachments';
import { cliHooks, loadConfig, printText, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { jsonlRows } from '../jsonlRows';
import { jsonDocument } from '../../presentation/jsonDocument';

/** The editor state a question of the set is asked in. */
export type EditorCase = 'none' | 'unrelated' | 'relevant';

export interface EvalContextOptions extends GlobalOptions {
  file: string;
  workspace: string;
  /** Validated by the option's choices; `none` by default. */
  editor?: EditorCase;
  /** The retrieval stages that run (`--stages`); core/retrieval/ranking DEFAULT_STAGES by default. */
  stages?: RetrievalStages;
  json?: boolean;
}

interface Row {
  question: string;
  gold: string[];
  /** What kind of question it is (`bug`, `plain`, `named`, `unrelated`…), reported apart. */
  kind?: string;
  /** The row's workspace: a folder inside --workspace (each fix's parent tree), else --workspace itself. */
  workspace?: string;
  /** The definitions that answer the question: a file of `gold` and the lines from its signature to its end. */
  definitions?: GoldDefinition[];
}

/** The row's `definitions`, each a gold file's lines; a usage error naming the line when one is not. */
function goldDefinitions(value: unknown, gold: readonly string[], where: string): GoldDefinition[] {
  if (!Array.isArray(value)) throw new UsageError(`${where}: "definitions" must be a list of {path, startLine, endLine}`);
  return value.map((d: unknown) => {
    const def = d as Partial<GoldDefinition> | null;
    const lineOk = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
    if (typeof def !== 'object' || def === null || typeof def.path !== 'string' || !gold.includes(def.path) || !lineOk(def.startLine) || !lineOk(def.endLine) || def.endLine < def.startLine) {
      throw new UsageError(`${where}: each of "definitions" must name a file of "gold" and its lines (startLine ≤ endLine, from 1)`);
    }
    return { path: def.path, startLine: def.startLine, endLine: def.endLine };
  });
}

/** The rows of the set; a line that is not such a row is a usage error naming the line and what is wrong. */
export function parseContextSet(text: string, file: string): Row[] {
  const rows = jsonlRows(text, file, (value, where): Row => {
    const row = value as Partial<Row> | null;
    if (typeof row !== 'object' || row === null || typeof row.question !== 'string' || row.question.trim() === '') throw new UsageError(`${where} has no "question" string`);
    if (!Array.isArray(row.gold) || !row.gold.every((g) => typeof g === 'string' && g !== '')) throw new UsageError(`${where}: "gold" must be a list of paths relative to the workspace ([] for a plain question)`);
    if (row.workspace !== undefined && (typeof row.workspace !== 'string' || path.isAbsolute(row.workspace) || row.workspace.split(/[\\/]/).includes('..'))) {
      throw new UsageError(`${where}: "workspace" must be a folder inside --workspace`);
    }
    if (row.kind !== undefined && (typeof row.kind !== 'string' || row.kind === '')) throw new UsageError(`${where}: "kind" must be a word naming the kind of question`);
    return {
      question: row.question,
      gold: row.gold.map((g) => g.replace(/\\/g, '/').replace(/^\.\//, '')),
      ...(row.kind !== undefined ? { kind: row.kind } : {}),
      ...(row.workspace !== undefined ? { workspace: row.workspace } : {}),
      ...(row.definitions !== undefined ? { definitions: goldDefinitions(row.definitions, row.gold, where) } : {}),
    };
  });
  if (rows.length === 0) throw new UsageError(`${file} holds no questions`);
  return rows;
}

/** The code files of a workspace as the index walks it (ignore rules, vendored folders and binaries left out), with their text. */
async function codeFiles(root: string): Promise<{ path: string; text: string }[]> {
  const walk = await walkWorkspace(root);
  const files: { path: string; text: string }[] = [];
  for (const f of walk.files) {
    if (fileKind(f.path) !== 'code') continue;
    const text = textOf(await readFile(path.join(root, f.path)));
    if (text !== undefined) files.push({ path: f.path, text });
  }
  return files;
}

/** The file open for a row in `editor` (at its middle line), or undefined: see the file's opening comment. */
export function openFileFor(editor: EditorCase, gold: readonly string[], files: readonly { path: string; text: string }[]): OpenFile | undefined {
  const chosen =
    editor === 'relevant'
      ? files.find((f) => f.path === gold[0])
      : editor === 'unrelated'
        ? files.filter((f) => !gold.includes(f.path)).sort((a, b) => b.text.length - a.text.length || (a.path < b.path ? -1 : 1))[0]
        : undefined;
  if (chosen === undefined) return undefined;
  return { path: chosen.path, text: chosen.text, cursorLine: Math.max(1, Math.ceil(chosen.text.split('\n').length / 2)) };
}

const share = (x: number): string => x.toFixed(2);
const percent = (x: number): string => `${(100 * x).toFixed(0)}%`;
const recallCells = (r: Recall): string[] => [share(r.at1), share(r.at3), share(r.at5), share(r.at10)];

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function formatContextReport(report: ContextEvalReport, indexMsMedian: number, editor: EditorCase = 'none'): string {
  const lines: string[] = [`editor: ${editor === 'none' ? 'no file open' : editor === 'unrelated' ? 'an unrelated file open (the largest code file not a gold one)' : 'the first gold file open at its middle line'}`];
  if (report.questions > 0) {
    lines.push(
      `${report.questions} questions with gold files: a gold file among the first k files`,
      table([
        ['', '@1', '@3', '@5', '@10', 'sent at all'],
        ['sent to the models', ...recallCells(report.recall), share(report.reached)],
        ['BM25 over code files', ...recallCells(report.baseline), ''],
      ]),
      ...(report.definitions.questions > 0 ? [`the answering definition sent for ${share(report.definitions.reached)} of ${report.definitions.questions} questions that name it`] : []),
      `tokens sent: median ${formatCount(report.tokens.median)}, p90 ${formatCount(report.tokens.p90)}; prose ${percent(report.proseShare)}, test files ${percent(report.testShare)} of them`,
    );
  }
  const kinds = Object.entries(report.byKind);
  if (kinds.length > 0) {
    lines.push(
      'by kind:',
      table([
        ['kind', 'questions', '@5', '@10', 'BM25 @5', 'BM25 @10', 'median tokens', 'unrelated carrying any'],
        ...kinds.map(([kind, k]) =>
          k.withGold === 0
            ? [kind, String(k.questions), '', '', '', '', formatCount(k.tokensMedian), `${k.carried} of ${k.questions}`]
            : [kind, String(k.questions), share(k.recall.at5), share(k.recall.at10), share(k.baseline.at5), share(k.baseline.at10), formatCount(k.tokensMedian), ''],
        ),
      ]),
    );
  }
  const added = (what: string, p: NotAboutWorkspace) =>
    `${p.questions} ${what} (${p.carried} carrying anything of the workspace): the workspace made the request ${p.sizeRatioMedian.toFixed(2)}× its size without one (median), at most ${p.sizeRatioMax.toFixed(2)}×; median ${formatCount(p.tokensMedian)} tokens of context`;
  if (report.plain) lines.push(added('plain questions', report.plain));
  if (report.exercises) lines.push(added('exercises with their own code', report.exercises));
  lines.push(`context gathered in ${report.msMedian.toFixed(0)} ms per question (median; the index built first, in ${(indexMsMedian / 1000).toFixed(1)} s per workspace)`);
  return lines.join('\n');
}

export async function evalContextCommand(options: EvalContextOptions): Promise<ContextEvalReport> {
  const text = utf8Text(await readUserFile(options.file, { label: `the eval set ${options.file}`, maxBytes: MAX_TEXT_FILE_BYTES }));
  const rows = parseContextSet(text, options.file);
  const base = workspaceFolder(options.workspace);
  const roots = rows.map((r) => (r.workspace === undefined ? base : workspaceFolder(path.join(base, r.workspace))));
  const config = loadConfig(options);
  const hooks = cliHooks(options);
  const gateway = config.embedding.provider === 'endpoint' ? await createGateway(config.endpoints, { log: hooks.log }) : undefined;
  const embedder = embedderFor(config, hooks, (id) => {
    if (!gateway) throw new UsageError('embedding.endpoint needs endpoints in the config');
    return gateway.endpoint(id);
  });
  const contexts = new WorkspaceContexts(embedder, hooks);
  const signal = options.signal ?? new AbortController().signal;
  const indexMs: number[] = [];
  const built = new Set<string>();
  const editor = options.editor ?? 'none';
  // Each workspace's code files, read once: the BM25 baseline and the open file come from them.
  const filesOf = new Map<string, Promise<{ path: string; text: string }[]>>();
  const files = (root: string): Promise<{ path: string; text: string }[]> => {
    let read = filesOf.get(root);
    if (read === undefined) filesOf.set(root, (read = codeFiles(root)));
    return read;
  };
  const outcomes: ContextEvalQuestion[] = [];
  for (const [i, row] of rows.entries()) {
    const root = roots[i] as string;
    const workspace = { root, retrieval: 'auto' as const, ...(options.stages ? { stages: options.stages } : {}) };
    const before = i > 0 ? (roots[i - 1] as string) : undefined;
    // A set of many trees (each fix's parent) is asked tree by tree: one whose questions are done is let go, or the
    // indexes of a set of large code bases would not fit in memory together.
    if (before !== undefined && before !== root && !roots.slice(i).includes(before)) {
      await contexts.release({ ...workspace, root: before });
      filesOf.delete(before);
    }
    if (!built.has(root)) {
      const t = performance.now();
      await contexts.refresh(workspace, signal);
      indexMs.push(performance.now() - t);
      built.add(root);
    }
    const openFile = editor === 'none' ? undefined : openFileFor(editor, row.gold, await files(root));
    const started = performance.now();
    const gathered = await contexts.gather(row.question, { workspace, ...(openFile ? { editor: { openFile } } : {}), signal });
    const message = askMessage({ question: row.question, history: [] }, guardContext(gathered?.items ?? []), [undefined], config.maxTokens);
    const ms = performance.now() - started;
    const decision = gathered?.notes.find((n) => /^(not )?searched: /.test(n));
    outcomes.push({
      question: row.question,
      ...(row.kind !== undefined ? { kind: row.kind } : {}),
      gold: row.gold,
      sent: message.fitted.items.map((it) => ({ path: it.path, tokens: it.tokens, startLine: it.startLine, endLine: it.endLine })),
      ...(row.definitions !== undefined ? { definitions: row.definitions } : {}),
      ...(decision !== undefined ? { decision } : {}),
      bytes: Buffer.byteLength(message.content),
      bareBytes: Buffer.byteLength(userMessage(row.question)),
      ms,
      baseline: row.gold.length > 0 ? plainBm25(await files(root), row.question).slice(0, 10) : [],
    });
    if (process.stderr.isTTY && !options.json) process.stderr.write(`\r\x1b[K${i + 1}/${rows.length}`);
  }
  if (process.stderr.isTTY && !options.json) process.stderr.write('\r\x1b[K');
  const report = contextEvalReport(outcomes);
  const indexMsMedian = percentile(indexMs, 0.5);
  if (options.json) process.stdout.write(`${jsonDocument({ ...report, editor, indexMsMedian }, 2)}\n`);
  else printText(formatContextReport(report, indexMsMedian, editor));
  return report;
}
