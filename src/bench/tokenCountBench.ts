/**
 * Token-count benchmark: what the language model provider's `provideTokenCount` costs VS Code's agent, which calls it
 * ~1,100–2,500 times a turn (issue 46). A synthetic agent turn — a long system prompt, the user's question with an
 * attached file, 40 tool calls each with its result (text and prompt-tsx), the tools' schemas — is counted message by
 * message, as the agent does, with stand-ins of VS Code's part classes. Goal: well under a millisecond a call.
 */
import { performance } from 'node:perf_hooks';
import { PromptTokens } from '../core/util/promptTokens';

export interface TokenCountBenchmark {
  /** Messages of the synthetic turn, and their tokens by SMCS's estimate. */
  messages: number;
  tokens: number;
  /** Calls timed (each counts one message). */
  calls: number;
  meanUs: number;
  p99Us: number;
  maxUs: number;
  /** 2,500 calls, the most the agent was seen making in one turn. */
  turnMs: number;
  goalUs: number;
  withinGoal: boolean;
}

const GOAL_US = 100;
const CALLS_PER_TURN = 2500;

class TextPart {
  constructor(readonly value: string) {}
}
class ToolCallPart {
  constructor(readonly callId: string, readonly name: string, readonly input: object) {}
}
class ToolResultPart {
  constructor(readonly callId: string, readonly content: unknown[]) {}
}
class PromptTsxPart {
  constructor(readonly value: unknown) {}
}
class DataPart {
  constructor(readonly data: Uint8Array, readonly mimeType: string) {}
}
const CLASSES = { TextPart, ToolCallPart, ToolResultPart, PromptTsxPart, DataPart };

const line = (i: number) => `  const value${i} = items.filter((item) => item.id !== ${i}).map((item) => ({ ...item, seen: true }));\n`;
const code = (lines: number, from = 0) => Array.from({ length: lines }, (_, i) => line(from + i)).join('');
const tsx = (depth: number): unknown => (depth === 0 ? { type: 'text', text: code(5) } : { type: 'element', name: 'Tag', props: { priority: depth }, children: [tsx(depth - 1), tsx(depth - 1)] });

/** The turn: system prompt, question with a file, then 40 rounds of assistant tool call and user tool result. */
function agentTurn(): { content: unknown[] }[] {
  const messages: { content: unknown[] }[] = [
    { content: [new TextPart('You are an expert programming assistant. '.repeat(400))] },
    { content: [new TextPart(`Fix the bug in this file:\n${code(300)}`), new DataPart(new Uint8Array(0), 'cache_control')] },
  ];
  for (let i = 0; i < 40; i++) {
    messages.push({ content: [new TextPart(`Reading part ${i}.`), new ToolCallPart(`call_${i}`, 'read_file', { filePath: `/src/file${i}.ts`, startLine: i * 10, endLine: i * 10 + 80 })] });
    messages.push({ content: [new ToolResultPart(`call_${i}`, [new TextPart(code(80, i * 80)), new PromptTsxPart(tsx(4))])] });
  }
  return messages;
}

export function benchmarkTokenCount(options: { calls?: number } = {}): TokenCountBenchmark {
  const calls = options.calls ?? 20_000;
  const turn = agentTurn();
  const counter = new PromptTokens(CLASSES);
  counter.observe(1000, 850);
  const tokens = turn.reduce((sum, m) => sum + counter.estimate(m), 0);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const message = turn[i % turn.length] as { content: unknown[] };
    const t = performance.now();
    counter.count(message);
    times.push((performance.now() - t) * 1000);
  }
  times.sort((a, b) => a - b);
  const meanUs = times.reduce((a, b) => a + b, 0) / times.length;
  const p99Us = times[Math.floor(times.length * 0.99)] ?? 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    messages: turn.length,
    tokens,
    calls,
    meanUs: round(meanUs),
    p99Us: round(p99Us),
    maxUs: round(times.at(-1) ?? 0),
    turnMs: round((meanUs * CALLS_PER_TURN) / 1000),
    goalUs: GOAL_US,
    withinGoal: p99Us <= GOAL_US,
  };
}

/** The benchmark's report line. */
export function formatTokenCount(r: TokenCountBenchmark): string {
  return `token count: ${r.calls} calls over an agent turn of ${r.messages} messages (~${Math.round(r.tokens / 1000)}k tokens): mean ${r.meanUs} µs, p99 ${r.p99Us} µs, max ${r.maxUs} µs; ${r.turnMs} ms for a turn of 2,500 calls (${r.withinGoal ? 'within' : 'OVER'} the ${r.goalUs} µs p99 goal)`;
}
