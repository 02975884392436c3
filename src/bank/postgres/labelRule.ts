/**
 * The label RPS uses for a question and model, derived from every row people stored (docs/design-notes.md, "Team bank"):
 *
 *   1. Graded labels (from an import or a profiling run: a reply checked against the question's answer) decide: the
 *      latest of them wins (by commit time, then row number).
 *   2. Without a graded label, choices are votes, one per person (a person's later choice replaces their earlier
 *      one): the majority wins; a tie goes to the latest choice.
 *
 * Commit times come from the server's clock while the bank's write lock is held, so they follow the order of commits.
 * A graded write therefore always holds the latest graded row of its pairs: its value is the derived label at once
 * (GRADED_LABELS_SQL, cheap for imports of many labels); a choice re-derives its pairs by the whole rule.
 */

/** The derived labels of the pairs in `touched` after a graded write (import, profile): the values just written. */
export const GRADED_LABELS_SQL = `
INSERT INTO smcs.labels (question_seq, model_id, correct)
SELECT question_seq, model_id, correct FROM touched
ON CONFLICT (question_seq, model_id) DO UPDATE SET correct = EXCLUDED.correct WHERE smcs.labels.correct <> EXCLUDED.correct`;

/**
 * Recomputes `smcs.labels` for the (question_seq, model_id) pairs in the temporary table `touched`: inserts new
 * derived labels and updates changed ones (a pair keeps at least the row just written, so none disappears).
 */
export const DERIVE_LABELS_SQL = `
WITH graded AS (
  SELECT DISTINCT ON (r.question_seq, r.model_id) r.question_seq, r.model_id, r.correct
  FROM smcs.label_rows r JOIN touched t USING (question_seq, model_id)
  WHERE r.via <> 'choice'
  ORDER BY r.question_seq, r.model_id, r.at DESC, r.row_id DESC
), votes AS (
  SELECT r.question_seq, r.model_id, sum(r.correct) AS yes, count(*) AS n,
         (array_agg(r.correct ORDER BY r.at DESC, r.row_id DESC))[1] AS latest
  FROM smcs.label_rows r JOIN touched t USING (question_seq, model_id)
  WHERE r.via = 'choice'
  GROUP BY r.question_seq, r.model_id
)
INSERT INTO smcs.labels (question_seq, model_id, correct)
SELECT t.question_seq, t.model_id,
       coalesce(g.correct, CASE WHEN 2 * v.yes > v.n THEN 1 WHEN 2 * v.yes < v.n THEN 0 ELSE v.latest END)
FROM touched t
LEFT JOIN graded g USING (question_seq, model_id)
LEFT JOIN votes v USING (question_seq, model_id)
ON CONFLICT (question_seq, model_id) DO UPDATE SET correct = EXCLUDED.correct WHERE smcs.labels.correct <> EXCLUDED.correct`;
