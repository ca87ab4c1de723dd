import { describe, expect, it } from 'vitest';
import { CROP_RATIOS, cropSize } from '../../src/images/crops';

describe('cropSize', () => {
  it('is 1200 px wide when the source allows', () => {
    const source = { width: 2000, height: 1333 };
    expect(cropSize(source, CROP_RATIOS.wide)).toEqual({ width: 1200, height: 675 });
    expect(cropSize(source, CROP_RATIOS.standard)).toEqual({ width: 1200, height: 900 });
    expect(cropSize(source, CROP_RATIOS.square)).toEqual({ width: 1200, height: 1200 });
  });

  it('takes the largest crop a smaller source holds, never upscaling', () => {
    expect(cropSize({ width: 1600, height: 1000 }, CROP_RATIOS.square)).toEqual({ width: 1000, height: 1000 });
    expect(cropSize({ width: 800, height: 600 }, CROP_RATIOS.wide)).toEqual({ width: 800, height: 450 });
    expect(cropSize({ width: 1000, height: 500 }, CROP_RATIOS.standard)).toEqual({ width: 666, height: 500 });
  });
});
