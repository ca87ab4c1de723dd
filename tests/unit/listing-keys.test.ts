import { describe, expect, it } from 'vitest';
import { cardDigest, listingChrome, listingKey, type CardFacts, type ListingPage } from '../../src/data/listing-keys';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { LISTING_CACHE_VERSION, readListingIndex, referencedAssets, type KeptListing } from '../../src/integrations/listing-cache';

const card = (over: Partial<CardFacts> = {}): CardFacts => ({
  id: '2026/a',
  path: '/news/2026/11/01/a/',
  data: { title: 'A headline', dek: 'A dek', image: { src: '/_astro/a.Hash1.jpg', width: 3000, height: 2000, format: 'jpg' } },
  topics: [{ slug: 'water', name: 'Water' }],
  station: 'kxpr',
  publishedAt: new Date('2026-11-01T09:00:00Z'),
  isDraft: false,
  byline: ['Ada Reporter'],
  ...over,
});
const chrome = (over: Partial<Parameters<typeof listingChrome>[0]> = {}) =>
  listingChrome({
    code: 'code-1',
    settings: { name: 'Site', pageSize: 12 },
    years: [2026],
    stations: [{ id: 'kxpr', data: { name: 'KXPR', tagline: 'News' } }],
    authors: [{ id: 'ada', data: { name: 'Ada Reporter' } }],
    nav: [{ slug: 'water', name: 'Water' }],
    ...over,
  });
const page = (over: Partial<ListingPage> = {}): ListingPage => ({
  route: 'topics/[slug]/[...page]',
  path: '/topics/water/',
  current: 1,
  last: 2,
  shows: { topic: { slug: 'water', name: 'Water' } },
  cards: [cardDigest(card()), cardDigest(card({ id: '2026/b', path: '/news/2026/11/01/b/' }))],
  ...over,
});

describe('listing keys', () => {
  const base = listingKey(chrome(), page());

  it('are the same for the same facts', () => {
    expect(listingKey(chrome(), page())).toBe(base);
    // Key order in data does not matter.
    expect(
      cardDigest(card({ data: { dek: 'A dek', title: 'A headline', image: card().data && (card().data as { image: unknown }).image } })),
    ).toBe(cardDigest(card()));
  });

  it('change with anything a card shows', () => {
    const a = cardDigest(card());
    for (const changed of [
      card({ data: { title: 'Another headline', dek: 'A dek' } }),
      card({ data: { title: 'A headline', dek: 'Another dek', image: (card().data as { image: unknown }).image } }),
      // The photo's built URL carries a hash of its file.
      card({
        data: { title: 'A headline', dek: 'A dek', image: { src: '/_astro/a.Hash2.jpg', width: 3000, height: 2000, format: 'jpg' } },
      }),
      card({ topics: [{ slug: 'water', name: 'WATER' }] }),
      card({ station: 'kfix' }),
      card({ publishedAt: new Date('2026-11-02T09:00:00Z') }),
      card({ path: '/news/2026/11/01/a-moved/' }),
      card({ byline: ['Ada Q. Renamed'] }),
      card({ isDraft: true }),
    ]) {
      expect(cardDigest(changed)).not.toBe(a);
    }
  });

  it('change with the page’s place, what it lists and its cards, in order', () => {
    const [first, second] = page().cards;
    for (const changed of [
      page({ current: 2 }),
      page({ last: 3 }),
      page({ path: '/topics/water/page/2/' }),
      page({ route: 'stations/[id]/[...page]' }),
      page({ shows: { topic: { slug: 'water', name: 'Water supply' } } }),
      page({ cards: [second!, first!] }),
      page({ cards: [first!] }),
    ]) {
      expect(listingKey(chrome(), changed)).not.toBe(base);
    }
  });

  it('change with the chrome: code, settings, stations, authors, navigation, the footer’s year', () => {
    for (const c of [
      chrome({ code: 'code-2' }),
      chrome({ settings: { name: 'Site', pageSize: 10 } }),
      chrome({ years: [2027] }),
      chrome({ stations: [{ id: 'kxpr', data: { name: 'KXPR', tagline: 'New tagline' } }] }),
      chrome({ authors: [{ id: 'ada', data: { name: 'Ada Q. Renamed' } }] }),
      chrome({ nav: [{ slug: 'fire', name: 'Fire' }] }),
    ]) {
      expect(listingKey(c, page())).not.toBe(base);
    }
  });

  it('reads an image through its clone, so computing a key does not mark the camera original as used', () => {
    let touched = false;
    // As Astro's image proxy (astro/dist/assets/utils/proxy.js): reading any field it has marks the original as used.
    const metadata = { src: '/_astro/a.Hash1.jpg', width: 3000, height: 2000, format: 'jpg' };
    const image = new Proxy(metadata, {
      get(target, name) {
        if (name === 'clone') return structuredClone(target);
        if (target[name as keyof typeof target] !== undefined) touched = true;
        return target[name as keyof typeof target];
      },
    });
    const d = cardDigest(card({ data: { title: 'A headline', dek: 'A dek', image } }));
    expect(touched).toBe(false);
    expect(d).toBe(cardDigest(card()));
  });
});

