/**
 * A parse tree read with a tags query (queries/<language>.scm, in the style of tree-sitter's `queries/tags.scm`): the
 * definitions with their names, qualified names, kinds and lines, and the names the file uses as calls, types and
 * members. Captures: `@definition.<kind>` with `@name` (and `@scope` where a method names its type outside it: Go's
 * receiver, C++'s `Shape::area`), `@reference.<kind>` with `@name`, `@doc` on comments and attributes.
 */
import type { Node, Query, Tree } from '@vscode/tree-sitter-wasm';
import { DEFINITION_KINDS, type DefinitionKind, type ParsedDefinition, type ParsedReference, type ParsedSource } from '../core/retrieval/parsedSource';

/** Nodes that hold a definition and nothing else: the definition's lines are theirs (`export`, decorators, `template <…>`). */
const WRAPPERS = new Set(['decorated_definition', 'export_statement', 'template_declaration', 'ambient_declaration', 'lexical_declaration', 'variable_declaration', 'expression_statement', 'type_declaration']);

/** Kinds a function or method inside of is a method (a function in a module or namespace stays a function). */
const TYPE_KINDS: ReadonlySet<DefinitionKind> = new Set(['class', 'interface', 'enum', 'impl']);

/** A name as code writes it (JavaScript's `#private`, Ruby's `empty?` and `save!` too). */
const IDENTIFIER = /^#?[\p{L}_$][\p{L}\p{N}_$]*[?!]?$/u;

interface Found {
  node: Node;
  kind: DefinitionKind;
  name: Node;
  scope?: string;
  /** The query pattern that found it: the first that matches a node decides its kind. */
  pattern: number;
}

/** The last line a node covers (one that ends at the start of a line, a Rust `///` comment's newline, does not cover it). */
const lastRow = (node: Node): number => (node.endPosition.column === 0 && node.endPosition.row > node.startPosition.row ? node.endPosition.row - 1 : node.endPosition.row);

/** The node whose lines the definition takes: itself, or the wrappers around it that hold nothing else. */
function outermost(node: Node): Node {
  let outer = node;
  for (let parent = outer.parent; parent !== null && WRAPPERS.has(parent.type); parent = parent.parent) {
    const others = parent.namedChildren.filter((c) => c !== null && c.id !== outer.id && !/comment|decorator|attribute/.test(c.type));
    if (others.length > 0 && parent.type !== 'template_declaration' && parent.type !== 'decorated_definition') break;
    outer = parent;
  }
  return outer;
}

/**
 * Rows that hold only a comment or an attribute (`# …`, `/** … *\/`, `#[derive(…)]`): a definition's start moves up
 * over those directly above it, as the line scanner's does.
 */
function leadingRows(docs: readonly Node[], text: string): Set<number> {
  const rows = new Set<number>();
  for (const doc of docs) {
    const lineStart = text.lastIndexOf('\n', doc.startIndex - 1) + 1;
    const lineEnd = text.indexOf('\n', doc.endIndex);
    // A node that ends with its newline (Rust's `///` comments) has nothing after it on its line.
    const after = doc.endPosition.column === 0 ? '' : text.slice(doc.endIndex, lineEnd < 0 ? text.length : lineEnd);
    if (text.slice(lineStart, doc.startIndex).trim() !== '' || after.trim() !== '') continue;
    for (let r = doc.startPosition.row; r <= lastRow(doc); r++) rows.add(r);
  }
  return rows;
}

/** The first line of a body's contents: the first member or statement after a `{`, else where the body starts. */
function bodyRow(node: Node): number | undefined {
  const body = node.childForFieldName('body') ?? (node.childForFieldName('value') ?? node.childForFieldName('right'))?.childForFieldName('body') ?? null;
  if (body === null) return undefined;
  if (body.firstChild?.type === '{') return (body.firstNamedChild ?? body).startPosition.row;
  return body.startPosition.row;
}

