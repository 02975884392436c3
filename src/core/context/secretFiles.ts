/**
 * Which files and texts hold secrets, so they are never indexed or sent unless the user attaches them by name:
 * files by their names (`.env*`, keys, certificates, credential files), and any text by the shapes of common keys.
 */

/** File names that hold secrets, each with what it is (matched against the last path segment, case-insensitively). */
const SECRET_FILES: readonly [RegExp, string][] = [
  [/^\.env(?:\..*)?$/i, 'an environment file'],
  [/\.(?:pem|key|p12|pfx|jks|keystore|ppk|gpg|asc)$/i, 'a key or certificate file'],
  [/^id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$/i, 'an SSH key'],
  [/^credentials(?:[._-].*)?\.json$/i, 'a credentials file'],
  [/^(?:client_secret|service[-_]?account)[^/]*\.json$/i, 'a credentials file'],
  [/^\.(?:netrc|git-credentials|pgpass)$/i, 'a credentials file'],
  [/^secrets?\.(?:ya?ml|json|toml|ini)$/i, 'a secrets file'],
  [/^\.htpasswd$/i, 'a password file'],
];

/** Package-manager configs hold secrets only when they carry a token or password. */
const TOKEN_CONFIGS: readonly [RegExp, RegExp][] = [
  [/^\.npmrc$/i, /_auth(?:Token)?\s*=|_password\s*=/i],
  [/^\.pypirc$/i, /^\s*password\s*[=:]/im],
  [/^\.yarnrc(?:\.yml)?$/i, /npmAuthToken|_authToken/i],
];

/** Shapes of keys and tokens, each with what it is. */
const KEY_PATTERNS: readonly [RegExp, string][] = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/, 'a private key'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/, 'a GitHub token'],
  [/\bsk-(?:proj-|ant-|or-v1-)?[A-Za-z0-9_-]{20,}/, 'an API key'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\b[rs]k_live_[0-9A-Za-z]{16,}/, 'a Stripe key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\bhf_[A-Za-z]{34}\b/, 'a Hugging Face token'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON web token'],
  // A long literal assigned to a name that says it is secret: `API_KEY = "…"`, `"client_secret": "…"`, `PASSWORD=…`.
  [/\b[\w-]*(?:api[_-]?key|secret|token|passw(?:or)?d|auth[_-]?key|private[_-]?key)[\w-]*["']?\s*[:=]\s*["'][^"'\s]{12,}["']/i, 'a secret assignment'],
  [/^[\t ]*(?:export\s+)?[A-Z][A-Z0-9_]*(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD)[A-Z0-9_]*=[^\s"'$]{12,}$/m, 'a secret assignment'],
];

const baseName = (path: string): string => path.split(/[\\/]/).at(-1) ?? path;

/** What a file's name says it is when it holds secrets (`.env` → "an environment file"), else undefined. */
export function secretFileKind(path: string, text?: string): string | undefined {
  const name = baseName(path);
  for (const [pattern, kind] of SECRET_FILES) if (pattern.test(name)) return kind;
  for (const [pattern, marker] of TOKEN_CONFIGS) if (pattern.test(name) && (text === undefined || marker.test(text))) return 'a package-manager config with a token';
  return undefined;
}

/** The kind of the first key found in `text` ("an AWS access key"), else undefined. */
export function secretInText(text: string): string | undefined {
  for (const [pattern, kind] of KEY_PATTERNS) if (pattern.test(text)) return kind;
  return undefined;
}

/** Why a file may not be read for context (its name, else a key in its text), or undefined when it may. */
export function secretReason(path: string, text?: string): string | undefined {
  const kind = secretFileKind(path, text);
  if (kind !== undefined) return `${baseName(path)} is ${kind}`;
  const key = text === undefined ? undefined : secretInText(text);
  return key === undefined ? undefined : `${baseName(path)} holds ${key}`;
}

/**
 * The files the question box may offer (`#` completion, Add file…): none a secret file by its name. Their text is not
 * read to list them, so a package-manager config counts as one whether or not it carries a token; a file left out
 * here can still be named (`#file:.npmrc`), and is then sent with a warning.
 */
export function offerableFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => secretFileKind(p) === undefined);
}
