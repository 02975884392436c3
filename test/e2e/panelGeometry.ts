/**
 * Geometry checks of the SMCS panel, measured inside its webview frame with getBoundingClientRect: what a person sees
 * at a given width and theme, not only what the DOM holds. Each check returns a list of problems (empty = fine).
 *
 * The functions handed to `frame.evaluate` run in the browser: they name no inner function (the test loader would
 * wrap a named one in a helper the page does not have), so their callbacks are all anonymous.
 */
import type { Frame } from 'playwright-core';

/** Allowed difference between a bar's fill and value / max × its track, in CSS pixels. */
export const FILL_TOLERANCE_PX = 2;

export interface BarGroupReport {
  group: string;
  bars: { label: string; track: number; fill: number; now: number; max: number }[];
}

/** Every visible bar, by the group it belongs to (`data-bar-group`), with its track and fill widths and aria values. */
export async function barGroups(frame: Frame): Promise<BarGroupReport[]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-bar-group]')]
      .map((group) => ({
        group: group.dataset.barGroup ?? '',
        bars: [...group.querySelectorAll<HTMLElement>('[role="meter"]')]
          .filter((m) => m.getBoundingClientRect().width > 0)
          .map((m) => ({
            label: m.getAttribute('aria-label') ?? '',
            track: m.clientWidth,
            fill: m.firstElementChild?.getBoundingClientRect().width ?? -1,
            now: Number(m.getAttribute('aria-valuenow')),
            max: Number(m.getAttribute('aria-valuemax')),
          })),
      }))
      .filter((g) => g.bars.length > 0),
  );
}

/** Problems of the bar groups: tracks of unequal width, a fill not proportional to its value, a missing name or scale. */
export function barProblems(groups: readonly BarGroupReport[]): string[] {
  const problems: string[] = [];
  for (const { group, bars } of groups) {
    const tracks = bars.map((b) => b.track);
    if (Math.max(...tracks) - Math.min(...tracks) > 0.5) problems.push(`${group}: track widths differ: ${tracks.join(', ')}`);
    const maxima = new Set(bars.map((b) => b.max));
    if (maxima.size !== 1) problems.push(`${group}: bars on different scales (aria-valuemax ${[...maxima].join(', ')})`);
    for (const b of bars) {
      if (b.label.trim() === '') problems.push(`${group}: a bar without an accessible name`);
      if (!(b.max > 0) || !Number.isFinite(b.now)) problems.push(`${group}: ${b.label} has aria-valuenow ${b.now} / aria-valuemax ${b.max}`);
      const expected = (b.now / b.max) * b.track;
      if (Math.abs(b.fill - expected) > FILL_TOLERANCE_PX) problems.push(`${group}: ${b.label} fill ${b.fill.toFixed(1)} px, expected ${expected.toFixed(1)} px (${b.now}/${b.max} of ${b.track} px)`);
    }
  }
  return problems;
}

/**
 * Elements that stick out of the panel: the document scrolls sideways, or an element's right edge is beyond the
 * panel's width while no scrolling or clipping box of its own holds it (a code block's own scroll bar is fine).
 */
export async function overflowProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const problems: string[] = [];
    const root = document.scrollingElement ?? document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth > width) problems.push(`the panel scrolls sideways: scrollWidth ${root.scrollWidth} > clientWidth ${width}`);
    if (document.body.scrollWidth > document.body.clientWidth) problems.push(`the body scrolls sideways: ${document.body.scrollWidth} > ${document.body.clientWidth}`);
    for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= width + 0.5) continue;
      // The contents of a closed <details> keep the box of their last layout (Chromium skips laying them out, so a
      // panel narrowed since reports them at the old width); nobody sees them until the section opens, laid out anew.
      if (!el.checkVisibility()) continue;
      let held = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 0.5) {
          held = true;
          break;
        }
      }
      if (!held) problems.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 40)}" ends at ${r.right.toFixed(1)} px, beyond the panel's ${width} px`);
    }
    return problems;
  });
}

/** Names and badges cut short: a bar row's name box whose text is wider than the box, or a name or badge shown with an ellipsis. */
export async function cutNameProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.bar-name, .model, .name-badge, .cand-subset > summary, .subset-list .chip, .badges > .chip, .badges > .badge, .answer-head .badge')]
      .filter((el) => el.getBoundingClientRect().width > 0)
      .filter((el) => el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth)
      .map((el) => `"${el.textContent ?? ''}" is cut (${el.scrollWidth} px of text in ${el.clientWidth} px)`),
  );
}

/** Questions taller than 6 lines that the user has not expanded with "Show more". */
export async function questionProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="question"]')]
      .filter((q) => q.querySelector('[data-testid="question-toggle"]')?.getAttribute('aria-expanded') !== 'true')
      .map((q) => q.querySelector<HTMLElement>('.question-text'))
      .filter((el): el is HTMLElement => el !== null && el.getBoundingClientRect().height > 0)
      .map((el) => ({ height: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight), text: (el.textContent ?? '').slice(0, 30) }))
      .filter((q) => !(q.line > 0) || q.height > 6 * q.line + 1)
      .map((q) => `the collapsed question "${q.text}…" is ${q.height.toFixed(1)} px tall, more than 6 lines of ${q.line} px`),
  );
}

