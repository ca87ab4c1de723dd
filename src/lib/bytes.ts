const UNITS = ['KB', 'MB', 'GB'] as const;

/**
 * A size for people: `512 bytes`, `46.9 KB`, `25 MB`, `143 MB`. One base, 1024: a KB is 1024
 * bytes and an MB 1024 KB, as the hosts' limits (25 MB a file) and our own limits are set, so
 * each limit prints as the round number it is. One decimal below 100, none from 100 up.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  // 1023.5 and up would round to "1024 KB": print it as "1 MB", so each size has one spelling.
  while (value >= 1023.5 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 100 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${UNITS[unit]}`;
}

/**
 * A size and the limit it is measured against, for one message (`is 5 MB; must be under 1 MB`).
 * Rounded as `formatBytes`, unless rounding makes the two read the same (a 1.02 MB story would
 * print "is 1 MB; must be under 1 MB"): then each gets its exact byte count beside it.
 */
export function formatBytesAgainst(size: number, limit: number): [size: string, limit: string] {
  const shown = [formatBytes(size), formatBytes(limit)] as const;
  if (shown[0] !== shown[1]) return [...shown];
  const exact = (n: number) => `${n.toLocaleString('en-US')} bytes`;
  return [`${shown[0]} (${exact(size)})`, `${shown[1]} (${exact(limit)})`];
}
