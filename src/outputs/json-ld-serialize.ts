/**
 * JSON for a `<script type="application/ld+json">` block. `JSON.stringify` alone would let a
 * headline containing `</script>` or `<!--` end the block early, so `<`, `>` and `&` become
 * \u escapes; U+2028/U+2029 are escaped for older JavaScript parsers. `JSON.parse` reads the
 * result back unchanged.
 */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
