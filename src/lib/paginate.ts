export interface PageSlice<T> {
  /** Rest-parameter value: undefined for page 1, `page/N` after. */
  param: string | undefined;
  current: number;
  last: number;
  items: T[];
}

/** Splits a listing into pages served at `base`, `base/page/2/`, … Page 1 always exists,
 * so an empty listing still has a page. */
export function paginate<T>(items: T[], pageSize: number): PageSlice<T>[] {
  const last = Math.max(1, Math.ceil(items.length / pageSize));
  return Array.from({ length: last }, (_, i) => ({
    param: i === 0 ? undefined : `page/${i + 1}`,
    current: i + 1,
    last,
    items: items.slice(i * pageSize, (i + 1) * pageSize),
  }));
}
