/** What a reader asked the search page for; it lives in the URL (`/search/?q=…&station=…`),
 * so the header's plain GET form, shared links and the back button all work. */
export interface SearchState {
  q: string;
  /** A station's name, as indexed by Pagefind's `station` filter; '' for all stations. */
  station: string;
  /** A topic's name, as indexed by Pagefind's `topic` filter; '' for all topics. */
  topic: string;
  sort: 'relevance' | 'newest';
}

/** Where the build writes the search bundle in dist/. Not `pagefind/`: Netlify's `/page/*` (home
 * pagination) would also match it, so `_headers` could not give the listing one rule. */
export const SEARCH_BUNDLE_DIR = '_pagefind';

/** Each URL parameter (and form field) is named as its part of the state, so code can use either. */
export const SEARCH_PARAMS: { readonly [K in keyof SearchState]: K } = { q: 'q', station: 'station', topic: 'topic', sort: 'sort' };

/** A reader's state before they ask for anything: what the URL leaves out. */
const DEFAULT_STATE: SearchState = { q: '', station: '', topic: '', sort: 'relevance' };

export function readSearchState(params: URLSearchParams): SearchState {
  const get = (name: keyof SearchState) => params.get(name) ?? '';
  return { q: get('q').trim(), station: get('station'), topic: get('topic'), sort: get('sort') === 'newest' ? 'newest' : 'relevance' };
}

/** The query string for a state, leaving out what is at its default. */
export function searchQueryString(state: SearchState): string {
  const params = new URLSearchParams();
  for (const name of Object.keys(DEFAULT_STATE) as (keyof SearchState)[])
    if (state[name] !== DEFAULT_STATE[name]) params.set(name, state[name]);
  const s = `${params}`;
  return s ? `?${s}` : '';
}

/** The subset of Pagefind's search options the page uses. */
export interface PagefindSearchOptions {
  filters: Record<string, string>;
  sort?: Record<string, 'asc' | 'desc'>;
}

/** Pagefind's arguments for a state, or null when there is nothing to search for. A filter
 * without words lists that station's or topic's stories, newest first. */
export function pagefindQuery(state: SearchState): { term: string | null; options: PagefindSearchOptions } | null {
  if (!state.q && !state.station && !state.topic) return null;
  const filters: Record<string, string> = {};
  if (state.station) filters.station = state.station;
  if (state.topic) filters.topic = state.topic;
  return { term: state.q || null, options: state.sort === 'newest' || !state.q ? { filters, sort: { date: 'desc' } } : { filters } };
}

/** "3 stories match “library” on KFIX 90.1" — the sentence the status line announces. While older
 * eras are unsearched, `searchedOnly` names the months it counted, so it never claims a total it did
 * not count: "12 stories match “x” in 2025–2026; older stories not yet searched". */
export function describeResults(count: number, state: SearchState, searchedOnly?: string): string {
  const parts = [count === 0 ? 'No stories' : count === 1 ? '1 story' : `${count} stories`];
  if (state.q) parts.push(`${count === 1 ? 'matches' : 'match'} “${state.q}”`);
  if (state.station) parts.push(`from ${state.station}`);
  if (state.topic) parts.push(`in ${state.topic}`);
  if (searchedOnly) parts.push(`in ${searchedOnly}; older stories not yet searched`);
  return parts.join(' ');
}

export interface YearMonth {
  year: number;
  /** 1–12 */
  month: number;
}

/** "2016", "2016–2019", "March–October 2026", "November 2025 – March 2026": a run of calendar months. */
export function periodLabel(from: YearMonth, to: YearMonth, lang: string): string {
  if (from.month === 1 && to.month === 12) return from.year === to.year ? `${from.year}` : `${from.year}–${to.year}`;
  const name = (m: YearMonth) =>
    new Intl.DateTimeFormat(lang, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(m.year, m.month - 1, 15));
  if (from.year !== to.year) return `${name(from)} ${from.year} – ${name(to)} ${to.year}`;
  return from.month === to.month ? `${name(from)} ${from.year}` : `${name(from)}–${name(to)} ${from.year}`;
}

/** The file under SEARCH_BUNDLE_DIR that lists the search eras, newest first (src/outputs/search-eras.ts). */
export const SEARCH_ERAS_FILE = 'eras.json';

/** The folder under SEARCH_BUNDLE_DIR holding the older eras' bundles, each in `<id>-<hash>/`: named
 * by their content, so the host serves the whole folder as immutable with one rule. */
export const SEARCH_ARCHIVE_DIR = 'archive';

/** One era of the archive with its own Pagefind bundle: every story published from `from` to `to`
 * (calendar months in the story's station zone, both included). */
export interface SearchEra {
  /** Its bundle's folder under SEARCH_BUNDLE_DIR: '' for the newest (so a one-era site keeps Pagefind's
   * usual layout), else `archive/<id>-<hash>/`. */
  dir: string;
  id: string;
  from: YearMonth;
  to: YearMonth;
  /** Its months as the page names them: "2016–2019", "March–October 2026". */
  label: string;
  /** From its first month to the newest era's last: what has been searched once it has ("2016–2026"). */
  searchedLabel: string;
  stories: number;
  /** Of them, indexed with their full text. */
  fullText: number;
}

export interface SearchErasManifest {
  eras: SearchEra[];
}
