import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, fetchPhoto, photoName, sniffImage } from '../../src/import/media';
import { aliasFor, capSlug, MAX_SLUG } from '../../src/import/write';
import { ROOT } from '../helpers/sites';

const JPEG = readFileSync(join(ROOT, 'tests/fixtures/import/uploads/2020/05/levee.jpg'));
const UPLOADS = join(ROOT, 'tests/fixtures/import/uploads');

let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const route = req.url ?? '';
    if (route === '/photo.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    else if (route === '/page.html') res.writeHead(200, { 'content-type': 'text/html' }).end('<p>not a photo</p>');
    else if (route === '/drawing.svg') res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg onload="x()"/>');
    else if (route === '/liar.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>not a jpeg</html>');
    else if (route === '/png-as-jpeg.jpg') res.writeHead(200, { 'content-type': 'image/png' }).end(JPEG);
    else if (route === '/huge-declared.jpg')
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(50_000_000) }).end();
    else if (route === '/huge-streamed.jpg') {
      // No length given: the cap must hold while the body streams.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 5_000_000 && res.write(chunk)) sent += chunk.length;
        if (sent < 5_000_000) res.once('drain', pump);
        else res.end();
      };
      pump();
    } else if (route === '/slow.jpg') setTimeout(() => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG), 3000);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('photo downloads', () => {
  it('downloads an allowed image and checks its bytes', async () => {
    const r = await download(`${origin}/photo.jpg`, 5000, 1_000_000);
    expect(r).toMatchObject({ ok: true, ext: '.jpg', how: 'downloaded' });
    expect(r.ok && r.bytes.equals(JPEG)).toBe(true);
  });

  it('refuses types outside the allowlist, SVG among them, and bytes that do not match the type', async () => {
    expect(await download(`${origin}/page.html`, 5000, 1_000_000)).toEqual({
      ok: false,
      reason: 'its content type is text/html, not one of image/jpeg, image/png, image/webp, image/gif, image/avif',
    });
    expect((await download(`${origin}/drawing.svg`, 5000, 1_000_000)).ok).toBe(false);
    expect(await download(`${origin}/liar.jpg`, 5000, 1_000_000)).toEqual({
      ok: false,
      reason: 'it is not a JPEG, PNG, WebP, GIF or AVIF image',
    });
    expect(await download(`${origin}/png-as-jpeg.jpg`, 5000, 1_000_000)).toEqual({
      ok: false,
      reason: 'it was sent as image/png but is a JPG file',
    });
    // An SVG address is refused before anything is fetched.
    expect(await fetchPhoto(`${origin}/drawing.svg`, { download: true, timeoutMs: 5000, maxBytes: 1_000_000 })).toEqual({
      ok: false,
      reason: 'SVG images are not imported (they can carry scripts)',
    });
  });

  it('enforces the size cap from the declared length and while streaming', async () => {
    expect(await download(`${origin}/huge-declared.jpg`, 5000, 1_000_000)).toEqual({
      ok: false,
      reason: 'it is 50000000 bytes, over the 1000000-byte limit',
    });
    expect(await download(`${origin}/huge-streamed.jpg`, 5000, 1_000_000)).toEqual({
      ok: false,
      reason: 'it is over the 1000000-byte limit',
    });
  });

  it('gives up after the timeout, and reports a missing file by status', async () => {
    const started = Date.now();
    expect(await download(`${origin}/slow.jpg`, 500, 1_000_000)).toEqual({ ok: false, reason: 'no answer within 0.5 s' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await download(`${origin}/missing.jpg`, 5000, 1_000_000)).toEqual({ ok: false, reason: 'the server answered 404' });
  });
});

describe('photos from disk', () => {
  const opts = { download: false, timeoutMs: 1000, maxBytes: 1_000_000 };

  it('copies from --uploads by the path after /wp-content/uploads/, without downloading', async () => {
    const r = await fetchPhoto('https://old.example.org/wp-content/uploads/2020/05/levee.jpg', { ...opts, uploadsDir: UPLOADS });
    expect(r).toMatchObject({ ok: true, how: 'copied', ext: '.jpg' });
    expect(await fetchPhoto('https://old.example.org/wp-content/uploads/2020/05/gone.jpg', { ...opts, uploadsDir: UPLOADS })).toEqual({
      ok: false,
      reason: 'not in --uploads, and downloads are off',
    });
  });

  it('never reads outside the folder it was given, through ../ or a symlink', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'media-test-'));
    const uploads = join(dir, 'uploads');
    mkdirSync(uploads);
    writeFileSync(join(dir, 'secret.jpg'), JPEG);
    symlinkSync(join(dir, 'secret.jpg'), join(uploads, 'link.jpg'));
    for (const path of ['..%2Fsecret.jpg', '../secret.jpg', 'link.jpg']) {
      const r = await fetchPhoto(`https://old.example.org/wp-content/uploads/${path}`, { ...opts, uploadsDir: uploads });
      expect(r.ok, path).toBe(false);
    }
    const page = join(dir, 'page');
    mkdirSync(page);
    const r = await fetchPhoto(pathToFileURL(join(dir, 'secret.jpg')).href, { ...opts, localDir: page });
    expect(r).toEqual({ ok: false, reason: 'not found beside the saved page' });
  });
});

