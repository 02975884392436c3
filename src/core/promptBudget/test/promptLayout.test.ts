/**
 * The prompt layout's precedence is data: for every two kinds of context, when the room holds only one, the fit keeps
 * the one whose part the table ranks higher; the conversation and the always-sent parts rank above all context; and the
 * fixed part of a prompt is counted once, by one function, as every message it sends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContextSource } from '../../contracts/contextReport';
import { estimatePromptTokens } from '../../util/tokens';
import { fileItem } from '../../context/contextItem';
import { fitContext } from '../fitContext';
import { CONTEXT_PART, contextPriority, partTokens, PROMPT_LAYOUT } from '../promptLayout';

const SOURCES = Object.keys(CONTEXT_PART) as ContextSource[];
const item = (source: ContextSource) => fileItem(source, `${source}.py`, `def ${source}_helper(): return "${source}" * 40  # ${'x'.repeat(120)}`, 'test');

test('for every two kinds of context, a room for one keeps the kind the layout ranks higher (retrieved code is never cut, only left out)', () => {
  for (const a of SOURCES) {
    for (const b of SOURCES) {
      if (contextPriority(a) === contextPriority(b)) continue;
      const [high, low] = contextPriority(a) > contextPriority(b) ? [a, b] : [b, a];
      const first = item(high);
      const fitted = fitContext([item(low), first], first.tokens);
      assert.deepEqual(fitted.items.map((i) => i.source), [high], `${a} vs ${b}`);
    }
  }
});

test('the table ranks the always-sent parts, then the references, then the conversation, above every kind of context; the context parts share half the window', () => {
  const rows: [keyof typeof PROMPT_LAYOUT, keyof typeof PROMPT_LAYOUT][] = [
    ['system', 'question'],
    ['question', 'references'],
    ['references', 'conversation'],
    ...SOURCES.map((s): [keyof typeof PROMPT_LAYOUT, keyof typeof PROMPT_LAYOUT] => ['conversation', CONTEXT_PART[s]]),
  ];
  for (const [above, below] of rows) assert.ok(PROMPT_LAYOUT[above].priority > PROMPT_LAYOUT[below].priority, `${above} above ${below}`);
  for (const s of SOURCES) assert.equal(PROMPT_LAYOUT[CONTEXT_PART[s]].share, 0.5);
});

test('the fixed part is counted once: partTokens is the estimate of the messages it names', () => {
  const parts = { system: ['You are terse.'], question: ['How do I sort?'], conversation: ['Earlier question', 'Earlier answer'] };
  assert.equal(partTokens(parts), estimatePromptTokens(Object.values(parts).flat().map((content) => ({ content }))));
  assert.equal(partTokens({}), 0);
});
