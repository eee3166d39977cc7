import DataLoader from 'dataloader';

/**
 * A per-request loader of rows by key: one query for all keys asked in the same tick, results in
 * the order asked, null for a key with no row.
 */
export function loaderByKey<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** A per-request loader of the rows that belong to each parent key (one-to-many), in `fetch`'s order. */
export function loaderOfMany<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, parentOf: (row: V) => K): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const groups = new Map<K, V[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get(parentOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}
