/**
 * Whether an ask searches the workspace. `#codebase` asks for it; otherwise automatic search needs evidence that the
 * question concerns this code: a file it names that exists, an identifier it names that the workspace defines (or,
 * for a compound name, uses), words that point at the workspace ("this project", "our parser", "the failing test",
 * "I found a bug"), or a description of misbehaviour beside two of the workspace's own names. Words that merely look
 * like code ("e.g.", `cells.Sample` where no `Sample` is defined), maths, general knowledge and language questions send
 * nothing of the workspace. A question that brings its own code (core/retrieval/questionCode) is about that code: what
 * the code defines or uses is no evidence, nor are its prose's bug words ("this function has a bug"); only a name
 * outside the code that the workspace holds, a path of the workspace, or words pointing at the project are.
 */
import { mentionsIn, pathMatches, usesIdentifier, type Mentions } from './mentions';
import { namesIn, questionParts } from './questionCode';

/** What retrieval knows of an attached item: where it is from and what it holds. */
export interface Attached {
  path: string;
  text: string;
}

/** What the workspace holds, as the evidence needs it (the workspace index answers). */
export interface WorkspaceLookup {
  /** Some chunk defines `name` (or a member named so). */
  defines(name: string): boolean;
  /** Some chunk's text uses the identifier as a whole word. */
  uses(identifier: string): boolean;
  /** A file the mention names (`cells.py`, `lib/parse.ts`) is in the workspace. */
  hasFile(mention: string): boolean;
  /** Whether a word is (part of) a name the workspace gives a file or a definition: "highlight" in rich (`highlighter.py`, `highlight_regex`). */
  names(word: string): boolean;
}

/** What a whole code base is called: "this project", "this library". */
const PROJECT_NOUNS =
  'project|repo|repository|codebase|code base|workspace|app|application|library|lib|package|module|extension|plugin|service|program|crate|' +
  'parser|api|test suite|build|server|client|cli|implementation';
/** Parts of code: "our function" is the user's; "this function" with nothing attached is whatever is at hand, not the workspace. */
const CODE_NOUNS = `${PROJECT_NOUNS}|code|script|function|class|method|tests?|config|configuration|component|endpoint|schema|handler`;
/** Words that point at the user's own code, or report a bug in it. */
const POINTS_AT_WORKSPACE = new RegExp(
  [
    `\\b(our|my) (${CODE_NOUNS})\\b`,
    `\\bthis (${PROJECT_NOUNS})\\b`,
    `\\bthe (${CODE_NOUNS}) (here|we|i)\\b`,
    '\\b(in|of) (the|this) code\\b',
    '\\bthe failing tests?\\b',
    '\\bwhich (code|source files?|modules?|part of the code)\\b|\\bwhere in the code\\b',
    '\\bwhich files? (should|do|does|is|contains?|defines?|handles?|holds?)\\b',
    '\\bwhere (is|are) .{1,60}\\b(defined|implemented|handled|computed|raised|thrown)\\b',
    '\\bthis (error|exception|traceback|stack ?trace|crash|bug|regression|warning|failure)\\b',
    "\\b(i (think i )?(found|hit|ran into|have|get|see) a bug|there('s| is) a bug|a bug (in|with|when|where)|is (this|it) a bug|bug report)\\b",
    "\\b(is|are|got|seems) broken\\b|\\bregression\\b|\\bcrash(es|ed|ing)\\b|\\btraceback\\b|\\bstack ?trace\\b|\\b(doesn't|does not|don't|do not|isn't|is not) work(ing)?\\b",
  ].join('|'),
  'i',
);

/** Words that point at the project itself: all that counts beside a question's own code ("this function" is that code). */
const POINTS_AT_PROJECT = /\b(this|our|my|the) (project|repo|repository|codebase|code base|workspace)\b|\b(in|from|of|with) (this|our|my) (app|application|library|package|crate|module|extension|service)\b/i;

/**
 * How a bug report describes misbehaviour without naming code ("only partly highlighted", "should be drawn", "never
 * finishes", "loses the final backslash"): with two of the workspace's own names beside it, the report is about it.
 */
const MISBEHAVES = new RegExp(
  [
    "\\b(instead of|i expected|unexpected(ly)?|incorrect(ly)?|wrong(ly)?|broken|breaks|missing|loses|lost|ignores|ignored|hangs|freezes|crash(es|ed)|fails|failed|leaks|flickers|overflows|off by one|disappear(s|ed|ing)?|vanish(es|ed|ing)?|garbled|truncated|infinite loop|memory leak|deadlocks?|race condition|raises|throws)\\b",
    '\\b(errors?|exceptions?|warnings?) (when|on|with|in|if|for)\\b',
    '\\bshould(n\'t| not)? (be|have|return|show|work|keep|stay|print|render)\\b',
    '\\bnever (finishes|ends|returns|stops|completes)\\b',
    '\\bonly (partly|partially|up to|the first|half)\\b',
    "\\b(is|are|gets?|was|were)( not|n't) (shown|drawn|displayed|printed|highlighted|rendered|applied|escaped|called|updated|saved|closed|found|kept|used|set)\\b",
  ].join('|'),
  'i',
);
/** Two words of the question that name files or definitions of the workspace. */
const NAMED_WORDS = 2;

