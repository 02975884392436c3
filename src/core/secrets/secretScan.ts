/**
 * Secret values in a text, found by gitleaks' published rules (gitleaksRules.ts) and by the forms those rules leave
 * to the context around a value — a password in a URL, an `Authorization` header, a value assigned to a name that
 * says it is a key, secret, token or password, however short — and replaced in place by `«redacted: <what>»`, each
 * keeping the line breaks it covered so line numbers stay true.
 */
import { GITLEAKS_ALLOW, GITLEAKS_RULES, type Expression, type GitleaksAllow } from './gitleaksRules';

export interface SecretFind {
  /** Offsets of the secret value in the text (end exclusive). */
  start: number;
  end: number;
  /** What it is, in the user's words ("database password", "GitHub PAT"). */
  kind: string;
  /** 1-based line of its start. */
  line: number;
}

interface OwnRule {
  pattern: RegExp;
  /** The capture group that is the secret. */
  group: number;
  kind: (match: RegExpExecArray) => string;
  /** Only in files whose path matches. */
  files?: RegExp;
  /** A further test of the match. */
  accept?: (match: RegExpExecArray) => boolean;
}

/** Names whose value is a secret: the name must end with one of these words (`DB_PASSWORD`, `apiKey`, `client_secret`). */
const SECRET_NAME =
  /[\w.-]*?(?:api[_-]?key|(?:secret|private|access|auth|encryption|signing|master|app|client|license)[_-]?key(?:[_-]?id)?|secret|token|passw(?:or)?d|pwd|passphrase|credentials?)/i
    .source;

/** URL schemes of databases and brokers, whose URL password is a database password. */
const DATABASE_SCHEMES = /^(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|cassandra)$/i;

/** Texts of the kind where a value needs no quotes: configuration, environment, YAML, INI, files without extension. */
const CONFIG_LIKE = /(?:^|\/)(?:[^/.]+|\.[^/.]+|[^/]*\.(?:ya?ml|ini|cfg|conf|config|properties|toml|env|envrc|netrc|pgpass|txt|tfvars|hcl))$/i;

/** What a secret assigned to `name` is: "database password", "API key", "token". */
function kindOfName(name: string): string {
  const n = name.toLowerCase();
  if (/passw(?:or)?d|pwd|passphrase/.test(n)) return /db|database|postgres|mysql|pg|sql|mongo|redis/.test(n) ? 'database password' : 'password';
  if (/access[_-]?key[_-]?id/.test(n)) return 'access key ID';
  if (/secret[_-]?access[_-]?key/.test(n)) return 'secret access key';
  if (/api[_-]?key/.test(n)) return 'API key';
  if (/private[_-]?key/.test(n)) return 'private key';
  if (/client[_-]?secret/.test(n)) return 'client secret';
  if (/key(?:[_-]?id)?$/.test(n)) return 'key';
  if (/credential/.test(n)) return 'credentials';
  return /token$/.test(n) ? 'token' : 'secret';
}

