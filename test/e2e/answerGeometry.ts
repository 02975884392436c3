/**
 * What a person sees of an answer, measured inside the panel's webview frame: where the latest turn's answer sits in
 * the view, its card as it is written (its head on screen, its text uncut), every collapsible part of the panel opened,
 * the lines the cost table's model names take, and whether KaTeX laid a formula out (its fonts loaded, its boxes
 * stacked). Each check returns numbers or problems.
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

/**
 * Problems with the last turn's answer card as it shows now: the card wider than the panel, its title or the line under
 * it (who writes it, or why another reply was chosen) off screen or covered (by the live run's stage strip or the
 * question box), or its text cut — wider than the card, outside a code block's own scroll.
 */
export async function answerCardProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const answer = [...document.querySelectorAll<HTMLElement>('[data-testid="run"]')].pop()?.querySelector<HTMLElement>('[data-testid="answer"]');
    if (!answer || answer.hidden) return ['no answer card'];
    const problems: string[] = [];
    const width = (document.scrollingElement ?? document.documentElement).clientWidth;
    const card = answer.getBoundingClientRect();
    if (card.left < -0.5 || card.right > width + 0.5) problems.push(`the answer card spans ${card.left.toFixed(0)}–${card.right.toFixed(0)} px of a ${width} px panel`);
    const bottom = document.querySelector<HTMLElement>('.composer')?.getBoundingClientRect().top ?? window.innerHeight;
    const head = [...answer.querySelectorAll<HTMLElement>('.answer-title, [data-testid="answer-writing"], [data-testid="answer-instead"]')].filter((el) => el.getBoundingClientRect().height > 0);
    if (head.length === 0) problems.push('the answer card has no title');
    for (const el of head) {
      const r = el.getBoundingClientRect();
      const what = `"${(el.textContent ?? '').slice(0, 40)}"`;
      if (r.top < -0.5 || r.bottom > bottom + 0.5) problems.push(`${what} is off screen (${r.top.toFixed(0)}–${r.bottom.toFixed(0)} px; the view shows 0–${bottom.toFixed(0)} px)`);
      else {
        const hit = document.elementFromPoint(r.left + Math.min(8, r.width / 2), r.top + r.height / 2);
        if (!hit || !el.contains(hit)) problems.push(`${what} is covered by ${hit?.className || hit?.tagName || 'nothing'}`);
      }
      if (el.scrollWidth > el.clientWidth + 1 || r.right > card.right + 0.5) problems.push(`${what} is cut (${el.scrollWidth} px of text in ${el.clientWidth} px)`);
    }
    const text = answer.querySelector<HTMLElement>('.markdown');
    if (!text || (text.textContent ?? '').trim() === '') return [...problems, 'the answer card shows no text'];
    if (text.scrollWidth > text.clientWidth + 1) problems.push(`the answer's text is ${text.scrollWidth} px wide in a ${text.clientWidth} px box`);
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('pre') || (node.textContent ?? '').trim() === '') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && (r.left < card.left - 0.5 || r.right > card.right + 0.5)) problems.push(`"${(node.textContent ?? '').trim().slice(0, 30)}" runs out of the answer card (${r.left.toFixed(0)}–${r.right.toFixed(0)} px of ${card.left.toFixed(0)}–${card.right.toFixed(0)})`);
      }
    }
    return problems.slice(0, 10);
  });
}
