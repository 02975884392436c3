/**
 * Real parsing (the shipped tree-sitter WebAssembly and queries) of a small real-looking file in each language: a class
 * with methods, nested functions, decorators or annotations and doc comments; the definitions' names, qualified names,
 * kinds and lines, and the names each file uses (never those in comments or strings).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedSource } from '../../core/retrieval/parsedSource';
import { languageOf } from '../grammars';
import { SourceParser } from '../sourceParser';

const warnings: string[] = [];
const parser = new SourceParser({ warn: (m) => warnings.push(m) });

/** Each definition as `kind qualifiedName start-end/body`. */
const shapes = (parsed: ParsedSource | undefined): string[] => (parsed?.definitions ?? []).map((d) => `${d.kind} ${d.qualifiedName} ${d.startLine}-${d.endLine}/${d.bodyLine ?? '-'}`);
const used = (parsed: ParsedSource | undefined): string[] => (parsed?.references ?? []).map((r) => r.name);

async function check(path: string, lines: readonly string[], definitions: readonly string[], uses: readonly string[], notUsed: readonly string[] = []): Promise<ParsedSource | undefined> {
  const parsed = await parser.parse(path, lines.join('\n'));
  assert.ok(parsed, `${path} is parsed`);
  assert.deepEqual(shapes(parsed), definitions, path);
  for (const name of uses) assert.ok(used(parsed).includes(name), `${path} uses ${name}: ${used(parsed).join(', ')}`);
  for (const name of notUsed) assert.ok(!used(parsed).includes(name), `${path} does not use ${name}`);
  return parsed;
}

test('Python: a decorated class with its comment, a property, a nested function; calls, members and annotations', async () => {
  const parsed = await check(
    'rich/cells.py',
    [
      'from functools import lru_cache',
      '',
      '',
      '# Cells of a terminal line.',
      '@dataclass(frozen=True)',
      'class CellSpan(Span):',
      '    """A span measured in cells."""',
      '',
      '    width: int = 0',
      '',
      '    @property',
      '    def cells(self) -> CellTable:',
      '        def measure(text: str) -> int:',
      '            return cached_cell_len(text)  # not cell_len()',
      '        return self.table.split("cell_len", measure)',
      '',
      '',
      'async def chop_cells(text: str, width: int) -> List[CellSpan]:',
      '    return [CellSpan(width) for _ in text]',
    ],
    ['class CellSpan 4-15/7', 'method CellSpan.cells 11-15/13', 'function CellSpan.cells.measure 13-14/14', 'function chop_cells 18-19/19'],
    ['dataclass', 'Span', 'CellTable', 'cached_cell_len', 'table', 'split', 'List', 'property'],
    ['cell_len', 'lru_cache', 'text'],
  );
  const split = parsed?.references.find((r) => r.name === 'CellSpan');
  assert.deepEqual(split, { name: 'CellSpan', count: 2, lines: [18, 19] }, 'a name is counted at each use, its own definition aside');
  assert.equal(languageOf('stubs/cells.pyi'), 'python');
});

test('TypeScript: an exported decorated class, a private method, an interface, arrow functions; types as references', async () => {
  await check(
    'source/core/Ky.ts',
    [
      "import type { Options } from './options';",
      '',
      '/** What a request resolves to. */',
      'export interface ResponsePromise extends Promise<Response> {',
      '  json<T>(): Promise<T>;',
      '}',
      '',
      '@Injectable()',
      'export class Ky {',
      '  /** Starts a request. */',
      '  static create(input: Input, options: Options): ResponsePromise {',
      '    const run = async (): Promise<Response> => {',
      '      return ky.#fetch(input); // not #retry()',
      '    };',
      '    return new Ky(input, options).#decorate(run);',
      '  }',
      '',
      '  #decorate(run: () => Promise<Response>): ResponsePromise {',
      "    return this.#options.hooks.map((h) => h('fetch'));",
      '  }',
      '}',
      '',
      'export const createInstance = (defaults?: Partial<Options>): KyInstance => Ky.create(defaults);',
    ],
    [
      'interface ResponsePromise 3-6/5',
      'method ResponsePromise.json 5-5/-',
      'class Ky 8-21/10',
      'method Ky.create 10-16/12',
      'function Ky.create.run 12-14/13',
      'method Ky.#decorate 18-20/19',
      'function createInstance 23-23/23',
    ],
    ['Promise', 'Response', 'Input', 'Options', '#fetch', 'Injectable', '#options', 'hooks', 'map', 'KyInstance', 'Partial', 'create'],
    ['#retry', 'fetch'],
  );
  assert.equal(languageOf('a.mts'), 'typescript');
});

