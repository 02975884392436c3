/**
 * The label RPS uses for a question and model, derived from every row people stored (docs/design-notes.md, "Team bank"):
 *
 *   1. Graded labels (from an import or a profiling run: a reply checked against the question's answer) decide: the
 *      latest of them wins (by commit time, then row number).
 *   2. Without a graded label, choices are votes, one per person (a person's later choice replaces their earlier
 *      one): the majority wins; a tie goes to the latest choice.
 *
 * The derived label keeps the reply tokens of the row it came from: the latest graded row, else the latest choice with
 * the winning value (a label without tokens has none, as in the local store).
 *
 * Commit times come from the server's clock while the bank's write lock is held, so they follow the order of commits.
 * A graded write therefore always holds the latest graded row of its pairs: its value is the derived label at once
 * (GRADED_LABELS_SQL, cheap for imports of many labels); a choice re-derives its pairs by the whole rule.
 */

/** The columns a derived label copies from its row; a row is replaced only when one of them changes. */
const LABEL_VALUES = 'correct, prompt_tokens, completion_tokens, tokens_estimated';
const ON_CONFLICT = `ON CONFLICT (question_seq, model_id) DO UPDATE SET (${LABEL_VALUES}) = (EXCLUDED.correct, EXCLUDED.prompt_tokens, EXCLUDED.completion_tokens, EXCLUDED.tokens_estimated)
WHERE (smcs.labels.correct, smcs.labels.prompt_tokens, smcs.labels.completion_tokens, smcs.labels.tokens_estimated)
  IS DISTINCT FROM (EXCLUDED.correct, EXCLUDED.prompt_tokens, EXCLUDED.completion_tokens, EXCLUDED.tokens_estimated)`;

/** The derived labels of the pairs in `touched` after a graded write (import, profile): the values just written. */
export const GRADED_LABELS_SQL = `
INSERT INTO smcs.labels (question_seq, model_id, ${LABEL_VALUES})
SELECT question_seq, model_id, ${LABEL_VALUES} FROM touched
${ON_CONFLICT}`;

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
), decided AS (
  SELECT t.question_seq, t.model_id, g.correct IS NOT NULL AS graded,
         coalesce(g.correct, CASE WHEN 2 * v.yes > v.n THEN 1 WHEN 2 * v.yes < v.n THEN 0 ELSE v.latest END) AS correct
  FROM touched t
  LEFT JOIN graded g USING (question_seq, model_id)
  LEFT JOIN votes v USING (question_seq, model_id)
), source AS (
  SELECT DISTINCT ON (d.question_seq, d.model_id) d.question_seq, d.model_id, d.correct, r.prompt_tokens, r.completion_tokens, r.tokens_estimated
  FROM decided d JOIN smcs.label_rows r USING (question_seq, model_id)
  WHERE r.correct = d.correct AND (r.via <> 'choice') = d.graded
  ORDER BY d.question_seq, d.model_id, r.at DESC, r.row_id DESC
)
INSERT INTO smcs.labels (question_seq, model_id, ${LABEL_VALUES})
SELECT question_seq, model_id, ${LABEL_VALUES} FROM source
${ON_CONFLICT}`;
