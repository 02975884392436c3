/**
 * Whether an ask searches the workspace, from the code base's own evidence rather than from lists of English words.
 * `#codebase` asks for it. Otherwise there are two kinds of evidence:
 *
 * - **What the question names** that the workspace holds: a file it has, an identifier written as code that it defines
 *   (a dotted name by its last part of three letters or more, `Console.print`; a plain word written as code, `render()`,
 *   only if defined) or, for a compound name (`max_width`, `ProgressBar`), uses.
 * - **What its words find**: the lexical stage's best code file for the question's words, each weighed by how rare it
 *   is in ordinary prose and in questions (core/retrieval/specificity) and in this workspace (idf), compared with what
 *   questions that are about no code base (core/retrieval/unrelatedQuestions) find in the same index. The question
 *   searches when its best file scores above all but a small share of those questions and holds several of its
 *   telling words:
 *   "How does the router match a wildcard segment?" in gin finds tree.go holding router, wildcard and segment, far above
 *   what a dice-probability question finds there; "What is the capital of Australia?" finds nothing.
 *
 * A question that brings its own code (core/retrieval/questionCode) is about that code: what the code defines or uses
 * is no evidence; only its prose is read, and a path with a folder inside the code (a traceback's `rich/cells.py`).
 */
import { mentionsIn, pathMatches, usesIdentifier, type Mentions } from './mentions';
import { definedIn, importsIn, namesIn, questionParts, tracebackPaths } from './questionCode';
import { identifierTerm, type LexicalMatch } from './ranking';
import { backgroundFrequency } from './background';
import { codeSpecificity, PROSE_RARE, specificity } from './specificity';
import { hash, termsIn } from './terms';
import { GENERAL_QUESTIONS } from './generalQuestions';
import { LANGUAGE_NAMES, LANGUAGE_TITLES, SOURCE_EXTENSIONS, type Language } from './languages';
import { UNRELATED_QUESTIONS } from './unrelatedQuestions';

/** What retrieval knows of an attached item: where it is from and what it holds. */
export interface Attached {
  path: string;
  text: string;
}

/** What the workspace holds, as the evidence needs it (the workspace index answers). */
export interface WorkspaceLookup {
  /** The files where some chunk defines `name` (or a member named so), each once. */
  definedIn(name: string): readonly string[];
  /** Some chunk's text uses the identifier as a whole word. */
  uses(identifier: string): boolean;
  /** The mention (`cells.py`, `lib/parse.ts`) names files of the workspace: a few answer to it (core/retrieval/mentions namesFileIn), not dozens. */
  hasFile(mention: string): boolean;
  /** The workspace path a module the question's code imports resolves to (core/retrieval/projectModules), if any. */
  module(parts: readonly string[]): string | undefined;
  /** The lexical stage's best file for a text's words (core/retrieval/ranking lexicalMatch). */
  match(text: string): LexicalMatch;
  /** The best lexical scores of the unrelated questions in this index (`calibrationScores` below), ascending. */
  unrelated(): ArrayLike<number>;
}

/** Whether the workspace is searched, and why in the words of the ask's decision line (core/retrieval/contextDecision). */
export interface SearchEvidence {
  found: boolean;
  why: string;
}

/**
 * A question's words are evidence when their strength in the best code file (core/retrieval/ranking lexicalMatch: its
 * BM25F score over the square root of the question's term weight) is above this share of the unrelated questions' in
 * the same index. Chosen on the development questions of six kinds in nine code bases and the one-line bug reports of
 * two (docs/design-notes.md, "Context for every form of question").
 */
export const UNRELATED_BELOW = 0.7;
/**
 * …and the best file holds telling words of the question that agree on it, their specificities summing to more than
 * one word's: one word alone ("tuple" in a Python code base, "pick" for a kitchen table) says nothing of whether the
 * question is about this code.
 */
export const AGREEING_WORDS = 1.2;

/**
 * …and, unless the match is closer than this share of them (a strong match is this code base's whatever its words)…
 */
export const STRONG_BELOW = 0.93;
/**
 * …of those words, weighed by how much each tells a code base from the code of its languages (core/retrieval/specificity
 * codeSpecificity with the workspace's languages), at least this much: "sort", "slice", "struct" and "fields" agree on
 * a file of any Go code base, "iterator", "trait" and "implement" on one of any Rust code base.
 */
export const OWN_WORDS = 0.2;

/**
 * …and a question that names the workspace's language, in words alone, at least this much of them: "what are java
 * records … getters, equals" in javalin or "sort an associative array by value in php" in slim hold a little (0.2–1);
 * "In Go, how does the router match a wildcard segment in the radix tree?" holds more.
 */