test('TSX: a component, its props type and the components it renders (not the intrinsic elements)', async () => {
  await check(
    'src/App.tsx',
    [
      'type Props = { title: string };',
      '',
      '/** The page. */',
      'export function App({ title }: Props): JSX.Element {',
      '  const onClick = () => track(title);',
      '  return (',
      '    <Panel title={title} onClick={onClick}>',
      '      <Form.Field />',
      '      <div className="row" />',
      '    </Panel>',
      '  );',
      '}',
    ],
    ['type Props 1-1/-', 'function App 3-12/5', 'function App.onClick 5-5/5'],
    ['Props', 'Element', 'Panel', 'Field', 'track'],
    ['div', 'title', 'className'],
  );
});

test('JavaScript: a class with a field arrow function, CommonJS exports and object methods', async () => {
  await check(
    'lib/router.js',
    [
      "'use strict';",
      '',
      '/**',
      ' * Routes requests.',
      ' */',
      'class Router extends EventEmitter {',
      '  handle = (req) => this.stack.dispatch(req);',
      '',
      '  use(fn) {',
      '    return this.stack.push(new Layer(fn));',
      '  }',
      '}',
      '',
      'module.exports.createRouter = function (options) {',
      '  return new Router(options);',
      '};',
      '',
      'const methods = { get() { return "get()"; }, post: (path) => route(path) };',
    ],
    ['class Router 3-12/7', 'method Router.handle 7-7/7', 'method Router.use 9-11/10', 'function createRouter 14-16/15', 'function get 18-18/18', 'function post 18-18/18'],
    ['EventEmitter', 'stack', 'dispatch', 'push', 'Layer', 'Router', 'route', 'exports'],
    ['get', 'use'],
  );
});

test("Go: a struct and its methods named by their receiver's type, an interface, a closure; selectors and types", async () => {
  await check(
    'server/server.go',
    [
      'package server',
      '',
      '// Server serves requests.',
      'type Server struct {',
      '\tcfg *Config',
      '}',
      '',
      '// Handler handles one request.',
      'type Handler interface {',
      '\tServe(w Writer) error',
      '}',
      '',
      '// Start listens until ctx is done.',
      'func (s *Server) Start(ctx context.Context) error {',
      '\tgo func() { s.cfg.Reload() }()',
      '\treturn fmt.Errorf("start: %w", ErrClosed) // not Stop()',
      '}',
      '',
      'func (l List[T]) Len() int { return len(l.items) }',
      '',
      'func New() *Server { return &Server{} }',
    ],
    ['class Server 3-6/-', 'interface Handler 8-11/-', 'method Handler.Serve 10-10/-', 'method Server.Start 13-17/15', 'method List.Len 19-19/19', 'function New 21-21/21'],
    ['Config', 'Writer', 'Context', 'cfg', 'Reload', 'Errorf', 'Server', 'len', 'items'],
    ['Stop', 'ErrClosed'],
  );
});

test('Rust: a documented struct with attributes, `impl Trait for Type` and `impl<T> Type<T>` methods, a trait, a module', async () => {
  await check(
    'src/point.rs',
    [
      'use std::fmt;',
      '',
      '/// A point on the grid.',
      '#[derive(Debug, Clone)]',
      'pub struct Point {',
      '    x: i32,',
      '}',
      '',
      'impl fmt::Display for Point {',
      '    /// Formats as `(x)`.',
      '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {',
      '        write!(f, "({})", self.x.abs())',
      '    }',
      '}',
      '',
      'impl<T> Stack<T> {',
      '    pub fn push(&mut self, value: T) {',
      '        self.items.push(value); // not pop()',
      '    }',
      '}',
      '',
      'pub trait Shape {',
      '    fn area(&self) -> f64;',
      '}',
      '',
      'mod tests {',
      '    fn grid() -> Vec<Point> { Vec::new() }',
      '}',
    ],
    ['class Point 3-7/6', 'impl Point 9-14/10', 'method Point.fmt 10-13/12', 'impl Stack 16-20/17', 'method Stack.push 17-19/18', 'interface Shape 22-24/23', 'method Shape.area 23-23/-', 'module tests 26-28/27', 'function tests.grid 27-27/27'],
    ['Display', 'Formatter', 'Result', 'write', 'items', 'push', 'Vec', 'new'],
    ['pop', 'fmt'],
  );
});

