export interface Size {
  width: number;
  height: number;
}

/** Aspect ratios Google asks for in NewsArticle `image`; the 16:9 one is the Open Graph image too. */
export const CROP_RATIOS = {
  wide: [16, 9],
  standard: [4, 3],
  square: [1, 1],
} as const satisfies Record<string, readonly [number, number]>;

/** How wide share and JSON-LD crops are (Google asks for at least 1200 px; Open Graph for 1200). */
export const CROP_TARGET_WIDTH = 1200;

/**
 * The size of a centred crop of `ratio` from `source`: `targetWidth` wide when the source is big
 * enough, otherwise the largest crop it holds (images are never upscaled).
 */
export function cropSize(source: Size, ratio: readonly [number, number], targetWidth = CROP_TARGET_WIDTH): Size {
  const [rw, rh] = ratio;
  const widest = Math.min(source.width, Math.floor((source.height * rw) / rh));
  const width = Math.min(targetWidth, widest);
  return { width, height: Math.round((width * rh) / rw) };
}
