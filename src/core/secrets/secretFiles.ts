/**
 * Which files and texts hold secrets, and what of them may be sent: a file whose name says it holds credentials
 * (`.env*`, keys, credential files, a Kubernetes or Docker config) or whose text is mostly secret values is left out;
 * a secret value inside a useful file is replaced in place (core/secrets/secretScan), so the code around it is sent.
 */
import { findSecrets, findsSummary, redactFinds, type SecretFind } from './secretScan';

/**
 * What a file or text left out for its secrets is: the closed set the notes name ("… left out: environment file"),
 * so a front end can sum the notes up by kind (src/presentation/withheldFiles.ts) without guessing.
 */
export type SecretKind =
  | 'environment file'
  | 'key or certificate'
  | 'SSH key'
  | 'credentials'
  | 'Kubernetes config with credentials'
  | 'Docker registry credentials'
  | 'secrets file'
  | 'password file'
  | 'package-manager config with a token';

/** File names that hold secrets, each with what it is (matched against the path, case-insensitively). */
const SECRET_FILES: readonly [RegExp, SecretKind][] = [
  [/(?:^|\/)\.env(?:rc)?(?:\.[^/]*)?$/i, 'environment file'],
  [/\.(?:pem|key|p12|pfx|jks|keystore|ppk|gpg|asc|crt|cer|der|p8|kdbx)$/i, 'key or certificate'],
  [/(?:^|\/)id_[a-z0-9_]+(?:\.pub)?$/i, 'SSH key'],
  [/(?:^|\/)(?:credentials|creds)(?:(?:[._-][\w.-]*)?\.(?:json|ya?ml|ini|cfg|conf|toml|txt|csv|xml))?$/i, 'credentials'],
  [/(?:^|\/)(?:client_secret|service[-_]?account)[^/]*\.json$/i, 'credentials'],
  [/(?:^|\/)[._](?:netrc|git-credentials|pgpass|my\.cnf)$/i, 'credentials'],
  [/(?:^|\/)\.kube\/config$|(?:^|\/)kubeconfig[^/]*$/i, 'Kubernetes config with credentials'],
  [/(?:^|\/)\.docker\/config\.json$/i, 'Docker registry credentials'],
  [/(?:^|\/)[^/]*secrets?[^/]*\.(?:ya?ml|json|toml|ini|env)$/i, 'secrets file'],
  [/(?:^|\/)\.htpasswd$/i, 'password file'],
];

/** Every kind, to read a stored one back. */
const SECRET_KINDS: ReadonlySet<string> = new Set<SecretKind>([...SECRET_FILES.map(([, kind]) => kind), 'credentials', 'package-manager config with a token']);

/** A kind read back from a stored index: one of ours, else plain "credentials". */
export const secretKindOf = (kind: string): SecretKind => (SECRET_KINDS.has(kind) ? (kind as SecretKind) : 'credentials');

/** Package-manager configs hold secrets only when they carry a token or password. */
const TOKEN_CONFIGS: readonly [RegExp, RegExp][] = [
  [/(?:^|\/)\.npmrc$/i, /_auth(?:Token)?\s*=|_password\s*=/i],
  [/(?:^|\/)\.pypirc$/i, /^\s*password\s*[=:]/im],
  [/(?:^|\/)\.yarnrc(?:\.yml)?$/i, /npmAuthToken|_authToken/i],
];

const normalised = (path: string): string => path.split('\\').join('/');
const baseName = (path: string): string => normalised(path).split('/').at(-1) ?? path;
const withArticle = (kind: string): string => `${/^(?:[aeiou]|SSH)/i.test(kind) ? 'an' : 'a'} ${kind}`;

/** Whether a file's name makes it secret only when its text carries a token (`.npmrc`, `.pypirc`, `.yarnrc`): its text must be read to tell. */
export const secretByContent = (path: string): boolean => TOKEN_CONFIGS.some(([pattern]) => pattern.test(normalised(path)));

