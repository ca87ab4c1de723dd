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
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 100 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${UNITS[unit]}`;
}
