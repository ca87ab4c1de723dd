import { Resvg } from '@resvg/resvg-js';
import satori, { type Font } from 'satori';
// Fonts ship inside npm packages and are inlined into the build, so cards need no network and no
// lookup of node_modules at run time. Satori reads WOFF (not WOFF2).
import serifLatin from '@fontsource/source-serif-4/files/source-serif-4-latin-700-normal.woff?inline';
import serifLatinExt from '@fontsource/source-serif-4/files/source-serif-4-latin-ext-700-normal.woff?inline';
import serifVietnamese from '@fontsource/source-serif-4/files/source-serif-4-vietnamese-700-normal.woff?inline';
import serifGreek from '@fontsource/source-serif-4/files/source-serif-4-greek-700-normal.woff?inline';
import serifCyrillic from '@fontsource/source-serif-4/files/source-serif-4-cyrillic-700-normal.woff?inline';
import sansLatin from '@fontsource/source-sans-3/files/source-sans-3-latin-700-normal.woff?inline';
import sansLatinExt from '@fontsource/source-sans-3/files/source-sans-3-latin-ext-700-normal.woff?inline';
import sansVietnamese from '@fontsource/source-sans-3/files/source-sans-3-vietnamese-700-normal.woff?inline';
import sansGreek from '@fontsource/source-sans-3/files/source-sans-3-greek-700-normal.woff?inline';
import sansCyrillic from '@fontsource/source-sans-3/files/source-sans-3-cyrillic-700-normal.woff?inline';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
const BAR = 84;
const PAD = 56;
/** The photo fills the right-hand side of the card below the station bar. */
export const CARD_PHOTO = { width: 480, height: CARD_HEIGHT - BAR };

export interface SocialCardInput {
  headline: string;
  stationName: string;
  siteName: string;
  /** The station's brand colour, `#rrggbb`. */
  accent: string;
  /** JPEG or PNG bytes already cropped to `CARD_PHOTO`. */
  photo?: { data: Uint8Array; type: 'image/jpeg' | 'image/png' } | undefined;
}

const dataUrlBytes = (url: string) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');

// Satori falls back only across differently named fonts, so each subset gets its own name and
// the text asks for the whole list ("Łódź" needs latin-ext, "Hà Nội" Vietnamese).
const SUBSETS = {
  latin: [serifLatin, sansLatin],
  ext: [serifLatinExt, sansLatinExt],
  vi: [serifVietnamese, sansVietnamese],
  el: [serifGreek, sansGreek],
  ru: [serifCyrillic, sansCyrillic],
};
const family = (kind: 'serif' | 'sans') =>
  Object.keys(SUBSETS)
    .map((s) => `${kind}-${s}`)
    .join(', ');

let fonts: Font[] | undefined;
function cardFonts(): Font[] {
  fonts ??= Object.entries(SUBSETS).flatMap(([subset, [serif, sans]]) => [
    { name: `serif-${subset}`, data: dataUrlBytes(serif!), weight: 700 as const, style: 'normal' as const },
    { name: `sans-${subset}`, data: dataUrlBytes(sans!), weight: 700 as const, style: 'normal' as const },
  ]);
  return fonts;
}

/**
 * The largest headline size whose estimated wrap fits the text box. Source Serif bold averages
 * about 0.5 em per character; word wrapping wastes some of each line, hence the slack.
 */
export function headlineFontSize(headline: string, boxWidth: number, boxHeight: number): number {
  for (const size of [76, 68, 60, 54, 48, 43, 38]) {
    const perLine = Math.floor(boxWidth / (size * 0.5 * 1.08));
    const lines = Math.ceil(headline.length / Math.max(perLine, 1));
    if (lines * size * 1.15 <= boxHeight) return size;
  }
  return 34;
}

interface Node {
  type: string;
  props: { style?: Record<string, string | number>; children?: string | Node | Node[]; [key: string]: unknown };
}
const el = (
  type: string,
  style: Node['props']['style'],
  children?: Node['props']['children'],
  extra: Record<string, unknown> = {},
): Node => ({
  type,
  props: { style, children, ...extra },
});

/** The card as a satori element tree: a station bar, the headline, the site name and the photo. */
export function socialCardTree(input: SocialCardInput): Node {
  const textWidth = CARD_WIDTH - (input.photo ? CARD_PHOTO.width : 0) - 2 * PAD;
  const headlineBox = CARD_HEIGHT - BAR - 2 * PAD - 56;
  const size = headlineFontSize(input.headline, textWidth, headlineBox);
  const photo = input.photo
    ? [
        el('img', { width: CARD_PHOTO.width, height: CARD_PHOTO.height, objectFit: 'cover' }, undefined, {
          src: `data:${input.photo.type};base64,${Buffer.from(input.photo.data).toString('base64')}`,
          width: CARD_PHOTO.width,
          height: CARD_PHOTO.height,
        }),
      ]
    : [];
  return el(
    'div',
    {
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      display: 'flex',
      flexDirection: 'column',
      backgroundColor: '#f5f3ef',
      fontFamily: family('sans'),
    },
    [
      el(
        'div',
        {
          display: 'flex',
          height: BAR,
          alignItems: 'center',
          padding: `0 ${PAD}px`,
          backgroundColor: input.accent,
          color: '#ffffff',
          fontSize: 34,
          fontWeight: 700,
        },
        input.stationName,
      ),
      el('div', { display: 'flex', flexGrow: 1 }, [
        el('div', { display: 'flex', flexDirection: 'column', justifyContent: 'space-between', width: textWidth + 2 * PAD, padding: PAD }, [
          el(
            'div',
            {
              display: 'block',
              fontFamily: family('serif'),
              fontWeight: 700,
              fontSize: size,
              lineHeight: 1.15,
              color: '#1b1b1b',
              lineClamp: 6,
              wordBreak: 'break-word',
            },
            input.headline,
          ),
          el('div', { display: 'flex', alignItems: 'center', fontSize: 26, fontWeight: 700, color: '#575757' }, [
            el('div', { width: 40, height: 6, backgroundColor: input.accent, marginRight: 16 }),
            el('div', { display: 'flex' }, input.siteName),
          ]),
        ]),
        ...photo,
      ]),
    ],
  );
}

/** A 1200×630 PNG share image. */
export async function renderSocialCard(input: SocialCardInput): Promise<Uint8Array> {
  const svg = await satori(socialCardTree(input) as unknown as Parameters<typeof satori>[0], {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: cardFonts(),
  });
  return new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
}

/** `/news/2026/11/20/slug/` → `/og/news/2026/11/20/slug.png`. */
export const socialCardPath = (articlePath: string) => `/og${articlePath.replace(/\/$/, '')}.png`;
