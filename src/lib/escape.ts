const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Plain text made safe in XML or HTML text and in double-quoted attribute values. Apostrophes stay as
 * they are: &#39; is unknown to some XML tools and &apos; to old HTML ones. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ENTITIES[c]!);
}
