import type { APIRoute, GetStaticPaths } from 'astro';
import { readFileSync } from 'node:fs';
import { getBuildTime, getSiteIndex, rendersSharedPages } from '../data';
import { extensionOf } from '../lib/audio';

/** The files of one extension's route (`/audio/[hash]/[name].mp3`), at the paths the data layer gave them. */
export const getStaticPaths = (async ({ routePattern }) => {
  // A shard build renders story pages only (src/data/build-part.ts).
  if (!(await rendersSharedPages())) return [];
  const ext = extensionOf(routePattern);
  const index = await getSiteIndex({ now: getBuildTime() });
  return index.audioFiles
    .filter((f) => extensionOf(f.path) === ext)
    .map((f) => {
      const [, , hash, file] = f.path.split('/') as [string, string, string, string];
      return { params: { hash, name: file.slice(0, -(ext.length + 1)) }, props: { source: f.source, type: f.type } };
    });
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ source: string; type: string }> = ({ props }) =>
  new Response(readFileSync(props.source), { headers: { 'Content-Type': props.type } });
