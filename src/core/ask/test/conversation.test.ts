import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retrievalText, turnMessages, type Turn } from '../conversation';
import { fitPrompt } from '../fitPrompt';
import type { ChatMessage } from '../../contracts/types';
import { estimatePromptTokens, minimumOutput } from '../../util/tokens';

/** The messages of a prompt of `system`, the earlier turns and `question`, fitted to `window` (core/ask/fitPrompt). */
function fitConversation(system: readonly ChatMessage[], turns: readonly Turn[], question: readonly ChatMessage[], maxTokens: number, window: number | undefined) {
  const fit = fitPrompt({ system: system.map((m) => m.content), question: question.map((m) => m.content), conversation: turns }, { window, maxTokens });
  return { messages: [...system, ...turnMessages(fit.turns), ...question], droppedTurns: fit.droppedTurns, maxTokens: fit.maxTokens };
}

const turns: Turn[] = [
  { question: 'How do I sort a list of tuples by the second element in Python?', answer: 'Use sorted(xs, key=lambda t: t[1]).' },
  { question: 'And in place?', answer: 'xs.sort(key=lambda t: t[1])' },
];
const user = { role: 'user' as const, content: 'and in Rust?' };

describe('turns as messages', () => {
  it('alternate user and assistant, oldest first', () => {
    assert.deepEqual(turnMessages(turns).map((m) => [m.role, m.content.slice(0, 12)]), [
      ['user', 'How do I sor'],
      ['assistant', 'Use sorted(x'],
      ['user', 'And in place'],
      ['assistant', 'xs.sort(key='],
    ]);
  });
});

describe('retrieval text', () => {
  it('is the latest question, or for a short follow-up the previous question with it', () => {
    assert.equal(retrievalText('and in Rust?', []), 'and in Rust?');
    assert.equal(retrievalText('and in Rust?', turns), 'And in place?\nand in Rust?');
    const long = 'How would I write the same sort in Rust with a closure?';
    assert.equal(retrievalText(long, turns), long);
  });
});

describe('fitting a conversation into a window', () => {
  it('keeps everything when the window is unknown or large enough', () => {
    const all = fitConversation([], turns, [user], 1000, undefined);
    assert.equal(all.messages.length, 5);
    assert.equal(all.droppedTurns, 0);
    assert.equal(all.maxTokens, 1000);
    const roomy = fitConversation([], turns, [user], 1000, 100_000);
    assert.equal(roomy.droppedTurns, 0);
    assert.equal(roomy.maxTokens, 1000);
  });

  it('drops the oldest turns first, keeps the system prompt and the question, and says how many', () => {
    const system = { role: 'system' as const, content: 'x'.repeat(300) };
    const latestTurnTokens = estimatePromptTokens(turnMessages(turns.slice(1)));
    const fixed = estimatePromptTokens([system, user]);
    // Room for the output floor (512), the fixed part and the newest turn only.
    const window = fixed + latestTurnTokens + 512 + 5;
    const fit = fitConversation([system], turns, [user], 4096, window);
    assert.equal(fit.droppedTurns, 1);
    assert.deepEqual(fit.messages, [system, ...turnMessages(turns.slice(1)), user]);
    assert.ok(estimatePromptTokens(fit.messages) + fit.maxTokens <= window, 'prompt + output fit the window');
    assert.ok(fit.maxTokens >= 512);
  });

  it('caps the output to what the window leaves after the prompt, at least 1', () => {
    const fit = fitConversation([], [], [user], 8192, 4096);
    assert.equal(fit.maxTokens, 4096 - estimatePromptTokens([user]));
    const tiny = fitConversation([], turns, [{ role: 'user', content: 'y'.repeat(600) }], 8192, 100);
    assert.equal(tiny.droppedTurns, 2);
    assert.equal(tiny.maxTokens, 1);
  });

  it('gives up history before squeezing the reply below a quarter of the window', () => {
    assert.equal(minimumOutput(8192, 32_000), 8000);
    assert.equal(minimumOutput(300, 32_000), 300);
    assert.equal(minimumOutput(8192, 1000), 512);
  });
});
