/**
 * The checks of one ask, started once the models are chosen (core/checks/stage runs replies on them as they arrive;
 * its `settle` is the checks' report): the question's examples, or tests the aggregator writes for a code question.
 */
import { asksForCode, extractChecks, rulesFor } from '../checks/extraction';
import { MODEL_TESTS_MAX_TOKENS, modelTestsMessages, parseModelTests } from '../checks/modelTests';
import { CheckStage, type TestWriter } from '../checks/stage';
import { completedCallOf, type AskContext } from './askState';
import { userMessage } from './prompts';

/**
 * The checks of this ask: the question's examples (or why they cannot judge), else — for a code question, when the
 * setting allows — tests the aggregator writes once a reply shows the code's shape; with the setting, also tests to
 * break a tie of the examples; none without a runner. `priors`: the referencers' priors (a tie of checks leans on them).
 */
export function startChecks(ctx: AskContext, priors: ReadonlyMap<string, number>): CheckStage | undefined {
  const runner = ctx.deps.checkRunner;
  if (!runner) return undefined;
  const { question } = ctx.input;
  // Checks come from what the user wrote or selected, not from files in the context; the tests call sees it all.
  const asked = userMessage(question, ctx.selected);
  const base = { runner, signal: ctx.signal, emit: ctx.emit, question: asked, priors };
  const found = extractChecks(question, ctx.selected);
  const writeTests = ctx.input.modelWrittenTests === false ? undefined : testWriter(ctx, ctx.user.content);
  if (found.unverifiable !== undefined) return new CheckStage({ ...base, checkSet: { source: 'question', ...found } });
  // The question's checks may tie on replies that differ: then tests are written to tell them apart.
  if (found.checks.length > 0) return new CheckStage({ ...base, checkSet: { source: 'question', ...found }, ...(writeTests ? { writeTests } : {}) });
  // Tests are written only for a question that asks for code to be written or fixed, never to explain code.
  if (writeTests === undefined || !asksForCode(question, asked)) return undefined;
  return new CheckStage({ ...base, writeTests });
}

/**
 * The tests call: the aggregator writes tests for a code question that has none, or whose checks tie (a priced call,
 * stage `tests`); it receives the same user message, context included, as every referencer.
 */
function testWriter(ctx: AskContext, asked: string): TestWriter {
  const model = ctx.input.aggregator;
  return async (shape, purpose) => {
    const messages = modelTestsMessages(asked, shape, purpose);
    try {
      const result = await ctx.deps.gateway.chat(
        { model, messages, temperature: 0, maxTokens: Math.min(ctx.input.params.maxTokens, MODEL_TESTS_MAX_TOKENS), presencePenalty: 0, logprobs: false, stage: 'tests' },
        () => undefined,
        ctx.signal,
      );
      ctx.ledger.chat('tests', model, messages, result);
      const checks = parseModelTests(result.text, shape);
      return checks.length === 0 ? null : { source: 'model', checks, rules: rulesFor(asked, checks) };
    } catch (e) {
      const spent = completedCallOf(e);
      if (spent) ctx.ledger.chat('tests', model, messages, spent);
      throw e;
    }
  };
}
