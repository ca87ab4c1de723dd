import type { APIRoute, GetStaticPaths } from 'astro';
import { readFileSync } from 'node:fs';
import { getBuildTime, getSiteIndex } from '../../../data';

/** Publishes the audio files of published stories at the content-hashed paths the data layer
 * gave them (`/audio/<hash>/<name>`). Drafts' and embargoed stories' audio is never written. */
export const getStaticPaths = (async () => {
  const index = await getSiteIndex({ now: getBuildTime() });
  return index.audioFiles.map((f) => {
    const [, , hash, file] = f.path.split('/') as [string, string, string, string];
    return { params: { hash, file }, props: { source: f.source, type: f.type } };
  });
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ source: string; type: string }> = ({ props }) =>
  new Response(readFileSync(props.source), { headers: { 'Content-Type': props.type } });
