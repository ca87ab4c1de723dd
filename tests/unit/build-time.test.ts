import { describe, expect, it } from 'vitest';
import { resolveBuildTime } from '../../src/data/build-time';

describe('resolveBuildTime', () => {
  it('uses SOURCE_DATE_EPOCH when set', () => {
    expect(resolveBuildTime({ SOURCE_DATE_EPOCH: '1795608000' }).toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });
  it('falls back to the clock', () => {
    expect(resolveBuildTime({}, () => 42).getTime()).toBe(42);
  });
  it('rejects a malformed epoch', () => {
    expect(() => resolveBuildTime({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/whole seconds/);
  });
});
