/**
 * Runs one reply text on one set of checks once: an aggregation that copies a reference word for word (aggregators
 * often do when the references agree) shares the reference's runs instead of starting the sandbox again. A run that
 * failed to start is forgotten, so a later reply tries again.
 */
import type { CheckRun, CheckRunner } from '../contracts/checks';

export function runOnce(runner: CheckRunner): CheckRunner {
  const runs = new Map<string, Promise<CheckRun[] | null>>();
  return {
    run(reply, checks, signal) {
      const key = JSON.stringify([reply, checks]);
      const known = runs.get(key);
      if (known) return known;
      const started = runner.run(reply, checks, signal);
      runs.set(key, started);
      started.catch(() => runs.delete(key));
      return started;
    },
  };
}