test('Java: a class with Javadoc and annotations, its methods, a nested interface and enum; calls and types', async () => {
  await check(
    'gson/JsonParser.java',
    [
      'package com.google.gson;',
      '',
      '/** Parses JSON into a tree. */',
      '@Deprecated',
      'public final class JsonParser extends Base implements Api<String> {',
      '  private final Map<String, JsonElement> cache = new HashMap<>();',
      '',
      '  /**',
      '   * Parses the string.',
      '   */',
      '  @Override',
      '  public static JsonElement parseString(String json) throws JsonSyntaxException {',
      '    Reader reader = new StringReader(json);',
      '    return parseReader(reader).getAsJsonObject().members;',
      '  }',
      '',
      '  interface Visitor {',
      '    void visit(JsonElement element);',
      '  }',
      '',
      '  enum Kind { OBJECT, ARRAY }',
      '',
      '  JsonParser() {}',
      '}',
    ],
    ['class JsonParser 3-24/6', 'method JsonParser.parseString 8-15/13', 'interface JsonParser.Visitor 17-19/18', 'method JsonParser.Visitor.visit 18-18/-', 'enum JsonParser.Kind 21-21/21', 'method JsonParser.JsonParser 23-23/23'],
    ['Deprecated', 'Base', 'Api', 'Map', 'HashMap', 'Override', 'JsonElement', 'JsonSyntaxException', 'StringReader', 'parseReader', 'getAsJsonObject', 'members'],
    ['json', 'reader'],
  );
});

test('C#: a namespace that names none of its members, a class with attributes and XML docs, a property and a constructor', async () => {
  await check(
    'Src/Widget.cs',
    [
      'using System;',
      '',
      'namespace App.Core',
      '{',
      '    /// <summary>A widget.</summary>',
      '    [Serializable]',
      '    public class Widget : Base, IShape',
      '    {',
      '        private List<Item> items = new List<Item>();',
      '        public int Size { get; set; }',
      '',
      '        /// <summary>Renders it.</summary>',
      '        [Obsolete("use Draw()")]',
      '        public async Task<Result> Render(Context ctx)',
      '        {',
      '            var drawn = ctx.Canvas.Draw(items);',
      '            return Helper.Make<Result>(drawn);',
      '        }',
      '',
      '        public Widget() { }',
      '    }',
      '',
      '    public interface IShape { double Area(); }',
      '}',
    ],
    ['namespace App.Core 3-24/5', 'class Widget 5-21/9', 'property Widget.Size 10-10/-', 'method Widget.Render 12-18/16', 'method Widget.Widget 20-20/20', 'interface IShape 23-23/23', 'method IShape.Area 23-23/-'],
    ['Serializable', 'Base', 'IShape', 'List', 'Item', 'Obsolete', 'Task', 'Result', 'Context', 'Canvas', 'Draw', 'Helper', 'Make'],
    ['drawn', 'ctx'],
  );
  assert.equal(languageOf('Widget.cs'), 'csharp');
});

test('C: a typedef of a struct, a documented function, a pointer-returning one, a prototype and a macro', async () => {
  await check(
    'src/kilo.c',
    [
      '#include <stdio.h>',
      '',
      '/* One row of the file. */',
      'typedef struct erow {',
      '    int size;',
      '    char *chars;',
      '} erow;',
      '',
      '/**',
      ' * Inserts a row at `at`.',
      ' */',
      'static void editorInsertRow(int at, char *s, size_t len) {',
      '    erow *row = realloc(E.row, sizeof(erow) * (E.numrows + 1));',
      '    editorUpdateRow(row); /* not editorFreeRow() */',
      '}',
      '',
      'char *editorRowsToString(int *buflen) { return NULL; }',
      'void editorRefreshScreen(void);',
      '#define CTRL_KEY(k) ((k) & 0x1f)',
    ],
    ['type erow 3-7/-', 'class erow 4-7/5', 'function editorInsertRow 9-15/13', 'function editorRowsToString 17-17/17', 'function editorRefreshScreen 18-18/-', 'macro CTRL_KEY 19-19/-'],
    ['realloc', 'row', 'numrows', 'editorUpdateRow'],
    ['editorFreeRow'],
  );
  assert.equal(languageOf('kilo.c'), 'c');
});