const OWN_RULES: readonly OwnRule[] = [
  {
    // `postgres://user:password@host`: the password only, so the URL still says where the database is.
    pattern: /\b([a-z][a-z0-9+.-]*):\/\/[^\s:/?#@"'<>]*:([^\s/?#@"'<>]+)@/gi,
    group: 2,
    kind: (m) => (DATABASE_SCHEMES.test(m[1] ?? '') ? 'database password' : 'password in a URL'),
  },
  {
    pattern: /\bAuthorization["']?\s*[:=,]\s*["']?(Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{6,})/gi,
    group: 2,
    kind: (m) => authKind(m[1] ?? ''),
  },
  {
    // Outside a header, a bearer value counts only when it looks like one (a digit in 16 characters or more), not prose.
    pattern: /\b(Bearer)\s+((?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{16,})/g,
    group: 2,
    kind: () => 'bearer token',
  },
  {
    // A quoted literal assigned to a secret name, in any language: `API_KEY = "k3y"`, `"password": "…"`, `token: '…'`
    // (without spaces: a literal with spaces is a message, not a key).
    pattern: new RegExp(`(?<![\\w-])(${SECRET_NAME})["']?[\\t ]*(?::=|=>|[:=])[\\t ]*(["'\`])((?:(?!\\2)[^\\\\\\s]|\\\\.){3,})\\2`, 'gi'),
    group: 3,
    kind: (m) => kindOfName(m[1] ?? ''),
  },
  {
    // Shell and environment style anywhere: `export DB_PASSWORD=…`, `API_TOKEN=…` (upper-case name, no spaces).
    pattern: new RegExp(`^[\\t ]*(?:export[\\t ]+)?(${SECRET_NAME})=([^\\s"'\`$(){}\\[\\]<>;,]{3,})[\\t ]*$`, 'gim'),
    group: 2,
    kind: (m) => kindOfName(m[1] ?? ''),
    accept: (m) => /^[A-Z0-9_]+$/.test(m[1] ?? ''),
  },
  {
    // An unquoted value in configuration: YAML `password: hunter2`, INI `aws_secret_access_key = …`.
    pattern: new RegExp(`^[\\t -]*(?:export[\\t ]+)?["']?(${SECRET_NAME})["']?[\\t ]*[:=][\\t ]*([^\\s"'\`$<{%&*!|>\\[][^\\n]*?)[\\t ]*$`, 'gim'),
    group: 2,
    kind: (m) => kindOfName(m[1] ?? ''),
    files: CONFIG_LIKE,
  },
  {
    pattern: /\bclient-key-data[\t ]*:[\t ]*["']?([A-Za-z0-9+/=]{8,})/g,
    group: 1,
    kind: () => 'Kubernetes client key',
  },
  {
    // A Docker config's registry login (`"auth": "<base64 of user:password>"`).
    pattern: /"auth"\s*:\s*"([A-Za-z0-9+/=]{8,})"/g,
    group: 1,
    kind: () => 'registry credentials',
  },
  {
    pattern: /\b(?:password|passwd)[\t ]+(\S+)/g,
    group: 1,
    kind: () => 'password',
    files: /(?:^|\/)[._]netrc$/i,
  },
  {
    // hostname:port:database:username:password
    pattern: /^(?:[^:#\n]*:){4}(.+)$/gm,
    group: 1,
    kind: () => 'database password',
    files: /(?:^|\/)\.?pgpass$/i,
  },
];

function authKind(scheme: string): string {
  const s = scheme.toLowerCase();
  return s === 'basic' ? 'basic auth credentials' : s === 'bearer' ? 'bearer token' : 'token';
}

/** Values that name a secret rather than hold one: variables, templates, placeholders, what we already redacted. */
const NOT_A_VALUE = /^(?:\$|\{\{|<%|<[\w-]+>$|%\(|«redacted|\*+$|x+$|(?:true|false|null|none|nil|undefined|~)$|\d{1,6}$)/i;

const compiled = (e: Expression): RegExp => new RegExp(e.pattern, e.flags);

/** gitleaks' rules, the generic ones last: where two find the same value, the specific rule names it. */
const GITLEAKS = [...GITLEAKS_RULES.filter((r) => !r.id.startsWith('generic')), ...GITLEAKS_RULES.filter((r) => r.id.startsWith('generic'))].map((rule) => ({
  rule,
  pattern: new RegExp(rule.pattern, `${rule.flags}gd`),
  keywords: rule.keywords.map((k) => k.toLowerCase()),
  allow: rule.allow.map(compiledAllow),
}));
const GLOBAL_ALLOW = compiledAllow(GITLEAKS_ALLOW);

interface CompiledAllow {
  all: boolean;
  target: string;
  regexes: RegExp[];
  paths: RegExp[];
  stopwords: string[];
}

function compiledAllow(a: GitleaksAllow): CompiledAllow {
  return { all: a.all === true, target: a.target ?? 'secret', regexes: (a.regexes ?? []).map(compiled), paths: (a.paths ?? []).map(compiled), stopwords: a.stopwords ?? [] };
}

/** gitleaks' own test: whether an allowlist lets a find through (any of its lists, or with `all` every list given). */
function allowed(a: CompiledAllow, found: { secret: string; match: string; line: string }, path: string): boolean {
  const target = a.target === 'match' ? found.match : a.target === 'line' ? found.line : found.secret;
  const lower = found.secret.toLowerCase();
  const checks: boolean[] = [];
  if (a.regexes.length > 0) checks.push(a.regexes.some((r) => r.test(target)));
  if (a.stopwords.length > 0) checks.push(a.stopwords.some((w) => lower.includes(w)));
  if (a.paths.length > 0) checks.push(a.paths.some((r) => r.test(path)));
  return checks.length > 0 && (a.all ? checks.every(Boolean) : checks.some(Boolean));
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

function lineAround(text: string, start: number, end: number): string {
  return text.slice(text.lastIndexOf('\n', start - 1) + 1, text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end));
}

function gitleaksFinds(text: string, path: string): Omit<SecretFind, 'line'>[] {
  const lower = text.toLowerCase();
  const finds: Omit<SecretFind, 'line'>[] = [];
  for (const { rule, pattern, keywords, allow } of GITLEAKS) {
    if (keywords.length > 0 && !keywords.some((k) => lower.includes(k))) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      if (m[0] === '') pattern.lastIndex++;
      const group = rule.secretGroup ?? m.findIndex((g, i) => i > 0 && g !== undefined && g !== '');
      const span: readonly [number, number] | undefined = group > 0 ? m.indices?.[group] : [m.index, m.index + m[0].length];
      if (span === undefined) continue;
      const [start, end] = span;
      const secret = text.slice(start, end);
      if (rule.entropy !== undefined && (entropy(secret) <= rule.entropy || (rule.id.startsWith('generic') && !/\d/.test(secret)))) continue;
      const found = { secret, match: m[0], line: lineAround(text, m.index, m.index + m[0].length) };
      if ([GLOBAL_ALLOW, ...allow].some((a) => allowed(a, found, path)) || NOT_A_VALUE.test(secret)) continue;
      finds.push({ start, end, kind: rule.kind });
    }
  }
  return finds;
}

function ownFinds(text: string, path: string): Omit<SecretFind, 'line'>[] {
  const finds: Omit<SecretFind, 'line'>[] = [];
  for (const rule of OWN_RULES) {
    if (rule.files !== undefined && !rule.files.test(path)) continue;
    const pattern = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace('g', '')}gd`);
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const span = m.indices?.[rule.group];
      const secret = m[rule.group];
      if (span === undefined || secret === undefined || NOT_A_VALUE.test(secret) || secret.includes('${') || rule.accept?.(m) === false) continue;
      finds.push({ start: span[0], end: span[1], kind: rule.kind(m) });
    }
  }
  return finds;
}

/**
 * Every secret value in `text` (of the file at `path`, which some rules need), in text order; overlapping finds are
 * one, named as the first rule that found it (ours before gitleaks', whose names are less plain).
 */
export function findSecrets(text: string, path = ''): SecretFind[] {
  const all = [...ownFinds(text, path), ...gitleaksFinds(text, path)];
  const order = all.map((f, i) => ({ f, i })).sort((a, b) => a.f.start - b.f.start || a.i - b.i);
  const merged: Omit<SecretFind, 'line'>[] = [];
  for (const { f } of order) {
    const last = merged.at(-1);
    if (last !== undefined && f.start < last.end) last.end = Math.max(last.end, f.end);
    else merged.push({ ...f });
  }
  let line = 1;
  let at = 0;
  return merged.map((f) => {
    for (; at < f.start; at++) if (text.charCodeAt(at) === 10) line++;
    return { ...f, line };
  });
}

/** `text` with each find replaced by `«redacted: <kind>»` and the line breaks the find covered. */
export function redactFinds(text: string, finds: readonly SecretFind[]): string {
  let out = '';
  let at = 0;
  for (const f of finds) {
    out += `${text.slice(at, f.start)}«redacted: ${f.kind}»${'\n'.repeat(text.slice(f.start, f.end).split('\n').length - 1)}`;
    at = f.end;
  }
  return out + text.slice(at);
}

/** "1 database password, 2 API keys": how many of each kind, in the order first found. */
export function findsSummary(finds: readonly Pick<SecretFind, 'kind'>[]): string {
  const counts = new Map<string, number>();
  for (const f of finds) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}${n > 1 && !/s$/.test(kind) ? 's' : ''}`).join(', ');
}
