/**
 * One panel state as a person sees it at every width and theme: scrolled into view, its geometry checked (nothing wider
 * than the panel, overlapping, low in contrast, cut, or off its bar scale) and a screenshot kept
 * (`.test-results/screenshots/<state>-<width>-<theme>.png`).
 */
import { barGroups, barProblems, contrastProblems, cutNameProblems, overflowProblems, overlapProblems, questionProblems } from './panelGeometry';
import { lookInEveryView } from './views';
import type { Workbench } from './workbench';

export type PanelFrame = Awaited<ReturnType<Workbench['panelFrame']>>;

export interface Shot {
  /** The element to scroll to the top of the panel before the screenshot. */
  scrollTo?: string;
  /** Bar groups (`data-bar-group`) this state shows: each must be measured with at least two bars, so its checks ran. */
  bars?: readonly string[];
  /** Extra geometry checks for this state. */
  check?: (frame: PanelFrame, width: number) => Promise<string[]>;
}

/** Shows the state at every width and theme: scrolls to it, checks the geometry, keeps a screenshot. */
export async function captureState(wb: Workbench, state: string, shot: Shot = {}): Promise<void> {
  await lookInEveryView(wb, state, shot.scrollTo, async (frame, width) => {
    const groups = await barGroups(frame);
    const unmeasured = (shot.bars ?? []).filter((name) => !groups.some((g) => g.group === name && g.bars.length >= 2));
    return [
      ...(await overflowProblems(frame)),
      ...(await overlapProblems(frame)),
      ...(await contrastProblems(frame)),
      ...barProblems(groups),
      ...unmeasured.map((name) => `no ${name} bars to measure`),
      ...(await cutNameProblems(frame)),
      ...(await questionProblems(frame)),
      ...(shot.check ? await shot.check(frame, width) : []),
    ];
  });
}
