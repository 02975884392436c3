/**
 * Model keys two endpoints would share: a model key is the model id as its endpoint serves it, or the alias the config
 * gives it, and it must name one model (a label in the bank belongs to one model). Found when an endpoint is added, with the ways out the user may
 * choose there — alias the new ones, keep only one server for them, or skip them — instead of at the next Profile
 * Models. Free of `vscode`.
 */

/** A model of an endpoint in the settings: an id, or `{ id, alias }`. */
export type ModelSetting = string | { id: string; alias?: string };

/** How the user settles a clash: alias the new server's models, move them to the new server, or leave them out of it. */
export type ClashChoice = 'alias' | 'move' | 'skip';

/** A model key of the new server that another endpoint of the settings uses already. */
export interface Clash {
  key: string;
  /** The endpoint that has it. */
  endpoint: string;
}

function keyOf(model: unknown): string | undefined {
  if (typeof model === 'string') return model;
  if (typeof model !== 'object' || model === null) return undefined;
  const { id, alias } = model as { id?: unknown; alias?: unknown };
  return typeof alias === 'string' && alias !== '' ? alias : typeof id === 'string' ? id : undefined;
}

/** The new server's models whose key another endpoint (read leniently from the settings) already uses. */
export function findClashes(models: readonly string[], endpoints: readonly Record<string, unknown>[], newId: string): Clash[] {
  const owner = new Map<string, string>();
  for (const e of endpoints) {
    if (e.id === newId || !Array.isArray(e.models)) continue;
    for (const m of e.models) {
      const key = keyOf(m);
      if (key !== undefined && !owner.has(key)) owner.set(key, String(e.id));
    }
  }
  return models.flatMap((key) => {
    const endpoint = owner.get(key);
    return endpoint === undefined ? [] : [{ key, endpoint }];
  });
}

/** The alias a clashing model gets on the new server: `<model>@<endpoint id>`. */
export function clashAlias(model: string, endpointId: string): string {
  return `${model}@${endpointId}`;
}

/**
 * The settings after the choice: the new endpoint's model list (aliased, or without the clashing models) and, for
 * `move`, the other endpoints without them. Null when `skip` leaves the new server no model.
 */
export function settleClashes(
  models: readonly string[],
  clashes: readonly Clash[],
  choice: ClashChoice,
  newId: string,
  endpoints: readonly Record<string, unknown>[],
): { models: ModelSetting[]; endpoints: Record<string, unknown>[] } | null {
  const clashing = new Set(clashes.map((c) => c.key));
  if (choice === 'skip') {
    const kept = models.filter((m) => !clashing.has(m));
    return kept.length === 0 ? null : { models: kept, endpoints: [...endpoints] };
  }
  if (choice === 'alias') return { models: models.map((m) => (clashing.has(m) ? { id: m, alias: clashAlias(m, newId) } : m)), endpoints: [...endpoints] };
  const others = endpoints.map((e) => (Array.isArray(e.models) && clashes.some((c) => c.endpoint === e.id) ? { ...e, models: e.models.filter((m: unknown) => !clashing.has(keyOf(m) ?? '')) } : e));
  return { models: [...models], endpoints: others };
}