export const SCOPED_OWN_WORDS = 1.0;

/**
 * A question that brings its own code is about that code, unless its prose's words are this code base's beyond doubt:
 * its own words (no strong-match exception) and closer than this share of the unrelated questions. A pasted issue's
 * "pretty printing … aligned … centering" in sympy is (95–100 in 100 of them); an exercise's "shared elements of two
 * tuples" or "my JavaScript debounce" is not (88–94).
 */
export const CODE_PROSE_BELOW = 0.95;

/** Compound identifiers (snake_case, camelCase, PascalCase with two humps, digits): distinctive enough that a definition counts. */
const COMPOUND = /[A-Za-z0-9]_[A-Za-z0-9]|^_|_$|[a-z][A-Z]|^[A-Z][a-z0-9]+[A-Z]/;
/**
 * A name joined with underscores (`customer_id`, `SERVER_NAME`): a field, a setting, a key — spelled the project's way,
 * so its use counts too. A PascalCase name the workspace uses and does not define is a library's or the language's
 * (`HashMap`, `NoMethodError`, `HttpOnly`), and says nothing of whether the question is about this project.
 */
const UNDERSCORED = /[A-Za-z0-9]_[A-Za-z0-9]/;
const lastPart = (id: string): string => id.split('.').at(-1) ?? id;
const defined = (workspace: WorkspaceLookup, name: string): boolean => workspace.definedIn(name).length > 0;

/** A file's name without its folder and extension, lower-cased: `rich/rule.py` → rule. */
const stemOf = (path: string): string => (path.split('/').at(-1) ?? path).split('.')[0]?.toLowerCase() ?? '';

/** Not opening a sentence (nor after a colon): where a capital marks a name rather than a sentence's start. */
const INSIDE_SENTENCE = String.raw`(?<![.!?:]\s*|^\s*)`;

/**
 * The capitalised words of prose written as names: inside a sentence, a capital and then lower case only, three
 * letters or more — "hang when Rule title greater than required space" names Rule.
 */
function properNames(prose: string): string[] {
  return [...new Set([...prose.matchAll(new RegExp(String.raw`${INSIDE_SENTENCE}(?<![\w$.])([A-Z][a-z0-9]{2,})(?![\w$])`, 'g'))].map((m) => m[1] as string))];
}