test('C++: a namespace, a class with declared and inline methods, a template, a method defined outside its class', async () => {
  await check(
    'include/geo/shape.h',
    [
      '#pragma once',
      '#include <vector>',
      '',
      'namespace geo {',
      '/// A closed shape.',
      'class Shape : public Base {',
      ' public:',
      '  virtual double area() const = 0;',
      '  void draw(Canvas& canvas) { canvas.line(1); Registry::add(this); }',
      '',
      ' private:',
      '  std::vector<Point> points_;',
      '};',
      '',
      'template <typename T>',
      'T largest(T a, T b) { return a > b ? a : b; }',
      '',
      'double Shape::perimeter() const { return this->points_.size(); }',
      '}  // namespace geo',
    ],
    ['namespace geo 4-19/5', 'class Shape 5-13/7', 'method Shape.area 8-8/-', 'method Shape.draw 9-9/9', 'function largest 15-16/16', 'method Shape.perimeter 18-18/18'],
    ['Base', 'Canvas', 'line', 'Registry', 'add', 'vector', 'Point', 'points_', 'size'],
    ['namespace'],
  );
  assert.equal(languageOf('shape.hpp'), 'cpp');
});

test('Ruby: a module, a class with comments, methods and a singleton method; calls and constants', async () => {
  await check(
    'lib/shop/order.rb',
    [
      "require 'json'",
      '',
      'module Shop',
      '  # An order of items.',
      '  class Order < Base',
      '    attr_reader :items',
      '',
      '    # The total with tax.',
      '    def total(tax = 0)',
      '      items.sum { |i| i.price * rate(tax) } + Discount.new.apply(self) # not refund()',
      '    end',
      '',
      '    def self.build(attrs) = new(**attrs)',
      '  end',
      'end',
      '',
      'def helper; end',
    ],
    ['module Shop 3-15/5', 'class Shop.Order 4-14/6', 'method Shop.Order.total 8-11/10', 'method Shop.Order.build 13-13/13', 'function helper 17-17/-'],
    ['Base', 'attr_reader', 'sum', 'price', 'rate', 'Discount', 'new', 'apply'],
    ['refund', 'json'],
  );
  assert.equal(languageOf('Rakefile.rake'), 'ruby');
});

test('PHP: a documented class with an attribute, a method, a function, an interface and a trait', async () => {
  await check(
    'src/Models/User.php',
    [
      '<?php',
      'namespace App\\Models;',
      '',
      '/**',
      ' * A user of the shop.',
      ' */',
      '#[Entity]',
      'class User extends Model implements Auth',
      '{',
      '    private Repo $repo;',
      '',
      '    /** Saves it. */',
      '    public function save(Request $request): Response',
      '    {',
      '        $this->repo->store($request->all());',
      "        return new Response(helper('delete()'), Status::OK);",
      '    }',
      '}',
      '',
      'function top_level($x) { return strlen($x); }',
      'interface Auth { public function check(): bool; }',
      'trait Greets { function greet() {} }',
    ],
    ['class User 4-18/10', 'method User.save 12-17/15', 'function top_level 20-20/20', 'interface Auth 21-21/21', 'method Auth.check 21-21/-', 'interface Greets 22-22/22', 'method Greets.greet 22-22/22'],
    ['Entity', 'Model', 'Auth', 'Repo', 'Request', 'Response', 'repo', 'store', 'all', 'helper', 'Status', 'strlen'],
    ['delete', 'request'],
  );
});

test('a file no grammar covers is not parsed; the parse of a covered one warns of nothing', async () => {
  assert.equal(await parser.parse('README.md', '# Title\n'), undefined);
  assert.equal(await parser.parse('build.gradle.kts', 'fun main() {}\n'), undefined);
  assert.ok(!parser.covers('notes.txt') && parser.covers('a.py'));
  assert.deepEqual(await parser.definitions('empty.py', ''), []);
  assert.deepEqual(warnings, []);
});
