import { SaxesParser } from 'saxes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileOfPath } from '../lib/links.ts';
import { result, type Check, type Site } from './types.ts';

/** Feeds and sitemaps parse, and every URL they list on this site has a file. */

/** A strict XML parse of a feed or sitemap: its root element and every URL it lists
 * (`<loc>`, `<link>`, `href=` and `url=` attributes), or the first well-formedness error. */
function readXml(text: string): { root?: string; urls: string[]; error?: string } {
  const parser = new SaxesParser({ position: true });
  const urls: string[] = [];
  let root: string | undefined;
  let collecting: string | undefined;
  let buffer = '';
  const local = (name: string) => name.replace(/^.*:/, '');
  parser.on('opentag', (tag) => {
    root ??= tag.name;
    for (const [name, value] of Object.entries(tag.attributes)) {
      if ((name === 'href' || name === 'url') && typeof value === 'string') urls.push(value);
    }
    if (local(tag.name) === 'loc' || local(tag.name) === 'link') {
      collecting = tag.name;
      buffer = '';
    }
  });
  parser.on('text', (t) => collecting && (buffer += t));
  parser.on('cdata', (t) => collecting && (buffer += t));
  parser.on('closetag', (tag) => {
    if (tag.name !== collecting) return;
    if (buffer.trim()) urls.push(buffer.trim());
    collecting = undefined;
  });
  try {
    parser.write(text).close();
  } catch (e) {
    return { urls, error: (e as Error).message };
  }
  return { root, urls };
}

export function feedsCheck(site: Site): Check {
  return { name: 'feeds', finish: () => checkFeeds(site) };
}

function checkFeeds({ dist, files, fileSet, origin }: Site) {
  const out = result();
  let feeds = 0;
  const checkUrls = (file: string, urls: string[]) => {
    for (const url of new Set(urls)) {
      let parsed: URL;
      try {
        parsed = new URL(url, origin ?? 'https://invalid.invalid');
      } catch {
        out.problems.push({ file, message: `lists "${url}", which is not a URL` });
        continue;
      }
      if (!origin || parsed.origin !== origin) continue;
      if (!fileOfPath(fileSet, parsed.pathname)) out.problems.push({ file, message: `lists ${url}, which has no file in the build` });
    }
  };

  for (const file of files) {
    if (/\.(xml|rss|atom)$/i.test(file)) {
      const xml = readXml(readFileSync(join(dist, file), 'utf8'));
      if (xml.error) {
        out.problems.push({ file, message: `does not parse as XML: ${xml.error}` });
        continue;
      }
      if (!xml.root || !/^(urlset|sitemapindex|rss|feed|rdf:RDF)$/.test(xml.root)) continue;
      feeds++;
      checkUrls(file, xml.urls);
    } else if (file.endsWith('.json') && !file.startsWith('_pagefind/')) {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(join(dist, file), 'utf8'));
      } catch (e) {
        out.problems.push({ file, message: `does not parse as JSON: ${(e as Error).message}` });
        continue;
      }
      const feed = doc as { version?: unknown; home_page_url?: string; feed_url?: string; items?: { url?: string }[] };
      if (typeof feed.version !== 'string' || !feed.version.startsWith('https://jsonfeed.org/version/')) continue;
      feeds++;
      const urls = [feed.home_page_url, feed.feed_url, ...(feed.items ?? []).map((i) => i.url)].filter(
        (u): u is string => typeof u === 'string',
      );
      checkUrls(file, urls);
    }
  }
  if (!origin)
    out.notes.push({ file: 'index.html', message: 'has no canonical link, so URLs in feeds and sitemaps could not be matched to files' });
  out.summary = `${feeds} feeds and sitemaps`;
  return out;
}
