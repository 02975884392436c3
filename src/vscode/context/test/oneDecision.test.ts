/**
 * One decision for every front end (issue 42): the panel's path (QuestionContext → the engine's workspace context) and
 * the CLI's (`smcs ask --workspace DIR --open PATH:LINE`) send the same items for the same question, workspace and
 * open file — the Router question among them, which the panel's word-only pre-check used to keep from the workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../../test/fixtures/bankData';
import { openFileState } from '../../../cli/attachments';
import { reportOf } from '../../../core/context/contextItem';
import { mayConcernAWorkspace } from '../../../core/retrieval/searchEvidence';
import { LexicalEmbedder } from '../../../embed/lexical';
import type { AskOptions, WorkspaceRequest } from '../../../engine/types';
import { WorkspaceContexts } from '../../../engine/workspaceContext';
import { CurrentFileProvider } from '../currentFileProvider';
import { QuestionContext } from '../questionContext';
import { SelectionProvider } from '../selectionProvider';
import { editor, workbench } from './fakeWorkbench';

const ROUTER = [
  'export class Router {',
  '  private readonly routes = new Map<string, Set<string>>();',
  '  /** The status for a request: 405 when the path is known but not the method. */',
  '  status(method: string, path: string): number {',
  '    const methods = this.routes.get(path);',
  '    return methods === undefined ? 405 : methods.has(method) ? 200 : 405;',
  '  }',
  '}',
  '',
].join('\n');
const SERVER = "import { Router } from './router';\n\nexport function serve(router: Router): void {\n  listen((req) => router.status(req.method, req.path));\n}\n";
/** A large file about something else: the one open in the editor. */
const COLORS = Array.from({ length: 300 }, (_, i) => `export function shade${i}(rgb: number[]): number[] {\n  return rgb.map((c) => Math.min(255, c + ${i}));\n}\n`).join('\n');

const QUESTIONS = [
  'Why does the Router return 405 instead of 404 for a path it does not know?',
  'What is the capital of Australia?',
  'Why does this function clamp at 255?',
  'Why does serve() drop the query string?',
];

test('the panel and the CLI send the same items for the same question, workspace and open file', async () => {
  const temp = tempDir('smcs-one-decision-');
  const root = path.join(temp.dir, 'ws');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'router.ts'), ROUTER);
  writeFileSync(path.join(root, 'src', 'server.ts'), SERVER);
  writeFileSync(path.join(root, 'src', 'colors.ts'), COLORS);
  const request = (retrieval: WorkspaceRequest['retrieval']): WorkspaceRequest => ({ root, indexDir: path.join(temp.dir, 'index'), retrieval });
  const contexts = new WorkspaceContexts(new LexicalEmbedder(), { storageDir: temp.dir, log: () => undefined });
  const signal = new AbortController().signal;
  const bench = workbench({ editor: editor('src/colors.ts', COLORS, { cursor: { line: 400, character: 2 }, languageId: 'typescript' }) });
  const panel = new QuestionContext(bench, [new SelectionProvider(bench), new CurrentFileProvider(bench)], { request, start: () => undefined }, mayConcernAWorkspace);
  try {
    for (const question of QUESTIONS) {
      const gathered = await panel.gather(question);
      const fromPanel: Pick<AskOptions, 'attachments' | 'workspace' | 'editor' | 'signal'> = { attachments: gathered.attachments, ...(gathered.workspace ? { workspace: gathered.workspace } : {}), ...(gathered.editor ? { editor: gathered.editor } : {}), signal };
      const fromCli = { workspace: request('auto'), editor: openFileState(`${path.join(root, 'src', 'colors.ts')}:401`, root), signal };
      const panelSent = await contexts.gather(question, fromPanel);
      const cliSent = await contexts.gather(question, fromCli);
      assert.deepEqual(panelSent?.items.map(reportOf), cliSent?.items.map(reportOf), question);
      assert.deepEqual(panelSent?.notes, cliSent?.notes, question);
    }
    const router = await contexts.gather(QUESTIONS[0] as string, { workspace: request('auto'), editor: openFileState(`${path.join(root, 'src', 'colors.ts')}:401`, root), signal });
    assert.ok(router?.items.some((i) => i.path === 'src/router.ts'), 'the Router question finds the router');
    assert.ok(!router?.items.some((i) => i.path === 'src/colors.ts'), 'and sends nothing of the unrelated open file');
    assert.equal(router?.notes.at(-1), 'searched: the question names Router, which src/router.ts defines; open file: src/colors.ts not sent: the question does not refer to it');
    const plain = await contexts.gather(QUESTIONS[1] as string, { workspace: request('auto'), editor: openFileState(`${path.join(root, 'src', 'colors.ts')}:401`, root), signal });
    assert.deepEqual(plain?.items, []);
    const pointing = await contexts.gather(QUESTIONS[2] as string, { workspace: request('auto'), editor: openFileState(`${path.join(root, 'src', 'colors.ts')}:401`, root), signal });
    assert.deepEqual(pointing?.items.filter((i) => i.outline !== true).map((i) => [i.path, i.startLine, i.endLine]), [['src/colors.ts', 401, 403]]);
    assert.match(pointing?.notes.at(-1) ?? '', /^not searched: /, '"this function" is the open file\'s, not the workspace\'s');
  } finally {
    temp.cleanup();
  }
});
