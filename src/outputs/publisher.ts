import { getImage } from 'astro:assets';
import logo from '../assets/publisher-logo.png';
import { sizeOf } from '../images/photo-set';
import { siteConfig } from '../site.config';
import type { Publisher } from './json-ld';

let publisher: Promise<Publisher> | undefined;

/** The network as NewsArticle `publisher`. Replace src/assets/publisher-logo.png with your own
 * wordmark (a PNG at most 600×60 fits every search engine's guidance). */
export function getPublisher(): Promise<Publisher> {
  publisher ??= getImage({ src: logo, format: 'png' }).then((img) => ({
    name: siteConfig.name,
    url: new URL('/', siteConfig.url).href,
    logo: { url: new URL(img.src, siteConfig.url).href, ...sizeOf(logo) },
  }));
  return publisher;
}
