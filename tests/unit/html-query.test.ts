import { expect, it } from 'vitest';
import { all, attr, closest, one, parentOf, parseFragment, parsePage, text, the } from '../helpers/html';

const page = parsePage(
  '<!doctype html><html lang="en-US"><body><article><p class="a  b" data-x="1">Hi <b>there</b></p>' +
    '<picture><source type="image/avif" srcset="/c/w=400,q=80/a.avif 400w, /c/w=800,q=80/a.avif 800w"><img src="/a.jpg" alt=""></picture>' +
    '</article><svg viewBox="0 0 1 1"><use href="#q"></use></svg><template><b>in a template</b></template></body></html>',
);

it('answers CSS selectors as querySelector does (template contents are not in the document)', () => {
  expect(all(page, 'article p[data-x="1"] b').map((b) => text(b))).toEqual(['there']);
  expect(all(page, 'b')).toHaveLength(1);
  expect(one(page, 'main')).toBeUndefined();
  expect(() => the(page, 'main')).toThrow('no element matches main');
  expect(all(page, ':has(> img) source')).toHaveLength(1);
});

it('reads attributes as written: a srcset with commas inside its URLs, spacing, SVG names, empty values', () => {
  expect(attr(one(page, 'source'), 'srcset')).toBe('/c/w=400,q=80/a.avif 400w, /c/w=800,q=80/a.avif 800w');
  expect(attr(one(page, 'p'), 'class')).toBe('a  b');
  expect(attr(one(page, 'svg'), 'viewBox')).toBe('0 0 1 1');
  expect(attr(one(page, 'img'), 'alt')).toBe('');
  expect(attr(one(page, 'img'), 'title')).toBeUndefined();
  expect(attr(one(page, 'html'), 'lang')).toBe('en-US');
});

it('gives textContent, and finds parents and ancestors', () => {
  expect(text(one(page, 'p'))).toBe('Hi there');
  expect(text(all(page, 'p, b'))).toBe('Hi therethere');
  expect(text(undefined)).toBe('');
  const img = the(page, 'img');
  expect(parentOf(page, img)?.tagName).toBe('picture');
  expect(closest(page, img, 'article')).toBe(one(page, 'article'));
  expect(closest(page, img, 'main')).toBeUndefined();
  expect(text(parseFragment('<p>a &amp; <i>b</i></p>'))).toBe('a & b');
});
