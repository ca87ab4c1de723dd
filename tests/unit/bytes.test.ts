import { expect, it } from 'vitest';
import { formatBytes, formatBytesAgainst } from '../../src/lib/bytes';
import { MAX_HOSTED_FILE_BYTES } from '../../src/content/limits';

it.each([
  [0, '0 bytes'],
  [1023, '1023 bytes'],
  [1024, '1 KB'],
  [48_044, '46.9 KB'],
  [64 * 1024, '64 KB'],
  [100 * 1024 - 1, '100 KB'],
  [262_144, '256 KB'],
  [1024 * 1024 - 1, '1 MB'], // not "1024 KB": one spelling for each size
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

it.each([
  [5 * 1024 * 1024, 1024 * 1024, ['5 MB', '1 MB']],
  [200_089, 64 * 1024, ['195 KB', '64 KB']],
  // Rounded alike, the two would read "is 1 MB; must be under 1 MB": the bytes settle it.
  [1_070_097, 1024 * 1024, ['1 MB (1,070,097 bytes)', '1 MB (1,048,576 bytes)']],
  [1024 * 1024, 1024 * 1024 - 1, ['1 MB (1,048,576 bytes)', '1 MB (1,048,575 bytes)']],
  [25 * 1024 * 1024 + 1, 25 * 1024 * 1024, ['25 MB (26,214,401 bytes)', '25 MB (26,214,400 bytes)']],
  [1025, 1024, ['1 KB (1,025 bytes)', '1 KB (1,024 bytes)']],
  [1000, 999, ['1000 bytes', '999 bytes']],
])('writes %i bytes against a limit of %i as %j', (size, limit, shown) => {
  expect(formatBytesAgainst(size, limit)).toEqual(shown);
});

it('never writes a size over its limit as the same figure', () => {
  for (let limit = 1; limit < 2 ** 31; limit = Math.ceil(limit * 1.37)) {
    for (const over of [1, 7, Math.ceil(limit * 0.001), Math.ceil(limit * 0.04)]) {
      const [size, max] = formatBytesAgainst(limit + over, limit);
      expect(size, `${limit + over} against ${limit}`).not.toBe(max);
    }
  }
});
