/**
 * What a parser found in a source file, as data: its definitions and the names it uses. Core cannot parse (grammars
 * are WebAssembly files that src/parse loads), so the workspace hands this to `chunkFile` (chunking.ts), which then cuts
 * at these definitions instead of the line scanner's guesses.
 */

/** What a definition is, from the `@definition.<kind>` capture of the tags query that found it. */
export const DEFINITION_KINDS = ['class', 'interface', 'enum', 'type', 'module', 'namespace', 'impl', 'function', 'method', 'property', 'macro', 'constant'] as const;
export type DefinitionKind = (typeof DEFINITION_KINDS)[number];

/**
 * Kinds whose members are definitions of their own: a split one keeps its members' names (`JsonParser.parse`), and
 * their names are qualified by it. A namespace holds members too but names none of them (`App.Core` stays out of
 * `Widget.Render`), as a package does.
 */
export const CONTAINER_KINDS: ReadonlySet<DefinitionKind> = new Set(['class', 'interface', 'enum', 'module', 'impl', 'namespace']);

export interface ParsedDefinition {
  name: string;
  /** The name with every enclosing definition's but a namespace's (`Cells.width`; `impl Point` methods: `Point.fmt`). */
  qualifiedName: string;
  kind: DefinitionKind;
  /** 1-based, inclusive: from its doc comment, decorators or attributes above it to its last line. */
  startLine: number;
  endLine: number;
  /**
   * The first line of its body's contents (the statements of a function, the members of a class): the signature is the
   * lines before it. Absent for a definition without a body (a type alias, an abstract method, a prototype).
   */
  bodyLine?: number;
}

/** A name the file uses as a call, a type or a member (`obj.name`), never inside a comment or a string. */
export interface ParsedReference {
  name: string;
  /** How many times the file uses it. */
  count: number;
  /** The 1-based lines it is used on, ascending, each once. */
  lines: number[];
}

/** A parser of source files (tree-sitter, src/parse, where a grammar covers the language): undefined where none reads it. */
export type ParseFile = (path: string, text: string) => Promise<ParsedSource | undefined>;

export interface ParsedSource {
  definitions: readonly ParsedDefinition[];
  /** Distinct names, in order of first use. */
  references: readonly ParsedReference[];
}
