import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { isJavascriptUrl } from '../../src/lib/html.ts';
import { MAX_HOSTED_FILE_BYTES } from '../../src/content/limits.ts';
import { formatBytesAgainst } from '../../src/lib/bytes.ts';
import { result, type Check, type Site } from './types.ts';

/**
 * Every file of the build: none over the host's size limit, and no SVG that can run code.
 * An SVG opened directly is a document on the site's origin, so a script in it runs with the
 * site's cookies and storage; `_headers` is the first defence, this the second.
 */

/** Elements that run code or embed another document (in any namespace: in an XML document an
 * XHTML `<script>` runs as well as an SVG one). */
const ACTIVE_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'embed', 'object', 'handler', 'listener']);

/** What in an SVG could run code, each with its line; or why it does not parse as XML. */
export function svgDangers(text: string): string[] {
  const found: string[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('opentag', (tag) => {
    const at = `line ${parser.line}`;
    if (ACTIVE_ELEMENTS.has(tag.local.toLowerCase())) found.push(`<${tag.name}> (${at})`);
    for (const a of Object.values(tag.attributes)) {
      if (/^on/i.test(a.local)) found.push(`the event handler ${a.name}= on <${tag.name}> (${at})`);
      else if (isJavascriptUrl(a.value)) found.push(`a javascript: URL in ${a.name}= on <${tag.name}> (${at})`);
      // <set attributeName="href" to="javascript:…"> is caught above by its `to`; an animation of
      // an event handler attribute is refused whatever its value.
      else if (a.local === 'attributeName' && /^on/i.test(a.value)) found.push(`an animation of ${a.value}= on <${tag.name}> (${at})`);
    }
  });
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) found.push('a DOCTYPE that declares entities');
  });
  try {
    parser.write(text).close();
  } catch (e) {
    found.push(`markup that does not parse as XML (${(e as Error).message}), so it cannot be checked`);
  }
  return found;
}

export function filesCheck(site: Site): Check {
  return {
    name: 'files',
    finish() {
      const out = result();
      let svgs = 0;
      for (const file of site.allFiles) {
        const { size } = statSync(join(site.dist, file));
        if (size > MAX_HOSTED_FILE_BYTES) {
          const [shown, limit] = formatBytesAgainst(size, MAX_HOSTED_FILE_BYTES);
          out.problems.push({
            file,
            message: `is ${shown}; Cloudflare Pages refuses files over ${limit}`,
          });
        }
        if (!/\.svg$/i.test(file)) continue;
        svgs++;
        for (const danger of svgDangers(readFileSync(join(site.dist, file), 'utf8'))) {
          out.problems.push({ file, message: `is an SVG with ${danger}; opened directly it would run on the site's origin` });
        }
      }
      out.summary = `${site.allFiles.length} files, ${svgs} SVGs`;
      return out;
    },
  };
}
