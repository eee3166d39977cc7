/** Flattens nested objects into `a.b` keys; arrays and other values stay as they are. */
export function flattenRecord(record: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(record)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) flattenRecord(value as Record<string, unknown>, name, out);
    else out[name] = value;
  }
  return out;
}
