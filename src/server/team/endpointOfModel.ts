/** The endpoint id serving a model key, for the spend ledger: from the config's model lists (a discovered model: its endpoint when only one is configured). */
import type { EndpointConfig } from '../../core/contracts/config';

export function endpointOfModel(endpoints: readonly EndpointConfig[]): (model: string) => string {
  const byModel = new Map<string, string>();
  for (const e of endpoints) for (const m of e.models ?? []) byModel.set(typeof m === 'string' ? m : (m.alias ?? m.id), e.id);
  const only = endpoints.length === 1 ? endpoints[0]?.id : undefined;
  return (model) => byModel.get(model) ?? only ?? 'unknown';
}
