import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { CALIBRATION_PROSE } from '../../core/retrieval/searchEvidence';
import { RESCORE_SHARE } from '../evidenceLookup';
import { calibrationOf, type CalibrationSource } from '../savedCalibration';

/** An index of 100 files and 400 chunks where each question scores by its length (the longest score most). */
function source(dir: string, overrides: Partial<CalibrationSource> = {}): CalibrationSource {
  return {
    dir,
    files: 100,
    chunks: 400,
    near: (was, now) => Math.abs(now - was) <= RESCORE_SHARE * Math.max(was, 1),
    score: (question) => question.length / 100,
    ...overrides,
  };
}

/** Scores every question as `of` does, counting the times it is asked to. */
function scorer(of: CalibrationSource): { scoreAll: () => Float64Array; runs: () => number } {
  let runs = 0;
  return {
    scoreAll: () => {
      runs++;
      return Float64Array.from(CALIBRATION_PROSE, (q) => of.score(q));
    },
    runs: () => runs,
  };
}

test('the calibration is scored once and kept beside the index: a new session uses it without scoring the questions again', () => {
  const temp = tempDir('smcs-calibration-');
  try {
    const first = scorer(source(temp.dir));
    const scored = calibrationOf(source(temp.dir), first.scoreAll);
    assert.equal(first.runs(), 1);
    assert.deepEqual(readdirSync(temp.dir), ['calibration.json'], 'written whole, no temporary file left');
    const again = scorer(source(temp.dir));
    const read = calibrationOf(source(temp.dir, { files: 102, chunks: 396 }), again.scoreAll);
    assert.equal(again.runs(), 0, 'an index changed by less than RESCORE_SHARE reads the saved calibration');
    assert.deepEqual([...read], [...scored]);
  } finally {
    temp.cleanup();
  }
});

test('a saved calibration that no longer holds is scored again and written anew: other scores, another size, other questions, garbage', () => {
  const temp = tempDir('smcs-calibration-stale-');
  try {
    calibrationOf(source(temp.dir), scorer(source(temp.dir)).scoreAll);
    const longest = [...CALIBRATION_PROSE].sort((a, b) => b.length - a.length)[0] as string;
    // The ranking or the index's text changed: the question that found the most finds something else now.
    const moved = source(temp.dir, { score: (q) => (q === longest ? 0.5 : q.length / 100) });
    const rescored = scorer(moved);
    assert.equal(calibrationOf(moved, rescored.scoreAll)[CALIBRATION_PROSE.indexOf(longest)], 0.5);
    assert.equal(rescored.runs(), 1);
    assert.equal(scorer(moved).runs(), 0);
    const grown = scorer(source(temp.dir, { files: 120 }));
    calibrationOf(source(temp.dir, { files: 120 }), grown.scoreAll);
    assert.equal(grown.runs(), 1, 'an index a fifth larger is scored again');

    const file = path.join(temp.dir, 'calibration.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { questions: string };
    writeFileSync(file, JSON.stringify({ ...saved, questions: 'another list of questions' }));
    const otherQuestions = scorer(source(temp.dir, { files: 120 }));
    calibrationOf(source(temp.dir, { files: 120 }), otherQuestions.scoreAll);
    assert.equal(otherQuestions.runs(), 1, 'scored on other questions: scored again');
    for (const garbage of ['{"questions": ', 'null', JSON.stringify({ ...saved, scores: ['x'] })]) {
      writeFileSync(file, garbage);
      const fromGarbage = scorer(source(temp.dir, { files: 120 }));
      assert.equal(calibrationOf(source(temp.dir, { files: 120 }), fromGarbage.scoreAll).length, CALIBRATION_PROSE.length);
      assert.equal(fromGarbage.runs(), 1, garbage);
      assert.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')), 'written anew');
    }
  } finally {
    temp.cleanup();
  }
});

// A folder stands where the file goes, as a full disk or a file held by another program refuses the write; or where
// its temporary file goes. Either way the calibration is scored and used, and the ask goes on.
for (const [blocked, title] of [
  ['calibration.json', 'a calibration that cannot be written is scored and used, not kept, and nothing is left behind'],
  ['calibration.json.tmp', 'a folder where the temporary file goes: the calibration is scored and used, and the ask goes on'],
] as const) {
  test(title, () => {
    const temp = tempDir('smcs-calibration-unwritable-');
    try {
      mkdirSync(path.join(temp.dir, blocked));
      const { scoreAll, runs } = scorer(source(temp.dir));
      assert.equal(calibrationOf(source(temp.dir), scoreAll).length, CALIBRATION_PROSE.length);
      assert.equal(runs(), 1);
      assert.deepEqual(readdirSync(temp.dir), [blocked], 'nothing written, no temporary file left');
      assert.ok(statSync(path.join(temp.dir, blocked)).isDirectory(), 'the folder not removed');
    } finally {
      temp.cleanup();
    }
  });
}
