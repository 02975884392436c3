/**
 * Objects keyed by names that come from outside — model names, question ids, domains from an import, a config or a
 * request — hold those names as data. A plain `record[name]` read finds `constructor` or `toString` on the prototype
 * when the record lacks them, and a plain `record[name] = v` write with `__proto__` replaces the prototype instead of
 * storing a key; these two never do.
 */

/** The value stored under `key` itself, never one inherited from the prototype. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Stores `value` under `key` as an own property, `__proto__` included. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
