/**
 * The models the server offers: `smcs` (the configured routing mode), one per routing mode, `smcs-fast` (K=3, n=1),
 * and every configured model as `smcs/<model key>` for a direct pass-through.
 */
import { PRESETS, type SmcsParams } from '../core/contracts/types';
import { ROUTING_MODES, type RoutingMode } from '../core/contracts/routingReport';
import { ApiError } from './errors';

/** What a model name asks for: the whole method (with a routing mode or preset), or one model directly. */
export type ServedModel =
  | { kind: 'ensemble'; id: string; routing?: RoutingMode; params?: Partial<SmcsParams> }
  | { kind: 'direct'; id: string; model: string };

/** The prefix of the pass-through models. */
export const DIRECT_PREFIX = 'smcs/';

/** Every model the server offers, the ensemble ones first, then each configured model in configured order. */
export function servedModels(modelKeys: readonly string[]): ServedModel[] {
  return [
    { kind: 'ensemble', id: 'smcs' },
    ...ROUTING_MODES.map((mode): ServedModel => ({ kind: 'ensemble', id: `smcs-${mode}`, routing: mode })),
    { kind: 'ensemble', id: 'smcs-fast', params: { ...PRESETS.fast } },
    ...modelKeys.map((model): ServedModel => ({ kind: 'direct', id: `${DIRECT_PREFIX}${model}`, model })),
  ];
}

/** The model a request names; 404 `model_not_found` naming the offered ones when it is none of them. */
export function resolveModel(id: string, modelKeys: readonly string[]): ServedModel {
  const offered = servedModels(modelKeys);
  const found = offered.find((m) => m.id === id);
  if (found) return found;
  throw new ApiError(404, `the model ${JSON.stringify(id)} does not exist; this server offers ${offered.map((m) => m.id).join(', ')}`, 'invalid_request_error', 'model_not_found', 'model');
}

/** `GET /v1/models` as OpenAI answers it. */
export function modelList(modelKeys: readonly string[], created: number): { object: 'list'; data: { id: string; object: 'model'; created: number; owned_by: string }[] } {
  return { object: 'list', data: servedModels(modelKeys).map((m) => ({ id: m.id, object: 'model', created, owned_by: 'smcs' })) };
}
