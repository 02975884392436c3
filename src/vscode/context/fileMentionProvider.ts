/**
 * `#file` mentions and the files the user added (Add file…, Ask About File): each read whole. A file holding secrets
 * is sent only after the user chose how, in a modal: as it is, redacted (core/secrets/secretGuard replaces the values),
 * or not at all; a mention that names no workspace file is said.
 */
import { fileItem, type ContextItem } from '../../core/context/contextItem';
import { resolveFileMention } from '../../core/retrieval/hashMentions';
import { secretFileKind } from '../../core/secrets/secretFiles';
import { findSecrets, findsSummary } from '../../core/secrets/secretScan';
import type { ContextProvider, ContextRequest, Gathered } from './contextProvider';
import type { Workbench } from './workbench';
import type { WorkspaceFiles } from './workspaceFiles';

const SEND_ANYWAY = 'Send anyway';
const SEND_REDACTED = 'Send redacted';

/** What a file holds that is secret ("environment file holding 1 token"), or undefined. */
function secretsIn(path: string, text: string): string | undefined {
  const kind = secretFileKind(path, text);
  const finds = findSecrets(text, path);
  if (kind === undefined && finds.length === 0) return undefined;
  return [...(kind !== undefined ? [kind] : []), ...(finds.length > 0 ? [findsSummary(finds)] : [])].join(' holding ');
}

/** The attachment as the user chose to send it, or a note when they chose not to; while estimating, counted redacted without asking. */
async function confirmed(workbench: Workbench, path: string, text: string, estimating: boolean): Promise<{ item?: ContextItem; note?: string }> {
  const what = secretsIn(path, text);
  const item = fileItem('file', path, text, 'attached');
  if (what === undefined || estimating) return { item };
  const choice = await workbench.warn(
    `${path} holds secrets (${what}). Send it to the models?`,
    `"${SEND_REDACTED}" replaces each secret value with «redacted: …» and sends the rest; "${SEND_ANYWAY}" sends the file as it is to every model.`,
    SEND_REDACTED,
    SEND_ANYWAY,
  );
  if (choice === SEND_ANYWAY) return { item: { ...item, sendSecrets: true }, note: `${path}: sent with its secrets (${what}) as you chose` };
  if (choice === SEND_REDACTED) return { item };
  return { note: `${path} not sent: it holds secrets (${what})` };
}

export class FileMentionProvider implements ContextProvider {
  constructor(
    private readonly workbench: Workbench,
    private readonly files: Pick<WorkspaceFiles, 'list'>,
  ) {}

  async gather(request: ContextRequest): Promise<Gathered> {
    const wanted = [...new Set([...request.addedFiles, ...request.mentions.files])];
    if (wanted.length === 0 || !this.workbench.hasWorkspace()) return { items: [], notes: [] };
    const known = await this.files.list();
    const gathered: Gathered = { items: [], notes: [] };
    // A file both added and mentioned (or mentioned twice in other words) is read, and asked about, once.
    const read = new Set<string>();
    for (const mention of wanted) {
      const path = request.addedFiles.includes(mention) ? mention : resolveFileMention(mention, known);
      if (path !== undefined && read.has(path)) continue;
      const text = path === undefined ? undefined : await this.workbench.readFile(path);
      if (path === undefined || text === undefined) {
        gathered.notes.push(`#${mention}: no such text file in the workspace`);
        continue;
      }
      read.add(path);
      const { item, note } = await confirmed(this.workbench, path, text, request.estimating === true);
      if (item !== undefined) gathered.items.push(item);
      if (note !== undefined) gathered.notes.push(note);
    }
    return gathered;
  }
}
