/**
 * The files an ask withheld for their secrets, summed up in one line ("13 files withheld: secrets and certificates"),
 * so the panel and the CLI's text say the same; read from the context notes that core/secrets/secretFiles
 * `withheldNote` writes, whose kinds are a closed set. `smcs ask --json` keeps every note as it is.
 */
import type { SecretKind } from '../core/secrets/secretFiles';

type Group = 'secrets' | 'credentials' | 'keys' | 'certificates';

/** How the summary names each kind; the type makes a new kind choose its group. */
const GROUPS: Record<SecretKind, Group> = {
  'environment file': 'secrets',
  'secrets file': 'secrets',
  'password file': 'secrets',
  credentials: 'credentials',
  'Kubernetes config with credentials': 'credentials',
  'Docker registry credentials': 'credentials',
  'package-manager config with a token': 'credentials',
  'SSH key': 'keys',
  'key or certificate': 'certificates',
};
const GROUP_ORDER: readonly Group[] = ['secrets', 'credentials', 'keys', 'certificates'];

const isKind = (kind: string): kind is SecretKind => Object.hasOwn(GROUPS, kind);
const NOTE = /^(.+) left out: (.+)$/;

export interface WithheldFile {
  path: string;
  kind: SecretKind;
}

/** A run's context notes parted: the files withheld as secret (each once, in note order) and every other note. */
export interface PartedNotes {
  withheld: WithheldFile[];
  others: string[];
}

export function partNotes(notes: readonly string[]): PartedNotes {
  const withheld = new Map<string, WithheldFile>();
  const others: string[] = [];
  for (const note of notes) {
    const m = NOTE.exec(note);
    const kind = m?.[2];
    if (m && kind !== undefined && isKind(kind)) {
      const path = m[1] as string;
      if (!withheld.has(path)) withheld.set(path, { path, kind });
    } else others.push(note);
  }
  return { withheld: [...withheld.values()], others };
}

const joinWords = (words: readonly string[]): string => (words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`);

/** "13 files withheld: secrets and certificates"; undefined when none was. */
export function withheldSummary(files: readonly WithheldFile[]): string | undefined {
  if (files.length === 0) return undefined;
  const groups = new Set(files.map((f) => GROUPS[f.kind]));
  return `${files.length} file${files.length === 1 ? '' : 's'} withheld: ${joinWords(GROUP_ORDER.filter((g) => groups.has(g)))}`;
}

/** One file of the expanded list: "certs/server.pem (key or certificate)". */
export const withheldPart = (file: WithheldFile): string => `${file.path} (${file.kind})`;

/**
 * The summary with the first files named, for a line of text (the CLI's): "13 files withheld: secrets and certificates
 * (.env, certs/a.pem, certs/b.pem and 10 more)".
 */
export function withheldLine(files: readonly WithheldFile[], named = 3): string | undefined {
  const summary = withheldSummary(files);
  if (summary === undefined) return undefined;
  const more = files.length - named;
  const paths = files.slice(0, named).map((f) => f.path);
  return `${summary} (${more > 0 ? `${paths.join(', ')} and ${more} more` : joinWords(paths)})`;
}
