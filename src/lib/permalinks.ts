import { zonedParts } from './dates.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** `/news/YYYY/MM/DD/<slug>/`, dated in the station's time zone so the URL matches the
 * date readers see. Depends only on the publish date, zone and slug, never on other stories. */
export function articlePath(publishedAt: Date, timeZone: string, slug: string): string {
  const p = zonedParts(publishedAt, timeZone);
  return `/news/${p.year}/${pad(p.month)}/${pad(p.day)}/${slug}/`;
}

export const stationPath = (id: string) => `/stations/${id}/`;
export const schedulePath = (id: string) => `/stations/${id}/schedule/`;
export const authorPath = (id: string) => `/authors/${id}/`;
export const topicPath = (slug: string) => `/topics/${slug}/`;
export const monthPath = (year: number, month: number) => `/archive/${year}/${pad(month)}/`;
export const archivePath = () => '/archive/';

/** Page N of a paginated listing rooted at `base` (page 1 is the base itself). */
export function pagedPath(base: string, page: number): string {
  return page <= 1 ? base : `${base}page/${page}/`;
}