/** What the query's matches capture: definitions (one per node), reference names and comments. */
function capture(query: Query, tree: Tree): { found: Found[]; references: Node[]; docs: Node[] } {
  const byNode = new Map<number, Found>();
  const references: Node[] = [];
  const docs: Node[] = [];
  for (const match of query.matches(tree.rootNode)) {
    const name = match.captures.find((c) => c.name === 'name')?.node;
    const scope = match.captures.find((c) => c.name === 'scope')?.node.text.replace(/::/g, '.');
    for (const c of match.captures) {
      if (c.name === 'doc') docs.push(c.node);
      else if (c.name.startsWith('reference.') && name !== undefined) references.push(name);
      else if (c.name.startsWith('definition.') && name !== undefined) {
        const kind = c.name.slice('definition.'.length) as DefinitionKind;
        if (!DEFINITION_KINDS.includes(kind)) throw new Error(`the tags query captures @${c.name}, a kind of definition src/core/retrieval/parsedSource.ts does not know`);
        const before = byNode.get(c.node.id);
        if (before === undefined || match.patternIndex < before.pattern) byNode.set(c.node.id, { node: c.node, kind, name, pattern: match.patternIndex, ...((scope ?? before?.scope) !== undefined ? { scope: scope ?? before?.scope } : {}) });
        else if (before.scope === undefined && scope !== undefined) before.scope = scope;
      }
    }
  }
  return { found: [...byNode.values()], references, docs };
}

/** The definitions, outermost first in file order, each with the definitions that enclose it. */
function definitionsOf(found: readonly Found[], docs: readonly Node[], text: string): ParsedDefinition[] {
  const leading = leadingRows(docs, text);
  const sorted = [...found].sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex);
  const open: { found: Found; qualified: string; kind: DefinitionKind }[] = [];
  const out: ParsedDefinition[] = [];
  for (const f of sorted) {
    while (open.length > 0 && (open.at(-1) as (typeof open)[number]).found.node.endIndex <= f.node.startIndex) open.pop();
    // A namespace names none of its members (`App.Core` stays out of `Widget.Render`), as a package does; nor does a
    // typedef the struct it declares.
    const parent = [...open].reverse().find((o) => o.kind !== 'namespace' && o.kind !== 'type');
    const name = f.name.text;
    const qualifier = f.scope ?? parent?.qualified;
    let kind = f.kind;
    if (kind === 'function' || kind === 'method') kind = f.scope !== undefined || (parent !== undefined && TYPE_KINDS.has(parent.kind)) ? 'method' : 'function';
    const qualified = qualifier !== undefined && kind !== 'namespace' ? `${qualifier}.${name}` : name;
    const outer = outermost(f.node);
    let start = outer.startPosition.row;
    // Comments above belong to a definition that starts its line (not to a member on its class's first line).
    if (text.slice(text.lastIndexOf('\n', outer.startIndex - 1) + 1, outer.startIndex).trim() === '') while (leading.has(start - 1)) start--;
    const body = bodyRow(f.node);
    out.push({ name, qualifiedName: qualified, kind, startLine: start + 1, endLine: lastRow(outer) + 1, ...(body !== undefined ? { bodyLine: body + 1 } : {}) });
    open.push({ found: f, qualified, kind });
  }
  return out;
}

/** The names used, each once with its count and lines, in order of first use; names that are definitions' own are not uses. */
function referencesOf(references: readonly Node[], found: readonly Found[]): ParsedReference[] {
  const defined = new Set(found.map((f) => f.name.id));
  const seen = new Set<number>();
  const byName = new Map<string, ParsedReference>();
  for (const node of [...references].sort((a, b) => a.startIndex - b.startIndex)) {
    if (seen.has(node.id) || defined.has(node.id)) continue;
    seen.add(node.id);
    const name = node.text;
    if (!IDENTIFIER.test(name)) continue;
    const line = node.startPosition.row + 1;
    const ref = byName.get(name);
    if (ref === undefined) byName.set(name, { name, count: 1, lines: [line] });
    else {
      ref.count++;
      if (ref.lines.at(-1) !== line) ref.lines.push(line);
    }
  }
  return [...byName.values()];
}

/** A parsed file's definitions and references, read with its language's tags query. */
export function readTags(tree: Tree, query: Query, text: string): ParsedSource {
  const { found, references, docs } = capture(query, tree);
  return { definitions: definitionsOf(found, docs, text), references: referencesOf(references, found) };
}

