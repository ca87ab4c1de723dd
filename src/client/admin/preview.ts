/**
 * The editor's article preview: the markup of ArticleLayout (station chrome, headline, byline,
 * dateline, photo and credit, corrections, wire line) with the site's own CSS. Scoped component
 * styles match through the `data-astro-cid-*` attributes the build read from a real article page.
 */

import { rememberEntry } from './required-in-object.ts';

/** What the integration serves at /admin/preview.json. */
export interface PreviewData {
  /** The site's stylesheets, as an article page links them. */
  styles: string[];
  /** Class name → the `data-astro-cid-*` attributes it carries on a built article page. */
  cids: Record<string, string[]>;
  stations: Record<string, { name: string; tagline: string; accent?: string }>;
  authors: Record<string, string>;
}

type Child = unknown;
type H = (tag: string, props: Record<string, unknown> | null, ...children: Child[]) => unknown;
interface EntryLike {
  get(key: string): unknown;
  getIn(path: string[]): unknown;
}
interface PreviewProps {
  entry: EntryLike;
  widgetFor(name: string): unknown;
  getAsset(path: string): { toString(): string } | undefined;
}

const toJs = (v: unknown): unknown => (v && typeof (v as { toJS?: unknown }).toJS === 'function' ? (v as { toJS(): unknown }).toJS() : v);
const text = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));

export function articlePreview(data: PreviewData) {
  return function ArticlePreview(props: PreviewProps) {
    const h = (window as unknown as { h: H }).h;
    const el = (tag: string, cls: string | null, props: Record<string, unknown> | null, ...children: Child[]) => {
      const attrs: Record<string, unknown> = { ...props };
      if (cls) {
        attrs.className = cls;
        for (const c of cls.split(' ')) for (const cid of data.cids[c] ?? []) attrs[cid] = '';
      }
      return h(tag, attrs, ...children);
    };
    rememberEntry(props.entry);
    const get = (...path: string[]) => toJs(props.entry.getIn(['data', ...path]));
    const stationId = text(get('station'));
    const station = data.stations[stationId];
    const byline = ([] as unknown[]).concat(get('byline') ?? []).map((b) => data.authors[text(b)] ?? text(b));
    const image = get('image') as { src?: string; alt?: string; credit?: string; caption?: string } | undefined;
    const corrections = (get('corrections') as { date?: string; text?: string }[] | undefined) ?? [];
    const copyright = text(get('copyright'));
    const source = get('source') as { name?: string; url?: string } | undefined;
    const tags = (get('tags') as string[] | undefined) ?? [];
    const dateline = text(get('dateline'));
    const date = text(get('date'));
    const updated = text(get('updated'));

    const chrome = el(
      'header',
      'station-header',
      { style: station?.accent ? { '--mh-color-accent': station.accent } : undefined },
      el(
        'div',
        'brand-bar',
        null,
        el('div', 'page-width brand-row', null, el('span', 'brand', null, el('span', 'name', null, station?.name ?? (stationId || 'Station')), el('span', 'tagline', null, station?.tagline ?? ''))),
      ),
    );
    const photo =
      image?.src &&
      el(
        'figure',
        'photo',
        null,
        h('img', { src: props.getAsset(image.src)?.toString() ?? image.src, alt: image.alt ?? '' }),
        el('figcaption', null, null, image.caption ? el('span', 'caption', null, image.caption) : null, el('span', 'credit', null, image.credit ?? '')),
      );
    const wire =
      (copyright || source?.name) &&
      el('p', 'wire-credit', null, copyright ? `${copyright.replace(/\.?$/, '.')} ` : '', source?.name ? ['To see more, visit ', h('a', { href: source.url }, source.name), '.'] : null);
    return h(
      'div',
      null,
      chrome,
      h(
        'main',
        { id: 'main' },
        el(
          'div',
          'page-width',
          null,
          el(
            'article',
            'article',
            null,
            el(
              'header',
              'article-header',
              null,
              tags[0] ? el('p', 'kicker', null, h('a', { href: '#' }, tags[0])) : null,
              h('h1', null, text(get('title'))),
              el('p', 'dek', null, text(get('dek'))),
              el(
                'div',
                'meta',
                null,
                el('p', 'byline', null, 'By ', byline.join(byline.length > 2 ? ', ' : ' and '), ' ', el('span', 'station', null, station?.name ?? '')),
                el('p', 'dates', null, h('span', null, 'Published ', h('time', null, date)), updated ? h('span', null, ' Updated ', h('time', null, updated)) : null),
              ),
            ),
            photo || null,
            el('div', 'body', null, dateline ? el('span', 'dateline', null, `${dateline} — `) : null, props.widgetFor('body')),
            corrections.length
              ? el(
                  'aside',
                  'corrections',
                  null,
                  h('h2', null, corrections.length === 1 ? 'Correction' : 'Corrections'),
                  h('ul', null, ...corrections.map((c) => h('li', null, h('time', null, text(c.date)), `: ${text(c.text)}`))),
                )
              : null,
            wire || null,
          ),
        ),
      ),
    );
  };
}