/** What a file's name says it is when it holds secrets (`.env` → "environment file"), else undefined. */
export function secretFileKind(path: string, text?: string): SecretKind | undefined {
  const p = normalised(path);
  for (const [pattern, kind] of SECRET_FILES) if (pattern.test(p)) return kind;
  for (const [pattern, marker] of TOKEN_CONFIGS) if (pattern.test(p) && (text === undefined || marker.test(text))) return 'package-manager config with a token';
  return undefined;
}

/** Lines that say something: not blank, not only a comment, a section header or a bracket. */
const CONTENT_LINE = /^(?!\s*(?:$|#|\/\/|;|--|\[[^\]]*\]\s*$|[{}[\](),]+\s*$))/;

/** A text whose content lines hold secrets at least this often is nothing but credentials: it is left out whole. */
const CREDENTIALS_SHARE = 0.8;

export interface Screened {
  /** The text to send: secret values replaced in place (the whole text when it is left out). */
  text: string;
  /** The secret values found (and replaced). */
  finds: SecretFind[];
  /** Why the text is left out whole ("environment file", "credentials"), when it is. */
  leftOut?: SecretKind;
}

/**
 * What of a file's text may be sent: left out when its name says it holds secrets or its text is mostly secret values,
 * else its text with every secret value replaced. An `explicit` attachment (the user chose to send it redacted) is
 * never left out, only redacted.
 */
export function screenText(path: string, text: string, explicit = false): Screened {
  const byName = explicit ? undefined : secretFileKind(path, text);
  const finds = findSecrets(text, normalised(path));
  if (byName !== undefined) return { text, finds, leftOut: byName };
  if (finds.length === 0) return { text, finds };
  if (!explicit) {
    const lines = text.split('\n');
    const content = lines.filter((l) => CONTENT_LINE.test(l)).length;
    const secretLines = new Set(finds.map((f) => f.line)).size;
    if (secretLines >= CREDENTIALS_SHARE * content) return { text, finds, leftOut: 'credentials' };
  }
  return { text: redactFinds(text, finds), finds };
}

/**
 * What the user is told of each value withheld from a text, one note each in the shape every withheld item's note has
 * ("X left out: reason", so a summary can count them): "settings.py line 12 (database password) left out: redacted in
 * place". `firstLine`: the text's first line in its file (a selection's, a chunk's; 1 for terminal output).
 */
export function redactionNotes(path: string, finds: readonly Pick<SecretFind, 'kind' | 'line'>[], firstLine = 1): string[] {
  return finds.map((f) => `${path} line ${firstLine + f.line - 1} (${f.kind}) left out: redacted in place`);
}

/** What the user is told of a screened text: "deploy/app-secrets.yaml left out: secrets file", or a note per value redacted. */
export function screenNotes(path: string, screened: Pick<Screened, 'finds' | 'leftOut'>): string[] {
  if (screened.leftOut !== undefined) return [withheldNote(path, screened.leftOut)];
  return redactionNotes(path, screened.finds);
}

/** The note for a file left out whole: "deploy/app-secrets.yaml left out: secrets file" (src/presentation/withheldFiles.ts reads it back). */
export function withheldNote(path: string, kind: SecretKind): string {
  return `${path} left out: ${kind}`;
}

/** Why a file may not be sent at all (its name, or a text of credentials), or undefined when it may (redacted). */
export function secretReason(path: string, text?: string): string | undefined {
  const screened = text === undefined ? { finds: [], leftOut: secretFileKind(path) } : screenText(path, text);
  if (screened.leftOut === undefined) return undefined;
  const held = screened.finds.length > 0 ? ` (${findsSummary(screened.finds)})` : '';
  return `${baseName(path)} is ${screened.leftOut === 'credentials' ? 'credentials' : withArticle(screened.leftOut)}${held}`;
}

/**
 * The files the question box may offer (`#` completion, Add file…): none a secret file by its name. Their text is not
 * read to list them, so a package-manager config counts as one whether or not it carries a token; a file left out
 * here can still be named (`#file:.npmrc`), and is then sent with a warning.
 */
export function offerableFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => secretFileKind(p) === undefined);
}
