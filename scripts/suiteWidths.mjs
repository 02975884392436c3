// How many test files `npm test` runs at once, from the cores the machine has (os.availableParallelism()).
// Measured on two cores: the UI suite's workbenches and the unit tests each keep a core busy, so beside the unit suite
// (two files at once) one UI file runs — two UI files beside the unit tests loaded the machine to ~12 and four of five
// such runs failed. Once the others are done, three UI files at once (they wait on their workbenches a good part of the
// time: the cores stay 85–99 % busy, load ~6–11), where two left ~10–30 % of the cores idle and four loaded the
// machine to ~13. A machine with more cores gets the same load per core: half of them for the UI suite beside the
// unit tests, one more than the cores after (at most MAX_UI_FILES workbenches: each holds ~1 GB).

/**
 * The most UI test files running at once, whatever the machine: each runs in a worker with a code-server and a Chromium
 * open, and up to two more of them waiting for its next tests (test/e2e/workbench.ts).
 */
export const MAX_UI_FILES = 4;

/**
 * @param {number} cores
 * @returns {{ unit: number, uiBeside: number, uiAfter: number }} test files at once: the unit suite's; the UI suite's
 *   while the unit and integration suites run; the UI suite's after them
 */
export function suiteWidths(cores) {
  const n = Math.max(2, Math.floor(cores));
  return {
    unit: Math.max(2, Math.floor(n / 2)),
    uiBeside: Math.min(MAX_UI_FILES, Math.floor(n / 2)),
    uiAfter: Math.min(MAX_UI_FILES, n + 1),
  };
}