describe('names and addresses', () => {
  it('names photos stably from their address, without WordPress size suffixes, and never twice', () => {
    const taken = new Set<string>();
    expect(photoName('levee-plan', 'https://x.org/wp-content/uploads/2020/05/Crowd%20Shot-1024x683.JPEG?ver=2', taken)).toBe(
      'levee-plan-crowd-shot.jpg',
    );
    expect(photoName('levee-plan', 'https://y.org/crowd-shot.jpg', taken)).toBe('levee-plan-crowd-shot-2.jpg');
    expect(photoName('s', 'https://x.org/image?id=4', taken)).toBe('s-image.jpg');
  });

  it('sniffs only the allowed formats', () => {
    expect(sniffImage(JPEG)).toBe('.jpg');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
  });

  it('keeps an old address as an alias only when it is a plain path on the old site', () => {
    const site = ['https://old.example.org'];
    expect(aliasFor('https://old.example.org/2020/05/01/levee-plan/', site)).toEqual({ alias: '/2020/05/01/levee-plan/' });
    expect(aliasFor('https://old.example.org/?p=123', site).reason).toMatch(/query string/);
    expect(aliasFor('https://other.example.org/2020/x/', site).reason).toBe('is on other.example.org, not this site');
    expect(aliasFor('https://old.example.org/2020/Levee-Plan/', site).reason).toMatch(/characters an alias may not use/);
    expect(aliasFor('https://old.example.org/2020/%E6%97%A5/', site).reason).toMatch(/non-ASCII/);
    expect(aliasFor('https://old.example.org/2020/a%2Fb/', site).reason).toMatch(/escaped characters/);
    expect(aliasFor('https://old.example.org/2020/a%2db/', site).alias).toBe('/2020/a-b/');
    // The URL parser resolves an escaped .. as browsers do; the alias is the path they would ask for.
    expect(aliasFor('https://old.example.org/2020/%2e%2e/x/', site).alias).toBe('/x/');
    expect(aliasFor('https://old.example.org//x/', site).reason).toMatch(/empty/);
    expect(aliasFor('https://old.example.org/a:b/', site).reason).toMatch(/characters/);
    expect(aliasFor('https://old.example.org/', site).reason).toBe('is the home page');
  });

  it('caps slugs at a word boundary', () => {
    const long = 'a-very-long-headline-that-goes-on-and-on-about-the-city-council-and-its-many-votes-on-the-bridge-and-the-levee';
    const capped = capSlug(long);
    expect(capped.length).toBeLessThanOrEqual(MAX_SLUG);
    expect(long.startsWith(capped)).toBe(true);
    expect(capped.endsWith('-')).toBe(false);
  });
});
