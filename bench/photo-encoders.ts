/**
 * Encoder settings weighed on the benchmark's photos, in one process so the ratios hold on a
 * busy machine: `npx node bench/photo-encoders.ts [photos=6] [only=regex]`.
 *
 * For each setting: CPU (user + system, every libvips thread) to produce the story page's
 * widths from one decoded photo, bytes per width, and SSIM (ssim.js) of the 1200 px file
 * against the original resized to the same size. Prints a Markdown table.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { ssim } from 'ssim.js';
import { formatBytes } from '../src/lib/bytes.ts';
import { cliArgs } from '../scripts/lib/cli.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CACHE = join(ROOT, 'bench/.work/photo-cache');
const { positionals } = cliArgs('photo-encoders', 'usage: npx node bench/photo-encoders.ts [photos=6] [only=regex]', {
  allowPositionals: true,
});
const count = Number(positionals[0] ?? 6);
const photos = readdirSync(CACHE)
  .filter((f) => /^42-3000x2000-\d+\.jpg$/.test(f))
  .sort()
  .slice(0, count)
  .map((f) => join(CACHE, f));
if (!photos.length) throw new Error('no cached benchmark photos; run `npm run bench -- --photos 20` first');

const WIDTHS = [480, 800, 1200, 1600];
type Setting = { name: string; encode: (s: Sharp) => Sharp };
const SETTINGS: Setting[] = [
  { name: 'AVIF effort 4, q50 (sharp default, today)', encode: (s) => s.avif({ quality: 50, effort: 4 }) },
  { name: 'AVIF effort 2, q50', encode: (s) => s.avif({ quality: 50, effort: 2 }) },
  { name: 'AVIF effort 2, q55', encode: (s) => s.avif({ quality: 55, effort: 2 }) },
  { name: 'AVIF effort 1, q50', encode: (s) => s.avif({ quality: 50, effort: 1 }) },
  { name: 'AVIF effort 0, q50', encode: (s) => s.avif({ quality: 50, effort: 0 }) },
  { name: 'AVIF effort 2, q45', encode: (s) => s.avif({ quality: 45, effort: 2 }) },
  { name: 'WebP q80 (sharp default, today)', encode: (s) => s.webp({ quality: 80 }) },
  { name: 'WebP q75', encode: (s) => s.webp({ quality: 75 }) },
  { name: 'WebP q75, effort 2', encode: (s) => s.webp({ quality: 75, effort: 2 }) },
  { name: 'WebP q70, effort 2', encode: (s) => s.webp({ quality: 70, effort: 2 }) },
  { name: 'JPEG q80 (libjpeg-turbo)', encode: (s) => s.jpeg({ quality: 80 }) },
  { name: 'JPEG q75 mozjpeg', encode: (s) => s.jpeg({ quality: 75, mozjpeg: true }) },
];

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function ssimOf(encoded: Buffer, original: Buffer): Promise<number> {
  const a = await sharp(encoded).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = a.info;
  const b = await sharp(original).resize(width, height, { fit: 'fill' }).ensureAlpha().raw().toBuffer();
  const img = (d: Buffer) => ({ data: new Uint8ClampedArray(d.buffer, d.byteOffset, d.length), width, height });
  return ssim(img(a.data), img(b)).mssim;
}

sharp.cache(false);
const decoded = await Promise.all(
  photos.map(async (p) => {
    const { data, info } = await sharp(p).raw().toBuffer({ resolveWithObject: true });
    return { original: await sharp(p).toBuffer(), data, info };
  }),
);
const t0 = cpu();
for (const p of photos) await sharp(p).raw().toBuffer();
const decodeCpu = (cpu() - t0) / photos.length;

console.log(
  `${photos.length} photos of 3000×2000; widths ${WIDTHS.join(', ')}; full decode ${(decodeCpu * 1000).toFixed(0)} ms CPU per photo\n`,
);
console.log('| setting | CPU per photo, 4 widths | bytes at 480 / 800 / 1200 / 1600 | SSIM at 1200 |');
console.log('|---|---:|---|---:|');
const only = positionals[1] ? new RegExp(positionals[1]) : undefined;
for (const setting of SETTINGS.filter((x) => !only || only.test(x.name))) {
  const bytes = WIDTHS.map(() => 0);
  let ssimSum = 0;
  let spent = 0;
  for (const d of decoded) {
    const start = cpu();
    const outs: Buffer[] = [];
    for (const w of WIDTHS) {
      const s = sharp(d.data, { raw: { width: d.info.width, height: d.info.height, channels: d.info.channels } }).resize({ width: w });
      outs.push(await setting.encode(s).toBuffer());
    }
    spent += cpu() - start;
    outs.forEach((o, i) => (bytes[i]! += o.length));
    ssimSum += await ssimOf(outs[2]!, d.original);
  }
  const n = decoded.length;
  console.log(
    `| ${setting.name} | ${((spent / n) * 1000).toFixed(0)} ms | ${bytes.map((b) => formatBytes(Math.round(b / n))).join(' / ')} | ${(ssimSum / n).toFixed(4)} |`,
  );
}
