/**
 * The side-bar widths and themes a panel state is looked at in, visited in the order with the fewest changes. A theme
 * change repaints the whole workbench (0.7–1.7 CPU-seconds on the test machine, the costliest step of a look, more with a
 * full panel), a width change ~0.2: so each theme is set once per state, starting from the one already shown, and the
 * widths snake (300, 700 | 700, 300 | …) instead of every theme being set again at each width.
 */
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import type { ThemeName, Workbench } from './workbench';

export const WIDTHS = [300, 700] as const;
export const THEMES: readonly ThemeName[] = ['dark', 'light', 'hc'];

export interface View {
  width: number;
  theme: ThemeName;
}

/** Every view in a fixed order (theme by theme, 300 px then 700), for tests whose steps differ from view to view. */
export const EVERY_VIEW: readonly View[] = THEMES.flatMap((theme) => WIDTHS.map((width) => ({ width, theme })));

/** Sets every width × theme once and calls `visit` in each; where it ends depends on where it started. */
export async function forEachView(wb: Workbench, visit: (view: View) => Promise<void>): Promise<void> {
  const shown = await wb.theme();
  const themes = [...THEMES].sort((a, b) => Number(b === shown) - Number(a === shown));
  const widths: number[] = [...WIDTHS];
  if (Math.abs((await wb.sidebarWidth()) - WIDTHS[1]) < 1) widths.reverse();
  for (const theme of themes) {
    await wb.setTheme(theme);
    for (const width of widths) {
      await wb.setSidebarWidth(width);
      // The resize reaches the panel's document a moment after the side bar's, and what the panel measures on a resize
      // (a long question's "Show more") changes heights a frame later: look only once both have happened.
      const frame = await wb.panelFrame();
      await frame.waitForFunction((w) => Math.abs(window.innerWidth - w) <= 8, width);
      await frame.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
      await visit({ width, theme });
    }
    widths.reverse();
  }
}

/**
 * Looks at a panel state in every view: scrolls the last element matching `scrollTo` to the top of the panel, gathers
 * what `problems` finds there (each named with the state, width and theme), keeps a screenshot of the side bar
 * (`<state>-<width>-<theme>.png`), and fails listing every problem of every view.
 */
export async function lookInEveryView(wb: Workbench, state: string, scrollTo: string | undefined, problems: (frame: Frame, width: number) => Promise<string[]>): Promise<void> {
  const found: string[] = [];
  await forEachView(wb, async ({ width, theme }) => {
    const frame = await wb.panelFrame();
    if (scrollTo) await frame.evaluate((selector) => [...document.querySelectorAll(selector)].pop()?.scrollIntoView({ block: 'start' }), scrollTo);
    found.push(...(await problems(frame, width)).map((p) => `${state} at ${width} px, ${theme}: ${p}`));
    await wb.screenshot(`${state}-${width}-${theme}`, { sidebar: true });
  });
  assert.deepEqual(found, []);
}
