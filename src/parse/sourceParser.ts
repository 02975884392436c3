/**
 * Definitions and references of source files from a real parser: tree-sitter in WebAssembly, with the grammars of
 * grammars.json and the tags queries of queries/. A file no grammar covers, or of a language whose grammar did not
 * load, gets undefined: its caller cuts it with the line scanner (core/retrieval/chunking) as before.
 */
import type { Tree } from '@vscode/tree-sitter-wasm';
import { errorMessage } from '../core/contracts/errors';
import type { ParsedDefinition, ParsedReference, ParsedSource } from '../core/retrieval/parsedSource';
import { grammarFor, languageOf, shippedFiles, type LanguageId, type ParseFiles } from './grammars';
import { readTags } from './tags';

export interface SourceParserOptions {
  /** Where the runtime, grammars and queries are; by default the shipped ones (src/parse/grammars.ts#shippedFiles). */
  files?: ParseFiles;
  /** Told once why a language's grammar could not be loaded or its files parsed; by default a process warning. */
  warn?: (message: string) => void;
}

const processWarning = (message: string): void => process.emitWarning(message, 'SmcsParseWarning');

export class SourceParser {
  private readonly files: ParseFiles;
  private readonly warn: (message: string) => void;
  /** Languages whose files failed to parse, told once each. */
  private readonly failed = new Set<LanguageId>();

  constructor(options: SourceParserOptions = {}) {
    this.files = options.files ?? shippedFiles();
    this.warn = options.warn ?? processWarning;
  }

  /** Whether a grammar covers the file (by its extension). */
  covers(path: string): boolean {
    return languageOf(path) !== undefined;
  }

  /** The file's definitions and references; undefined when no grammar covers it or its grammar could not be loaded. */
  async parse(path: string, text: string): Promise<ParsedSource | undefined> {
    const language = languageOf(path);
    if (language === undefined) return undefined;
    const grammar = await grammarFor(this.files, language, this.warn);
    if (grammar === undefined) return undefined;
    let tree: Tree | null = null;
    try {
      tree = grammar.parser.parse(text);
      return tree === null ? undefined : readTags(tree, grammar.query, text);
    } catch (err) {
      if (!this.failed.has(language)) this.warn(`${path} could not be parsed as ${language} (${errorMessage(err)}): such files are cut by the line scanner when they fail`);
      this.failed.add(language);
      return undefined;
    } finally {
      // The tree lives in the WebAssembly heap, not in JavaScript's: freed by hand.
      tree?.delete();
    }
  }

  /** The definitions of a file (classes, functions, methods…), outermost first in file order. */
  async definitions(path: string, text: string): Promise<ParsedDefinition[] | undefined> {
    return (await this.parse(path, text))?.definitions.slice();
  }

  /** The names a file uses as calls, types and members, each once with its count, in order of first use. */
  async references(path: string, text: string): Promise<ParsedReference[] | undefined> {
    return (await this.parse(path, text))?.references.slice();
  }
}