/** The height three collapsed candidate cards take (top of the first to bottom of the third) and the room the panel shows them in. */
export async function threeCardsSpan(frame: Frame): Promise<{ span: number; room: number; cards: number }> {
  return frame.evaluate(() => {
    const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="run"]:last-of-type [data-testid="candidate"]')].filter((c) => c.getBoundingClientRect().height > 0);
    // The first three cards' height (an ask shows one card per distinct subset, so there may be fewer).
    const shown = cards.slice(0, 3);
    const first = shown[0]?.getBoundingClientRect();
    const last = shown[shown.length - 1]?.getBoundingClientRect();
    const composer = document.querySelector<HTMLElement>('.composer');
    return { span: first && last ? last.bottom - first.top : Infinity, room: window.innerHeight - (composer?.offsetHeight ?? 0), cards: cards.length };
  });
}

/**
 * Text drawn over other text: the line boxes of every visible text (clipped to the boxes that scroll or clip it, and
 * leaving out what the sticky question box and a live run's sticky stage strip cover) must not overlap another text's line boxes.
 */
export async function overlapProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const composer = document.querySelector<HTMLElement>('.composer')?.getBoundingClientRect();
    // A live run's stage strip stays at the top (sticky) while its replies scroll under it, as they scroll under the composer.
    const strips = [...document.querySelectorAll<HTMLElement>('.stage-strip')].filter((el) => getComputedStyle(el).position === 'sticky').map((el) => ({ el, rect: el.getBoundingClientRect() }));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const boxes: { text: string; el: Element; left: number; right: number; top: number; bottom: number }[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || (node.textContent ?? '').trim() === '' || el.closest('.visually-hidden, option, select')) continue;
      // The content of a closed <details> is not drawn (its summary is).
      let drawn = true;
      for (let a: Element | null = el; a && drawn; a = a.parentElement) {
        if (a instanceof HTMLDetailsElement && !a.open) drawn = [...a.children].some((c) => c.tagName === 'SUMMARY' && c.contains(el));
      }
      if (!drawn) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const insideComposer = composer !== undefined && el.closest('.composer') !== null;
      for (const r of range.getClientRects()) {
        let box = { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        for (let a: Element | null = el; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflow === 'visible') continue;
          const c = a.getBoundingClientRect();
          box = { left: Math.max(box.left, c.left), right: Math.min(box.right, c.right), top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom) };
        }
        if (composer && !insideComposer && box.bottom > composer.top) box.bottom = Math.min(box.bottom, composer.top);
        for (const strip of strips) {
          if (!strip.el.contains(el) && box.top < strip.rect.bottom && box.bottom > strip.rect.top) box.top = Math.max(box.top, strip.rect.bottom);
        }
        if (box.right - box.left > 1 && box.bottom - box.top > 1) boxes.push({ text: (node.textContent ?? '').trim().slice(0, 30), el, ...box });
      }
    }
    const problems: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (!a || !b || a.el === b.el) continue;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) problems.push(`"${a.text}" and "${b.text}" are drawn over each other (${w.toFixed(0)} × ${h.toFixed(0)} px)`);
      }
    }
    return problems.slice(0, 10);
  });
}

/** Minimum contrast of text against what is behind it (WCAG AA for normal text). */
export const MIN_CONTRAST = 4.5;

/**
 * Text whose colour is too close to its background: each text's colour against the backgrounds behind it (composited
 * up to the side bar's), as the WCAG contrast ratio. Disabled controls are exempt, as WCAG exempts them.
 */
export async function contrastProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate((minimum) => {
    const colour = {
      /** `rgb(…)` / `rgba(…)` as [r, g, b, alpha]. */
      parse(css: string): number[] {
        const m = /rgba?\(([^)]+)\)/.exec(css);
        const parts = (m?.[1] ?? '0, 0, 0, 0').split(/[\s,/]+/).filter((p) => p !== '').map(Number);
        return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
      },
      /** WCAG relative luminance of an sRGB colour. */
      luminance(rgb: number[]): number {
        return rgb.map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)).reduce((sum, c, i) => sum + c * ([0.2126, 0.7152, 0.0722][i] ?? 0), 0);
      },
    };
    const probe = document.createElement('span');
    probe.style.color = 'var(--vscode-sideBar-background, var(--vscode-editor-background))';
    document.body.append(probe);
    const base = colour.parse(getComputedStyle(probe).color);
    probe.remove();
    const problems: string[] = [];
    const seen = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || seen.has(el) || (node.textContent ?? '').trim() === '' || el.closest('.visually-hidden, [disabled], option, select')) continue;
      seen.add(el);
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const layers: number[][] = [];
      for (let a: Element | null = el; a; a = a.parentElement) {
        const bg = colour.parse(getComputedStyle(a).backgroundColor);
        if ((bg[3] ?? 0) > 0) layers.push(bg);
        if ((bg[3] ?? 0) >= 1) break;
      }
      let back = [base[0] ?? 0, base[1] ?? 0, base[2] ?? 0];
      for (const layer of layers.reverse()) {
        const alpha = layer[3] ?? 1;
        back = back.map((c, i) => (layer[i] ?? 0) * alpha + c * (1 - alpha));
      }
      const fg = colour.parse(getComputedStyle(el).color);
      const alpha = fg[3] ?? 1;
      const front = back.map((c, i) => (fg[i] ?? 0) * alpha + c * (1 - alpha));
      const [hi, lo] = [colour.luminance(front), colour.luminance(back)].sort((a, b) => b - a);
      const ratio = ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
      if (ratio < minimum) problems.push(`"${(node.textContent ?? '').trim().slice(0, 30)}" (${el.tagName.toLowerCase()}.${el.className}) has contrast ${ratio.toFixed(2)} (${getComputedStyle(el).color} on rgb(${back.map((c) => Math.round(c)).join(', ')}))`);
    }
    return problems;
  }, MIN_CONTRAST);
}
