/**
 * The bodies of the SMCS protocol (engine/serverProtocol.ts) validated: an ask an editor sends its team server, and the
 * reply a person chose. A field of the wrong shape is a 400 naming it, before anything is prepared or written.
 */
import type { Turn } from '../core/ask/conversation';
import type { ContextItem } from '../core/context/contextItem';
import type { ContextSource } from '../core/contracts/contextReport';
import { ConfigError, parseParamsOverride } from '../core/contracts/config';
import type { LearningReference } from '../core/grading/learning';
import type { CheckSource, CheckSummary } from '../core/contracts/checks';
import type { ServerAskRequest, ServerChoice } from '../engine/serverProtocol';
import { badRequest } from './errors';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const SOURCES: readonly ContextSource[] = ['file', 'selection', 'currentFile', 'problems', 'terminal', 'retrieved'];
const ROUTING = ['quality', 'balanced', 'budget'] as const;

function text(body: Json, field: string, where: string, required: true): string;
function text(body: Json, field: string, where: string, required: false): string | undefined;
function text(body: Json, field: string, where: string, required: boolean): string | undefined {
  const v = body[field];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string') throw badRequest(`${where}${field} must be a string`, `${where}${field}`);
  return v;
}

function list<T>(body: Json, field: string, read: (item: unknown, where: string) => T): T[] | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw badRequest(`${field} must be an array`, field);
  return v.map((item, i) => read(item, `${field}[${i}]`));
}

function stringItem(item: unknown, where: string): string {
  if (typeof item !== 'string') throw badRequest(`${where} must be a string`, where);
  return item;
}

function turn(item: unknown, where: string): Turn {
  if (!isObject(item)) throw badRequest(`${where} must be an object {question, answer}`, where);
  return { question: text(item, 'question', `${where}.`, true), answer: text(item, 'answer', `${where}.`, true) };
}

function line(item: Json, field: string, where: string): number {
  const v = item[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw badRequest(`${where}.${field} must be a whole number`, `${where}.${field}`);
  return v;
}

/** A context item as the editor gathered it; its tokens are counted again here rather than believed. */
function contextItem(item: unknown, where: string): ContextItem {
  if (!isObject(item)) throw badRequest(`${where} must be a context item`, where);
  const source = item.source;
  if (typeof source !== 'string' || !SOURCES.includes(source as ContextSource)) throw badRequest(`${where}.source must be one of ${SOURCES.join(', ')}`, `${where}.source`);
  const language = text(item, 'language', `${where}.`, false);
  const focusLine = item.focusLine === undefined ? undefined : line(item, 'focusLine', where);
  return {
    source: source as ContextSource,
    path: text(item, 'path', `${where}.`, true),
    startLine: line(item, 'startLine', where),
    endLine: line(item, 'endLine', where),
    tokens: line(item, 'tokens', where),
    reason: text(item, 'reason', `${where}.`, true),
    text: text(item, 'text', `${where}.`, true),
    ...(language !== undefined ? { language } : {}),
    ...(focusLine !== undefined ? { focusLine } : {}),
    ...(item.sendSecrets === true ? { sendSecrets: true } : {}),
    ...(item.outline === true ? { outline: true } : {}),
  };
}

/** `POST /v1/smcs/plans` and `/v1/smcs/asks`: the ask, validated. */
export function parseAskRequest(body: unknown): ServerAskRequest {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  const question = text(body, 'question', '', true);
  if (question.trim() === '') throw badRequest('question is empty: there is no question to answer', 'question');
  const routing = body.routing;
  if (routing !== undefined && !ROUTING.includes(routing as (typeof ROUTING)[number])) throw badRequest(`routing must be one of ${ROUTING.join(', ')}`, 'routing');
  let params: ServerAskRequest['params'];
  try {
    params = parseParamsOverride(body.params);
  } catch (err) {
    if (err instanceof ConfigError) throw badRequest(`params.${err.message}`, `params.${err.field}`);
    throw err;
  }
  const route = body.route;
  if (route !== undefined && route !== 'limited' && route !== 'uncut') throw badRequest('route must be limited or uncut', 'route');
  const history = list(body, 'history', turn);
  const attachments = list(body, 'attachments', contextItem);
  const attachmentNotes = list(body, 'attachmentNotes', stringItem);
  const include = list(body, 'include', stringItem);
  const system = text(body, 'system', '', false);
  return {
    question,
    ...(history ? { history } : {}),
    ...(attachments ? { attachments } : {}),
    ...(attachmentNotes ? { attachmentNotes } : {}),
    ...(system !== undefined ? { system } : {}),
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(routing !== undefined ? { routing: routing as ServerAskRequest['routing'] & string } : {}),
    ...(include ? { include } : {}),
    ...(route !== undefined ? { route } : {}),
  };
}

function reference(item: unknown, where: string): LearningReference {
  if (!isObject(item)) throw badRequest(`${where} must be an object {model, text, checks?}`, where);
  return {
    model: text(item, 'model', `${where}.`, true),
    text: text(item, 'text', `${where}.`, true),
    ...(item.checks !== undefined ? { checks: checkSummary(item.checks, `${where}.checks`) } : {}),
  };
}

const CHECK_SOURCES: readonly CheckSource[] = ['question', 'model'];

/** A reply's checks as the editor ran them: counts that add up, from a known source. */
function checkSummary(v: unknown, where: string): CheckSummary {
  if (!isObject(v)) throw badRequest(`${where} must be a check summary`, where);
  const counts = { total: line(v, 'total', where), passed: line(v, 'passed', where), failed: line(v, 'failed', where), errored: line(v, 'errored', where), timedOut: line(v, 'timedOut', where) };
  const source = v.source;
  if (!CHECK_SOURCES.includes(source as CheckSource)) throw badRequest(`${where}.source must be one of ${CHECK_SOURCES.join(', ')}`, `${where}.source`);
  if (counts.passed + counts.failed + counts.errored + counts.timedOut > counts.total) throw badRequest(`${where}: passed, failed, errored and timed out add up to more than total`, where);
  return { ...counts, source: source as CheckSource };
}

/** `POST /v1/smcs/choices`: the reply a person chose, validated. */
export function parseChoice(body: unknown): ServerChoice {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  const question = text(body, 'question', '', true);
  if (question.trim() === '') throw badRequest('question is empty', 'question');
  const references = list(body, 'references', reference);
  if (!references || references.length === 0) throw badRequest('references must name at least one referencer\'s reply', 'references');
  const earlier = list(body, 'earlier', stringItem);
  const context = text(body, 'context', '', false);
  return {
    question,
    references,
    chosen: text(body, 'chosen', '', true),
    implicit: body.implicit === true,
    ...(earlier ? { earlier } : {}),
    ...(context !== undefined ? { context } : {}),
  };
}