/** Words too common to say which code a sentence is about, even where the workspace uses them as names. */
const COMMON = new Set(
  'the and for with that this from when what which where into onto than then them they their there have has had not but are was were been its get set new all any one two use used uses using some such only also just like'.split(' '),
);

/** Capitalised words that start questions and sentences, whatever a workspace defines under their names. */
const SENTENCE_WORDS = new Set(
  'What Why How When Where Which Who Whom Whose Are Can Could Would Should Does Did Explain Show Write Tell Give List Describe Compare Define Find Make Please The This That These Those There Then For With And But Not Also Yes Hello Thanks'.split(' '),
);

/** Compound identifiers (snake_case, camelCase, PascalCase with two humps, digits): distinctive enough that use counts. */
const COMPOUND = /[A-Za-z0-9]_[A-Za-z0-9]|^_|_$|[a-z][A-Z]|^[A-Z][a-z0-9]+[A-Z]/;
const lastPart = (id: string): string => id.split('.').at(-1) ?? id;

/** Mentions without `#file:` references (the attachment providers have them). */
const mentionsOf = (text: string) => mentionsIn(text.replace(/(?<![\w#])#(?:file:)?[\w./\\-]+/g, ' '));

/** The question as evidence reads it: its prose, what the prose names beside its own code, and whether it brings code. */
interface Reading {
  prose: string;
  named: Mentions;
  /** The question brings code of its own. */
  ownCode: boolean;
  /** The names its code defines or uses. */
  own: ReadonlySet<string>;
  /** The words that count as pointing at the workspace. */
  pointer: RegExp;
}

function reading(question: string): Reading {
  const { prose, code } = questionParts(question);
  if (code === '') return { prose, named: mentionsOf(question), ownCode: false, own: new Set(), pointer: POINTS_AT_WORKSPACE };
  const own = namesIn(code);
  const named = mentionsOf(prose);
  // A path inside the code (a traceback's `rich/console.py`) still names a file of the workspace; a bare `utils.js` may be the user's.
  const paths = mentionsIn(code).files.filter((f) => f.includes('/'));
  return { prose, named: { identifiers: named.identifiers.filter((id) => !own.has(id)), files: [...named.files, ...paths] }, ownCode: true, own, pointer: POINTS_AT_PROJECT };
}

/**
 * The evidence that the question concerns this workspace, in words for the context notes; undefined when there is
 * none. A capitalised word counts when the workspace defines that very name (its class `Panel`). A dotted name counts when the workspace defines its last part (`Console.print`, not `cells.Sample` or "e.g."); a plain
 * word written as code (`sin(x)`) when the workspace defines it; a compound name when it defines or uses it.
 */
export function workspaceEvidence(question: string, attached: readonly Attached[], workspace: WorkspaceLookup): string | undefined {
  const { prose, named, ownCode, own, pointer } = reading(question);
  const words = pointer.exec(prose);
  if (words) return `the question points at the workspace ("${words[0]}")`;
  const file = named.files.find((f) => !attached.some((a) => pathMatches(a.path, f)) && workspace.hasFile(f));
  if (file !== undefined) return `the question names ${file}`;
  const dotted = named.identifiers.filter((id) => id.includes('.'));
  const partsOfDotted = new Set(dotted.flatMap((id) => id.split('.')));
  for (const id of named.identifiers) {
    if (attached.some((a) => usesIdentifier(a.text, id))) continue;
    if (id.includes('.')) {
      // A last part of one or two letters is an abbreviation ("e.g.", "i.e."), not a member.
      if (lastPart(id).length >= 3 && workspace.defines(lastPart(id))) return `the question names ${id}, which the workspace defines`;
    } else if (COMPOUND.test(id)) {
      if (workspace.defines(id)) return `the question names ${id}, which the workspace defines`;
      if (workspace.uses(id)) return `the question names ${id}, which the workspace uses`;
    } else if (!partsOfDotted.has(id) && workspace.defines(id)) return `the question names ${id}, which the workspace defines`;
  }
  // A capitalised word the workspace defines under that very name is its class ("When a Panel has a title…").
  const classes = [...new Set(prose.match(/\b[A-Z][a-z]+[A-Za-z0-9]*\b/g) ?? [])].filter((w) => w.length >= 3 && !SENTENCE_WORDS.has(w) && !own.has(w));
  const defined = classes.find((w) => workspace.defines(w));
  if (defined !== undefined) return `the question names ${defined}, which the workspace defines`;
  // Beside its own code, a question's misbehaviour is that code's.
  const misbehaves = ownCode ? null : MISBEHAVES.exec(question);
  if (misbehaves) {
    const names = [...new Set(question.toLowerCase().match(/[a-z][a-z]{2,}/g) ?? [])].filter((w) => !COMMON.has(w) && workspace.names(w));
    if (names.length >= NAMED_WORDS) return `the question reports misbehaviour ("${misbehaves[0]}") of ${names.slice(0, 3).join(', ')}, which the workspace names`;
  }
  return undefined;
}

/** Why automatic search found no evidence, in the words of the ask's decision line (core/retrieval/contextDecision). */
export function notSearchedReason(question: string): string {
  return questionParts(question).code !== '' ? "the question's code does not name this project" : 'the question names nothing the workspace holds and does not point at it';
}
