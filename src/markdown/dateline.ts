import { defineMdastPlugin, type MdastPluginEntry } from 'satteri';
import { escapeXml } from '../lib/escape';

/** Renders the `dateline` frontmatter field as the lead-in of the first paragraph:
 * "<span class="dateline">ASTANA, Kazakhstan —</span> The first sentence…". */
export const datelinePlugin: MdastPluginEntry = (ctx) => {
  const astro = ctx.data.astro as { frontmatter?: Record<string, unknown> } | undefined;
  const dateline = astro?.frontmatter?.dateline;
  if (typeof dateline !== 'string' || !dateline.trim()) return null;
  let done = false;
  return defineMdastPlugin({
    name: 'masthead-dateline',
    paragraph(node, visit) {
      if (done || visit.parent(node).type !== 'root') return;
      done = true;
      visit.prependChild(node, {
        type: 'html',
        value: `<span class="dateline">${escapeXml(dateline.trim())} —</span> `,
      });
    },
  });
};
