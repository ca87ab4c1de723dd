import rss from '@astrojs/rss';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { render } from 'astro:content';
import { siteConfig } from '../site.config';
import { getBuildTime } from '../data/build-time';
import { absolutizeHtml } from './absolute-urls';
import { escapeXml } from '../lib/escape';
import { FEED_NAMESPACES, feedItem, type FeedDefinition, type FeedImage } from './feeds';
import { feedPhoto } from './share-images';
import { isPublished, type Article } from '../data/site-index';
import { assertBody } from '../content/story-loader';
import { rendersSharedPages } from '../data';

let container: Promise<AstroContainer> | undefined;
const bodies = new Map<string, Promise<string>>();
const photos = new Map<string, Promise<FeedImage | undefined>>();

/**
 * A story's body as feed readers need it. `entry.rendered.html` still holds image placeholders
 * and root-relative links, so the body is rendered through the Container API (real `<img>`
 * URLs) and every URL is made absolute. Memoised: a story appears in several feeds.
 */
function bodyHtml(article: Article): Promise<string> {
  let html = bodies.get(article.id);
  if (!html) {
    html = (async () => {
      const c = await (container ??= AstroContainer.create());
      assertBody(article.entry);
      const { Content } = await render(article.entry);
      return absolutizeHtml(await c.renderToString(Content), siteConfig.url);
    })();
    bodies.set(article.id, html);
  }
  return html;
}

function leadPhoto(article: Article): Promise<FeedImage | undefined> {
  let photo = photos.get(article.id);
  if (!photo) {
    const image = article.entry.data.image;
    photo = image
      ? feedPhoto(image.src, siteConfig.url).then((p) => ({ ...p, alt: image.alt, credit: image.credit, caption: image.caption }))
      : Promise.resolve(undefined);
    photos.set(article.id, photo);
  }
  return photo;
}

/** An RSS 2.0 feed of the newest `siteConfig.feedItems` stories, with full content. Published
 * stories only: a preview build's drafts and scheduled stories never reach a feed reader. */
export async function feedResponse(feed: FeedDefinition, articles: readonly Article[]): Promise<Response> {
  const site = siteConfig.url;
  const now = getBuildTime();
  // A shard build keeps story pages only; its feeds are thrown away, so they list nothing.
  const shown = (await rendersSharedPages()) ? articles : [];
  const items = await Promise.all(
    shown
      .filter((a) => isPublished(a, now))
      .slice(0, siteConfig.feedItems)
      .map(async (a) => feedItem(a, { site, bodyHtml: await bodyHtml(a), image: await leadPhoto(a) })),
  );
  const self = new URL(feed.path, site).href;
  return rss({
    title: feed.title,
    description: feed.description,
    site: new URL(feed.pagePath, site).href,
    trailingSlash: true,
    xmlns: FEED_NAMESPACES,
    customData: `<language>${escapeXml(siteConfig.lang)}</language><atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml" />`,
    items,
  });
}