describe('referencedAssets', () => {
  it('lists each /_astro/ file a page names once, from src, srcset and href', () => {
    const html =
      '<link rel="stylesheet" href="/_astro/index.Ab1.css"><img src="/_astro/p.X1_Z2.webp" srcset="/_astro/p.X1_Z2.webp 480w, /_astro/p.X1_Z3.webp 720w"><script src="/_astro/a.B2.js?x=1"></script>';
    expect(referencedAssets(html)).toEqual(['a.B2.js', 'index.Ab1.css', 'p.X1_Z2.webp', 'p.X1_Z3.webp']);
  });

  it('keeps no page alive: the names it returns are not slices of the page', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heap();
    // 40 distinct pages of 2 MB each, as a build keeps the names of every listing it renders.
    const kept: string[][] = [];
    for (let i = 0; i < 40; i++) {
      const page = `<link rel="stylesheet" href="/_astro/index.Page${i}.css"><p>${'x'.repeat(2 ** 21)}${i}</p>`;
      kept.push(referencedAssets(page));
    }
    const grown = heap() - before;
    expect(kept.flat()).toHaveLength(40);
    expect(kept[7]).toEqual(['index.Page7.css']);
    // With slices, the 80 MB of pages stay reachable through the names.
    expect(grown).toBeLessThan(8 * 2 ** 20);
  });
});

describe('readListingIndex', () => {
  const kept = (file: string, assets: string[]): KeptListing => ({
    key: file,
    file,
    assets,
    head: { noindex: false },
    scan: {} as KeptListing['scan'],
  });

  it('keeps only the pages whose file and images are all in the cache; an index of another version counts for nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'listing-cache-'));
    try {
      mkdirSync(join(dir, 'pages'));
      mkdirSync(join(dir, 'assets'));
      for (const f of ['a.html', 'b.html', 'c.html']) writeFileSync(join(dir, 'pages', f), f);
      writeFileSync(join(dir, 'assets', 'p.webp'), 'x');
      const pages = {
        '/': kept('a.html', ['p.webp', 'index.css']),
        '/page/2/': kept('b.html', ['gone.avif']),
        '/page/3/': kept('missing.html', []),
        '/page/4/': kept('c.html', []),
      };
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: LISTING_CACHE_VERSION, pages }));
      // A style or script is not kept in the cache: every build writes it (the build refuses a kept page whose one is missing).
      expect(Object.keys(readListingIndex(dir).pages).sort()).toEqual(['/', '/page/4/']);
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: LISTING_CACHE_VERSION + 1, pages }));
      expect(readListingIndex(dir).pages).toEqual({});
      writeFileSync(join(dir, 'index.json'), '{"version":');
      expect(readListingIndex(dir).pages).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
