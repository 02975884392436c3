/**
 * Test doubles for the checks stage: a CheckRunner that "runs" a reply whose code block is a table of what the
 * program prints for each input (or returns for each argument list), and a gateway whose referencers and aggregator
 * reply from scripts. They stand in for the sandbox and the LLM servers, never for the pipeline under test.
 */
import type { CheckRun, CheckRunner, QuestionChecks } from '../../contracts/checks';
import type { ChatRequest, ChatResult, LlmGateway } from '../../contracts/types';

/** A reply whose Python block maps each stdin input (or JSON argument list) to what the program outputs. */
export function tableReply(label: string, table: Record<string, string>): string {
  return `${label}\n\n\`\`\`python\nOUTPUTS = ${JSON.stringify(table)}\n\`\`\``;
}

export interface RecordedRun {
  reply: string;
  checks: QuestionChecks;
  at: number;
  signal: AbortSignal;
}

/** Runs a table reply on the checks after `delayMs`; null for a reply without a table (no code). */
export function tableRunner(delayMs = 0, fail?: Error): CheckRunner & { runs: RecordedRun[] } {
  const runs: RecordedRun[] = [];
  return {
    runs,
    run(reply, checks, signal) {
      runs.push({ reply, checks, at: performance.now(), signal });
      const table = /OUTPUTS = (\{.*\})/.exec(reply)?.[1];
      if (table === undefined) return Promise.resolve(null);
      const outputs = JSON.parse(table) as Record<string, string>;
      return new Promise<CheckRun[] | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (fail) {
            reject(fail);
            return;
          }
          resolve(
            checks.checks.map((check, i): CheckRun => {
              const key = check.kind === 'stdio' ? check.input : check.kind === 'call' ? `${check.name}(${check.args.map((a) => a.value).join(',')})` : check.code;
              const actual = outputs[key];
              const expected = check.kind === 'assert' ? 'ok' : check.expected;
              if (actual === undefined) return { check: i, status: 'errored', error: 'KeyError', durationMs: 1 };
              return { check: i, status: actual.trim() === expected.trim() ? 'passed' : 'failed', actual, durationMs: 1 };
            }),
          );
        }, delayMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        }, { once: true });
      });
    },
  };
}

/** The first reference an aggregation was given (the aggregator of these tests copies it). */
export function firstReference(request: ChatRequest): string {
  const system = request.messages[0]?.content ?? '';
  return /Responses from the models:\n\n1\. ([\s\S]*?)(?:\n\n2\. [\s\S]*)?$/.exec(system)?.[1] ?? '';
}

export interface ScriptedGateway extends LlmGateway {
  requests: ChatRequest[];
}

/** Replies per model; the aggregator's reply is computed from its request. */
export function scriptedGateway(replies: Record<string, string | ((request: ChatRequest) => string)>, delays: Record<string, number> = {}): ScriptedGateway {
  const requests: ChatRequest[] = [];
  return {
    requests,
    chat(request, onDelta, signal) {
      requests.push(request);
      const script = replies[request.model];
      if (script === undefined) return Promise.reject(new Error(`no script for ${request.model}`));
      const text = typeof script === 'function' ? script(request) : script;
      return new Promise<ChatResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          onDelta({ kind: 'text', text });
          resolve({ text, reasoning: '', tokenLogprobs: null, usage: { promptTokens: 10, completionTokens: 5 }, usageEstimated: false, latencyMs: 1, finishReason: 'stop' });
        }, delays[request.model] ?? 0);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        }, { once: true });
      });
    },
    contextWindow: () => undefined,
    price: () => undefined,
  };
}