/** Mentions without `#file:` references (the attachment providers have them). */
const mentionsOf = (text: string) => mentionsIn(text.replace(/(?<![\w#])#(?:file:)?[\w./\\-]+/g, ' '));

const listed = (words: readonly string[]): string => {
  const w = words.slice(0, 3);
  return w.length <= 1 ? w.join('') : `${w.slice(0, -1).join(', ')} and ${w.at(-1) ?? ''}`;
};

/** The question as evidence reads it: its prose, what the prose names beside its own code, and what its code imports and calls. */
interface Reading {
  prose: string;
  named: Mentions;
  /** Every name of the question's own code. */
  own: ReadonlySet<string>;
  /** The modules its code imports (core/retrieval/questionCode importsIn). */
  imports: readonly string[][];
  /** The names its code uses and does not define itself: a snippet's calls into a library (`Matrix.hstack`, `autowrap`). */
  calls: readonly string[];
  /** The capitalised names of its prose (properNames). */
  proper: readonly string[];
}

function reading(question: string): Reading {
  const { prose, code } = questionParts(question);
  if (code === '') return { prose, named: mentionsOf(question), own: new Set(), imports: [], calls: [], proper: properNames(prose) };
  const own = namesIn(code);
  const named = mentionsOf(prose);
  // A path inside the code (a traceback's `rich/console.py`) still names a file of the workspace; a bare `utils.js` may be the user's.
  const paths = [...mentionsIn(code).files, ...tracebackPaths(code)].filter((f) => f.includes('/'));
  const defined = definedIn(code);
  const calls = [...new Set([...code.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\(/g)].map((m) => m[1] as string))].filter((name) => !defined.has(name.split('.')[0] as string));
  return { prose, named: { identifiers: named.identifiers.filter((id) => !own.has(id)), files: [...named.files, ...paths] }, own, imports: importsIn(code), calls, proper: properNames(prose).filter((name) => !own.has(name)) };
}

/**
 * A name is telling when it tells a code base from code in general: its last part (its whole form, for a compound
 * name) is rare in the background's source files (core/retrieval/specificity codeSpecificity). "is", "build",
 * `__init__` or `Symbol` are in every code base of their language; `split_graphemes`, `hstack` or `wildcard` are not.
 */
export const TELLING_NAME = 0.7;
const telling = (id: string): boolean => codeSpecificity(identifierTerm(id)) >= TELLING_NAME;

/**
 * A name the workspace uses without defining it is a library's when its code specificity in the workspace's languages
 * is below this: `HashMap` in Rust or Java, `errors.Is` in Go; not `NamedTuple` in Python (0.61, pydantic's one-line
 * reports name it), `MutexGuard` in Rust (0.51) or a field such as gin's `trustedCIDRs`.
 */
export const LIBRARY_NAME_BELOW = 0.5;

/** A snippet's calls that name the project: at least this many telling names its code uses and the workspace defines. */
export const TELLING_CALLS = 2;

/** The receiver by which code reaches its own members. */
const SELF = /^(self|this)$/;

/**
 * A dotted name's receiver is the workspace's: `self` or `this`, a name it defines, a module of its own, or one of its
 * source files by name (`db.connect` and `db.py`).
 */
function ownReceiver(id: string, workspace: WorkspaceLookup): boolean {
  const receiver = id.split('.').slice(0, -1);
  const last = receiver.at(-1) ?? '';
  if (SELF.test(last) || defined(workspace, last) || workspace.module(receiver) !== undefined) return true;
  return SOURCE_EXTENSIONS.some((extension) => workspace.hasFile(`${last}.${extension}`));
}

/** What the question names that the workspace holds, in words; undefined when it names nothing of it. */
function namedEvidence({ named, imports, calls, proper }: Reading, attached: readonly Attached[], workspace: WorkspaceLookup): string | undefined {
  const file = named.files.find((f) => !attached.some((a) => pathMatches(a.path, f)) && workspace.hasFile(f));
  if (file !== undefined) return `the question names ${file}`;
  for (const parts of imports) {
    const resolved = workspace.module(parts);
    if (resolved !== undefined) return `the question's code imports ${parts.join('.')}, which is this project's ${resolved}`;
  }
  const partsOfDotted = new Set(named.identifiers.filter((id) => id.includes('.')).flatMap((id) => id.split('.')));
  for (const id of named.identifiers) {
    // A member written with its receiver (`db.connect`) is a reference to code; a bare name must be telling.
    if ((!id.includes('.') && !telling(id)) || attached.some((a) => usesIdentifier(a.text, id))) continue;
    if (id.includes('.')) {
      // A last part of one or two letters is an abbreviation ("e.g.", "i.e."), not a member; a common one counts through
      // a receiver of the workspace's own (`Console.print`, `self.render`), not a library's or a variable's
      // (`Promise.all`, `names.map`, where the workspace defines an `all` and a `map` of its own).
      if (lastPart(id).length >= 3 && defined(workspace, lastPart(id)) && (telling(id) || ownReceiver(id, workspace))) return `the question names ${id}, which the workspace defines`;
    } else if (COMPOUND.test(id)) {
      if (defined(workspace, id)) return `the question names ${id}, which the workspace defines`;
      if (UNDERSCORED.test(id) && workspace.uses(id)) return `the question names ${id}, which the workspace uses`;
    } else if (!partsOfDotted.has(id) && defined(workspace, id)) return `the question names ${id}, which the workspace defines`;
  }
  // A capitalised name in prose that the workspace defines in a file of that name (`class Rule` in rich/rule.py) is
  // the project's own type, however common the word: "Console capture", "Rule title".
  for (const name of proper) {
    const file = workspace.definedIn(name).find((path) => stemOf(path) === name.toLowerCase() && !attached.some((a) => pathMatches(a.path, path)));
    if (file !== undefined) return `the question names ${name}, which ${file} defines`;
  }
  // A call through the project's own package (`sympy.Symbol('s')`) names it as an import does.
  for (const name of calls) {
    const receiver = name.split('.');
    if (receiver.length < 2) continue;
    const resolved = workspace.module(receiver.slice(0, -1));
    if (resolved !== undefined) return `the question's code calls ${name}, of this project's ${resolved}`;
  }
  const called = calls.filter((name) => telling(name) && lastPart(name).length >= 3 && defined(workspace, lastPart(name)));
  // Two telling names, or one spelled the project's way (`mathematica_code`, `convert_to`): a library's own API.
  if (called.length >= TELLING_CALLS || called.some((name) => UNDERSCORED.test(lastPart(name)))) return `the question's code calls ${listed(called)}, which the workspace defines`;
  return undefined;
}

/** The workspace's languages as a person names them ("Go", "Java or Kotlin"); "" for none. */
function languageWords(languages: readonly Language[]): string {
  const names = languages.map((l) => LANGUAGE_TITLES[l]);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}

/**
 * Whether the text names the language as people do ("in rust", "golang", "TypeScript"). A name that is also a word of
 * ordinary prose ("go", "c": in a hundredth of its paragraphs or more) names the language only written as a name, with
 * its capital and not opening a sentence ("in Go", "C's realloc"): "where does the request go next?" is no question
 * about Go.
 */
function namesLanguage(text: string, language: Language): boolean {
  const words = new Set(termsIn(text));
  return LANGUAGE_NAMES[language].some((name) => {
    const terms = termsIn(name);
    if (!terms.every((term) => words.has(term))) return false;
    if (terms.some((term) => backgroundFrequency(hash(term)).prose < PROSE_RARE)) return true;
    const written = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
    return new RegExp(String.raw`${INSIDE_SENTENCE}\b${written}\b`).test(text);
  });
}

/** The share of `sorted` (ascending) strictly below `x`. */
function shareBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length === 0 ? 0 : lo / sorted.length;
}


/** What the words of the question's prose find (`match`), against what unrelated questions find in the same index, in words. */
function wordsFind(prose: string, match: LexicalMatch, workspace: WorkspaceLookup, strongCounts: boolean): SearchEvidence {
  if (match.strength <= 0 || match.path === undefined) return { found: false, why: 'no file of the workspace holds what is telling in its words' };
  const below = shareBelow(workspace.unrelated(), match.strength);
  const closer = `${match.path} holds ${listed(match.words)}`;
  if (match.wordsHeld < AGREEING_WORDS) return { found: false, why: `too little of what it asks is in this code base: the closest match, ${match.path}, holds only ${listed(match.words)}` };
  const own = match.ownInLanguageHeld >= OWN_WORDS;
  // A question scoped to the workspace's language ("in Go", "golang", "java records") asks about the language: its
  // words are evidence only when they are this code base's own beyond doubt (SCOPED_OWN_WORDS), however close the
  // match. Beside a question's own code — a pasted issue's "Python 3.7" — the language is the report's setting: its
  // own words are enough, a strong match without them no evidence.
  const scoped = match.languages.find((language) => namesLanguage(prose, language));
  if (scoped !== undefined && (strongCounts ? match.ownInLanguageHeld < SCOPED_OWN_WORDS : !own)) {
    const title = LANGUAGE_TITLES[scoped];
    return { found: false, why: `it asks about ${title} in general: the closest match, ${match.path}, holds ${listed(match.words)}${own ? '' : `, words all ${title} code uses as much`}` };
  }
  if (!own && (below < STRONG_BELOW || !strongCounts)) {
    const code = `${languageWords(match.languages)} code`.trim();
    return { found: false, why: `its words are every ${code} base's: the closest match, ${match.path}, holds ${listed(match.words)}, words all ${code} uses as much` };
  }
  if (below >= UNRELATED_BELOW) return { found: true, why: `its words are this code base's own: ${closer}, a closer match than ${Math.round(100 * below)} in 100 questions about other things find here` };
  return { found: false, why: `its words are not this code base's own: the closest match, where ${closer}, is no closer than what questions about other things find here` };
}

/**
 * What the question's words find, or — where that is too little to go on — the file they find best named by one of
 * them, a telling one: "sonic on arm64" holds one word of gin, and it is the name of internal/json/sonic.go.
 */
function wordsEvidence(read: Reading, match: LexicalMatch, workspace: WorkspaceLookup): SearchEvidence {
  const found = wordsFind(read.prose, match, workspace, read.own.size === 0);
  if (found.found || match.path === undefined) return found;
  const fileName = termsIn(stemOf(match.path))[0] ?? '';
  const naming = match.words.find((word) => termsIn(word)[0] === fileName && codeSpecificity(hash(fileName)) >= TELLING_NAME);
  return naming === undefined ? found : { found: true, why: `the question names ${naming}, the name of ${match.path}, which holds what it asks` };
}

/** The names of a generic type written in prose, `Box<dyn Trait>`, `Rc<RefCell<T>>`, `Map<String, List<Integer>>`: code, each of them. */
function typeNames(prose: string): string[] {
  const types = prose.match(/\b[A-Za-z_]\w*<(?:[^<>\n]|<(?:[^<>\n]|<[^<>\n]*>)*>)*>/g) ?? [];
  return types.flatMap((type) => type.match(/[A-Za-z_]\w+/g) ?? []);
}

/**
 * The prose without the names it writes as code that are a library's or the language's: a dotted name (`errors.Is`)
 * or a compound one (`HashMap`, `std::sync::MutexGuard`) the workspace does not define, nor reaches through `self`
 * or `this`, and that code of the workspace's languages commonly holds (LIBRARY_NAME_BELOW). Such a name says the
 * question is about that library, so its words are no evidence of this code base: "how do I iterate over a HashMap in
 * sorted key order" in axum, which uses HashMap, is a question about Rust. A rare name the workspace uses (gin's
 * `trustedCIDRs`) stays its words' evidence.
 */
function withoutLibraryNames(read: Reading, workspace: WorkspaceLookup, languages: readonly Language[]): string {
  const generic = new Set(typeNames(read.prose));
  const foreign = [...new Set([...read.named.identifiers, ...generic])].filter((id) => {
    const name = lastPart(id);
    if (!(id.includes('.') || COMPOUND.test(id) || generic.has(id)) || (id.includes('.') && SELF.test(id.split('.')[0] ?? '')) || defined(workspace, name)) return false;
    if (UNDERSCORED.test(id) && workspace.uses(id)) return false;
    return codeSpecificity(identifierTerm(name), languages) < LIBRARY_NAME_BELOW;
  });
  if (foreign.length === 0) return read.prose;
  const escaped = foreign.sort((a, b) => b.length - a.length).map((id) => id.replace(/[.$]/g, (c) => `\\${c}`));
  return read.prose.replace(new RegExp(String.raw`(?<![\w$.:])(?:\w+::)*(?:${escaped.join('|')})(?![\w$])`, 'g'), ' ');
}

/** Whether the prose beside a question's own code finds (`match`) this code base closer than CODE_PROSE_BELOW of the unrelated questions. */
const proseBeyondDoubt = (match: LexicalMatch, workspace: WorkspaceLookup): boolean => shareBelow(workspace.unrelated(), match.strength) >= CODE_PROSE_BELOW;

/**
 * The evidence that the question concerns this workspace, or why there is none, in words for the context notes: what
 * it names that the workspace holds first, then what its words find against unrelated questions.
 */
export function workspaceEvidence(question: string, attached: readonly Attached[], workspace: WorkspaceLookup): SearchEvidence {
  const read = reading(question);
  const named = namedEvidence(read, attached, workspace);
  if (named !== undefined) return { found: true, why: named };
  const whole = workspace.match(read.prose);
  const prose = withoutLibraryNames(read, workspace, whole.languages);
  const match = prose === read.prose ? whole : workspace.match(prose);
  const words = wordsEvidence({ ...read, prose }, match, workspace);
  // Beside its own code, the prose's words search only when they are this code base's own (no strong-match exception:
  // an exercise's "shared elements of two tuples" is every code base's); the code itself names nothing here.
  if (read.own.size > 0 && !(words.found && proseBeyondDoubt(match, workspace))) return { found: false, why: "the question's code does not name this project" };
  return words;
}

/**
 * Whether any workspace could hold evidence for the question: it names a file or an identifier, or its prose has a word
 * that ordinary writing seldom uses — beside the question's own code, such words weighing what the words' rule needs
 * (AGREEING_WORDS: a pasted issue's "empty `__all__` attribute is ignored … all are shown"; not "Complete this:"). When
 * not ("what is 2 + 2?"), an index never built is not built for it.
 */
export function mayConcernAWorkspace(question: string): boolean {
  const read = reading(question);
  if (read.named.files.length > 0 || read.named.identifiers.length > 0 || read.imports.length > 0 || read.calls.some((name) => name.includes('.') || telling(name))) return true;
  const weights = [...new Set(termsIn(read.prose).filter((term) => term.length >= 2 && !/^\d+$/.test(term)).map(hash))].map(specificity);
  // Beside its own code, only the prose's words can search (CODE_PROSE_BELOW), and only when they weigh what the words' rule needs.
  return read.own.size === 0 ? weights.some((w) => w > 0) : weights.reduce((a, b) => a + b, 0) >= AGREEING_WORDS;
}

/** The questions the evidence is calibrated on (unrelatedQuestions, then generalQuestions), read as any question is: their prose. */
export const CALIBRATION_PROSE: readonly string[] = [...UNRELATED_QUESTIONS, ...GENERAL_QUESTIONS].map((q) => questionParts(q).prose);

/**
 * What each calibration question (CALIBRATION_PROSE, in its order) finds in a workspace: its best file's lexical score.
 * Sorted, they are what `WorkspaceLookup.unrelated` answers, computed once per version of an index.
 */
export function calibrationScores(match: (text: string) => LexicalMatch): Float64Array {
  return Float64Array.from(CALIBRATION_PROSE, (q) => match(q).strength);
}
