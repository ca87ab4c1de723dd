import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CMS_CONFIG_FILE, renderCmsConfig } from '../../scripts/cms-config';
import { EXAMPLES } from '../../src/checks/schema-problems';
import { entryProblems } from '../../src/client/admin/check';
import { missingInObject } from '../../src/client/admin/required-in-object';
import { TOPIC, topicOptions } from '../../src/client/admin/topic';
import { readArticlePage } from '../../src/integrations/web-editor';
import { ADMIN_CSP, adminRules, parseCsp } from '../../src/integrations/host-files/policy';

type Field = Record<string, unknown> & { name: string; widget: string; fields?: Field[]; field?: Field };
const config = parse(renderCmsConfig()) as { collections: { name: string; folder: string; fields: Field[] }[]; omit_empty_optional_fields: boolean };
const collection = (name: string) => config.collections.find((c) => c.name === name)!;
const field = (fields: Field[], name: string) => fields.find((f) => f.name === name)!;
const article = (name: string) => field(collection('articles').fields, name);

describe('the web editor config (public/admin/config.yml)', () => {
  it('is what the schemas generate: run npm run cms:config after a schema change', () => {
    expect(readFileSync(CMS_CONFIG_FILE, 'utf8')).toBe(renderCmsConfig());
  });

  it('has the three collections over their real folders', () => {
    expect(config.collections.map((c) => [c.name, c.folder])).toEqual([
      ['articles', 'content/articles'],
      ['stations', 'content/stations'],
      ['authors', 'content/authors'],
    ]);
    expect(config.omit_empty_optional_fields).toBe(true);
  });

  it('picks stations and authors from their files, and writes dates in the station-local form', () => {
    expect(article('station')).toMatchObject({ widget: 'relation', collection: 'stations', value_field: '{{slug}}' });
    expect(article('station').multiple).toBeUndefined();
    expect(article('byline')).toMatchObject({ widget: 'relation', collection: 'authors', multiple: true, min: 1 });
    for (const name of ['date', 'updated']) expect(article(name)).toMatchObject({ widget: 'datetime', format: 'YYYY-MM-DD HH:mm', picker_utc: false });
    expect(article('updated').required).toBe(false);
    expect(article('date').required).toBeUndefined();
  });

  it('lists tags one per entry, each offering the site’s topics and taking a new one', () => {
    expect(article('tags')).toMatchObject({ widget: 'list', max: 25, required: false, field: { name: 'tags', widget: TOPIC } });
    expect(topicOptions(['Water', 'Politics', 'Water', '', 3, ' '])).toEqual(['Water', 'Politics']);
    expect(topicOptions({ not: 'a list' })).toEqual([]);
  });

  it('has the photo as a file with alt and credit, lists for corrections, aliases tucked away, hints from check:content', () => {
    const image = article('image');
    expect(image).toMatchObject({ widget: 'object', required: false });
    expect(field(image.fields!, 'src')).toMatchObject({ widget: 'image', choose_url: false });
    expect(image.fields!.map((f) => f.name)).toEqual(['src', 'alt', 'credit', 'caption']);
    expect(field(image.fields!, 'alt')).toMatchObject({
      widget: 'required-in-object',
      hint: EXAMPLES.articles['image.alt'],
      message: `image.alt: is required (${EXAMPLES.articles['image.alt']})`,
    });
    expect(article('corrections')).toMatchObject({ widget: 'list' });
    expect(field(article('corrections').fields!, 'date')).toMatchObject({ widget: 'datetime' });
    expect(article('aliases')).toMatchObject({ widget: 'list', collapsed: true, required: false });
    expect(article('title').hint).toBe(EXAMPLES.articles.title);
    expect(article('slug').pattern).toEqual(['^[a-z0-9]+(?:-[a-z0-9]+)*$', 'must be lowercase words joined by hyphens, e.g. city-council-vote']);
    expect(article('body')).toMatchObject({ widget: 'markdown' });
  });
});

describe('the save check in the editor', () => {
  const story = { title: 'T', dek: 'D', byline: ['maria-okafor'], station: 'kxpr', date: '2026-11-20 09:30', body: 'x' };

  it('passes a good story and names a missing alt as check:content does', () => {
    expect(entryProblems(story)).toEqual([]);
    expect(entryProblems({ ...story, image: { src: 'a.jpg', alt: 'A', credit: 'C', caption: '' } })).toEqual([]);
    expect(entryProblems({ ...story, image: { src: 'a.jpg', alt: '', credit: 'C' } })).toEqual([
      `image.alt: is required (${EXAMPLES.articles['image.alt']})`,
    ]);
    expect(entryProblems({ ...story, slug: 'Bad Slug' })[0]).toMatch(/^slug: must be lowercase words joined by hyphens/);
    expect(entryProblems({ ...story, updatd: 'x' })).toEqual(['updatd: unknown field "updatd" (did you mean "updated"?)']);
  });
});

describe('a field its photo needs', () => {
  it('is missing only when the photo has other values', () => {
    expect(missingInObject('', { src: 'a.jpg', alt: '' })).toBe(true);
    expect(missingInObject(undefined, { credit: 'C' })).toBe(true);
    expect(missingInObject('', { src: '', alt: '', credit: '' })).toBe(false);
    expect(missingInObject(undefined, undefined)).toBe(false);
    expect(missingInObject('A photo', { src: 'a.jpg' })).toBe(false);
  });
});

describe('/admin/ on the host', () => {
  it('has its own policy and noindex only when the editor is built', () => {
    expect(adminRules(['index.html'])).toEqual([]);
    const [rule] = adminRules(['index.html', 'admin/index.html']);
    expect(rule!.path).toBe('/admin/*');
    expect(rule!.headers).toContainEqual(['X-Robots-Tag', 'noindex, nofollow']);
    const csp = parseCsp(ADMIN_CSP);
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-eval'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('reads a built article page for the preview: its stylesheets and scoped-style ids', () => {
    const page = readArticlePage(
      '<link rel="stylesheet" href="/_astro/a.css"><p class="credit x" data-astro-cid-abc>C</p><link rel="stylesheet" href="https://cdn.example/x.css">',
    );
    expect(page).toEqual({ styles: ['/_astro/a.css'], cids: { credit: ['data-astro-cid-abc'], x: ['data-astro-cid-abc'] } });
  });
});
