// Sizes and rates in the units people read.

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** Per second over `ms` milliseconds; 0 before any time has passed. */
export const perSecond = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : 0);
