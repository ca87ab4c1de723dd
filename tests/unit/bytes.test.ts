import { expect, it } from 'vitest';
import { formatBytes } from '../../src/lib/bytes';
import { MAX_HOSTED_FILE_BYTES } from '../../src/content/limits';

it.each([
  [0, '0 bytes'],
  [1023, '1023 bytes'],
  [1024, '1 KB'],
  [48_044, '46.9 KB'],
  [64 * 1024, '64 KB'],
  [100 * 1024 - 1, '100 KB'],
  [262_144, '256 KB'],
  [1024 * 1024, '1 MB'],
  [4_360_000, '4.2 MB'],
  [143 * 1024 * 1024, '143 MB'],
  [3 * 1024 ** 3, '3 GB'],
  [5 * 1024 ** 4, '5120 GB'],
])('writes %i bytes as %s (base 1024)', (bytes, shown) => {
  expect(formatBytes(bytes)).toBe(shown);
});

it("prints the hosts' file limit as the round number it is", () => {
  expect(formatBytes(MAX_HOSTED_FILE_BYTES)).toBe('25 MB');
});
