/**
 * What a person sees of a finished answer, measured inside the panel's webview frame: where the latest turn's answer
 * sits in the view, every collapsible part of the panel opened, the lines the cost table's model names take, and
 * whether KaTeX laid a formula out (its fonts loaded, its boxes stacked). Each check returns numbers or problems.
 *
 * As in panelGeometry.ts, the functions handed to `frame.evaluate` name no inner function.
 */
import type { Frame } from 'playwright-core';

export interface AnswerPlace {
  /** Top of the latest turn's answer, relative to the view (0 = its top edge). */
  top: number;
  /** The height the panel shows above the sticky question box. */
  room: number;
  /** One line of the answer's text. */
  line: number;
  scrollTop: number;
  scrollHeight: number;
}

/** Where the last turn's answer is in the view. */
export async function answerPlace(frame: Frame): Promise<AnswerPlace> {
  return frame.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const run = [...document.querySelectorAll<HTMLElement>('[data-testid="run"]')].pop();
    const answer = run?.querySelector<HTMLElement>('[data-testid="answer"]');
    const composer = document.querySelector<HTMLElement>('.composer');
    const text = answer?.querySelector<HTMLElement>('.markdown');
    return {
      top: answer?.getBoundingClientRect().top ?? Number.NaN,
      room: window.innerHeight - (composer?.offsetHeight ?? 0),
      line: text ? parseFloat(getComputedStyle(text).lineHeight) : Number.NaN,
      scrollTop: root.scrollTop,
      scrollHeight: root.scrollHeight,
    };
  });
}

/** Problems with the last answer's place: its head and first three lines of text must be in view, above the question box. */
export function answerPlaceProblems(place: AnswerPlace, what: string): string[] {
  const firstLinesBottom = place.top + 4 * place.line;
  return place.top >= 0 && firstLinesBottom <= place.room
    ? []
    : [`${what}: the answer starts at ${place.top.toFixed(0)} px of a ${place.room} px view (scrollTop ${place.scrollTop} of ${place.scrollHeight}), its first lines end at ${firstLinesBottom.toFixed(0)} px`];
}

/**
 * Opens every collapsible part of the panel as a user would by clicking: the Bank section and each model's domains,
 * the conversation list, and in every turn the candidates, references (each one's reasoning), every candidate's
 * reply and subset, "Why these models", the reasoning of the answer and the cost Details.
 */
export async function openEverySection(frame: Frame): Promise<number> {
  return frame.evaluate(() => {
    const closed = [
      ...[...document.querySelectorAll<HTMLDetailsElement>('details')].filter((d) => !d.open && d.closest('[hidden]') === null).map((d) => d.querySelector<HTMLElement>(':scope > summary')),
      ...[...document.querySelectorAll<HTMLElement>('[aria-expanded="false"]')].filter((b) => b.closest('[hidden]') === null),
    ].filter((el): el is HTMLElement => el !== null);
    closed.forEach((el) => el.click());
    return closed.length;
  });
}

/** Model names in the cost table that take more than `maxLines` lines. */
export async function costNameProblems(frame: Frame, maxLines: number): Promise<string[]> {
  return frame.evaluate(
    (most) =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="cost-calls"]:not([hidden]) [data-testid="call-model"]')]
        .filter((el) => el.getBoundingClientRect().height > 0)
        .map((el) => ({ name: el.textContent ?? '', lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)) }))
        .filter((n) => n.lines > most)
        .map((n) => `the cost table shows "${n.name}" on ${n.lines} lines`),
    maxLines,
  );
}

/**
 * Problems with the typeset formulas: KaTeX's font not loaded, its layout styles not applied (a strut without height),
 * a fraction whose numerator is not above its denominator, a radical without its SVG drawn.
 */
export async function mathProblems(frame: Frame): Promise<{ formulas: number; problems: string[] }> {
  return frame.evaluate(async () => {
    await document.fonts.ready;
    const problems: string[] = [];
    const formulas = [...document.querySelectorAll<HTMLElement>('.katex')].filter((k) => k.getBoundingClientRect().height > 0);
    if (formulas.length > 0 && !document.fonts.check('16px KaTeX_Main')) problems.push('the KaTeX_Main font is not loaded');
    for (const strut of document.querySelectorAll<HTMLElement>('.katex-strut')) {
      if (strut.getBoundingClientRect().width >= 0 && strut.style.height === '') problems.push('a KaTeX strut has no height: its layout styles were not applied');
    }
    for (const frac of document.querySelectorAll<HTMLElement>('.katex-html .mfrac')) {
      // KaTeX stacks a fraction bottom-up: the denominator's row first, then the bar, then the numerator's; each row
      // is a strut followed by its content.
      const rows = [...(frac.querySelector('.vlist')?.children ?? [])].filter((r) => (r.textContent ?? '').trim() !== '');
      const tops = rows.map((r) => ({ text: r.textContent ?? '', top: (r.lastElementChild ?? r).getBoundingClientRect().top }));
      const numerator = tops.at(-1);
      const denominator = tops[0];
      if (tops.length < 2 || numerator === undefined || denominator === undefined) problems.push(`a fraction has ${tops.length} rows`);
      else if (!(numerator.top < denominator.top)) problems.push(`the fraction's "${numerator.text}" is not above "${denominator.text}"`);
    }
    for (const svg of document.querySelectorAll<SVGElement>('.katex-html svg')) {
      if (svg.getBoundingClientRect().height === 0 || svg.querySelector('path')?.getAttribute('d') === null) problems.push('a KaTeX SVG is not drawn');
    }
    return { formulas: formulas.length, problems };
  });
}
