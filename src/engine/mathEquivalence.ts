/**
 * Whether two mathematical final answers are equal (core/grading/finalAnswer's `MathEquivalence`), with mathjs: LaTeX
 * read into mathjs's syntax, quantities with units compared in SI, expressions with variables compared at six fixed
 * points of the variables. mathjs because it runs on Node 20 (engines ≥ 18; @cortex-js/compute-engine 0.140 needs
 * Node ≥ 22.3) and has units as well as expressions; it reads no LaTeX, hence `latexToMath`. mathjs is loaded on the
 * first comparison that needs it, not with the engine: loading it costs ~0.5–0.8 CPU-seconds, and most questions
 * compare no mathematics.
 */
import type { all, create, MathJsInstance, MathNode } from 'mathjs' with { 'resolution-mode': 'require' };
import type { MathEquivalence } from '../core/grading/finalAnswer';

/** Relative difference within which two values are equal. */
const TOLERANCE = 1e-6;
/** Points the variables are drawn at. */
const POINTS = 6;

/** A LaTeX (or plain) answer in mathjs's syntax: fractions, roots, products, powers, `\text{}` units, constants. */
export function latexToMath(latex: string): string {
  let s = latex.replace(/\$/g, '').replace(/\\(?:left|right|displaystyle|,|;|!|\s)/g, ' ');
  s = s.replace(/\\(?:text|mathrm|operatorname)\s*\{([^{}]*)\}/g, ' $1');
  for (let before = ''; before !== s; ) {
    before = s;
    s = s.replace(/([\^_])\s*\{([^{}]*)\}/g, '$1($2)').replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '(($1)/($2))').replace(/\\sqrt\s*\[([^\]]*)\]\s*\{([^{}]*)\}/g, 'nthRoot($2, $1)').replace(/\\sqrt\s*\{([^{}]*)\}/g, 'sqrt($1)');
  }
  return s
    .replace(/\\(?:cdot|times)/g, '*')
    .replace(/\\div/g, '/')
    .replace(/\\pi\b/g, 'pi')
    .replace(/\\infty\b/g, 'Infinity')
    .replace(/\\ln\b/g, 'log')
    .replace(/\\(sin|cos|tan|exp|log)\b/g, '$1')
    .replace(/[{]/g, '(')
    .replace(/[}]/g, ')')
    .replace(/\s+/g, ' ')
    .trim();
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

/** Free symbols of an expression (names that are not functions, constants or units mathjs knows). */
function variables(math: MathJsInstance, node: MathNode): string[] {
  const names = new Set<string>();
  node.traverse((n, _path, parent) => {
    if (math.isSymbolNode(n) && !(parent && math.isFunctionNode(parent) && parent.fn === n) && !(n.name in math) && !math.Unit.isValuelessUnit(n.name)) names.add(n.name);
  });
  return [...names];
}

function valuesEqual(math: MathJsInstance, a: unknown, b: unknown): boolean | null {
  if (math.isUnit(a) && math.isUnit(b)) return a.equalBase(b) ? close(a.value ?? 0, b.value ?? 0) : false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isFinite(a) && Number.isFinite(b) ? close(a, b) : a === b;
  return null;
}

/** Equal (true), different (false), or null when either side is not mathematics mathjs reads. */
export function sameMath(math: MathJsInstance, a: string, b: string): boolean | null {
  let left: MathNode;
  let right: MathNode;
  try {
    left = math.parse(latexToMath(a));
    right = math.parse(latexToMath(b));
  } catch {
    return null;
  }
  const names = [...new Set([...variables(math, left), ...variables(math, right)])];
  try {
    if (names.length === 0) return valuesEqual(math, left.evaluate(), right.evaluate());
    for (let k = 0; k < POINTS; k++) {
      // Fixed points (0.37, 1.21, …): the same answer on every run.
      const scope = Object.fromEntries(names.map((name, i) => [name, 0.37 + 0.84 * k + 0.13 * i]));
      const verdict = valuesEqual(math, left.evaluate(scope), right.evaluate(scope));
      if (verdict !== true) return verdict;
    }
    return true;
  } catch {
    return null;
  }
}

let instance: MathJsInstance | undefined;

/** mathjs with every function, created on first use (synchronously: the comparison the pipeline calls is). */
function mathjs(): MathJsInstance {
  if (!instance) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first comparison, not at start-up
    const mathjs = require('mathjs') as { create: typeof create; all: typeof all };
    instance = mathjs.create(mathjs.all ?? {}, {});
  }
  return instance;
}

/** The equivalence the pipeline's final answers are compared with: mathjs is loaded when it is first called. */
export const mathEquivalence: MathEquivalence = (a, b) => sameMath(mathjs(), a, b);
