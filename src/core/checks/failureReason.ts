/**
 * Why a reply's code did not pass a check, in words, when its output alone does not say it (design-notes "Checks:
 * why a check failed"): a program that printed nothing because it defines `solve` and never calls it, a call the code
 * cannot answer because it defines another name or is a program reading standard input, a program that read more
 * input than the example gives. Pure: reads the code as text.
 */
import type { Check, CheckRun } from '../contracts/checks';
import { definedFunctions, readsStdin, type ReplyCode } from './replyCode';

/** The top-level functions `code` defines that nothing in it calls. */
function neverCalled(code: ReplyCode): string[] {
  return definedFunctions(code.code, code.language)
    .filter((f) => !f.method)
    .map((f) => f.name)
    .filter((name) => {
      const uses = [...code.code.matchAll(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*\\(`, 'g'))].length;
      const definitions = [...code.code.matchAll(new RegExp(`(?:\\bdef|\\bfunction)\\s+${name.replace(/\$/g, '\\$')}\\s*\\(`, 'g'))].length;
      return uses <= definitions;
    });
}

const quoted = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(', ');

/** The reason a run did not pass, or undefined when the expected and actual output say it well enough. */
export function failureReason(check: Check, run: CheckRun, code: ReplyCode): string | undefined {
  if (run.status === 'passed' || run.status === 'unusable') return undefined;
  const error = run.error ?? '';
  if (check.kind === 'stdio') {
    if (/\bEOFError\b|unexpected end of (?:input|file)/i.test(error)) return 'read more input than the example gives';
    if (run.status === 'failed' && (run.actual ?? '').trim() === '') {
      const idle = neverCalled(code);
      const defined = definedFunctions(code.code, code.language).filter((f) => !f.method);
      if (defined.length > 0 && idle.length === defined.length) return `printed nothing: ${quoted(idle)} ${idle.length === 1 ? 'is' : 'are'} defined but never called`;
      if (!readsStdin(code.code, code.language)) return 'printed nothing, and the code reads no standard input: the example gives its input there';
      return 'printed nothing';
    }
    return undefined;
  }
  if (check.kind !== 'call') return undefined;
  const wanted = `\`${check.name}\``;
  const program = readsStdin(code.code, code.language);
  // a program runs its input() before any function can be called: it ends reading, not finding the name
  if (program && /\bEOFError\b|unexpected end of (?:input|file)/i.test(error)) return `the example calls ${wanted}, but the code is a program reading standard input: the entry point is missing`;
  if (!/defines no (?:function|method)/.test(error)) return undefined;
  const defined = definedFunctions(code.code, code.language).map((f) => f.name);
  if (defined.length > 0) return `the example calls ${wanted}, which the code does not define (it defines ${quoted(defined)}): a wrong function name`;
  if (program) return `the example calls ${wanted}, but the code is a program reading standard input: the entry point is missing`;
  return `the example calls ${wanted}, which the code does not define: the entry point is missing`;
}
