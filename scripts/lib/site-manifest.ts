import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '../../src/lib/list-files.ts';
import { sha256 } from './publish-plan.ts';

/**
 * What a deploy would put live: every file of dist/ (host files included, since a changed
 * header is a change) and its SHA-256. The build is reproducible, so an unchanged site gives an
 * identical manifest, and a scheduled run with nothing due has nothing to deploy.
 */
export interface SiteManifest {
  version: 1;
  files: Record<string, string>;
}

/** Served with the site, so the next run can ask the live site what it is serving. */
export const SITE_MANIFEST_PATH = '.well-known/masthead-manifest.json';

export function siteManifest(dist: string): SiteManifest {
  const files: Record<string, string> = {};
  for (const file of listFiles(dist)) if (file !== SITE_MANIFEST_PATH) files[file] = sha256(readFileSync(join(dist, file)));
  return { version: 1, files };
}

export interface ManifestDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

export function diffManifests(live: SiteManifest, next: SiteManifest): ManifestDiff {
  const diff: ManifestDiff = { added: [], changed: [], removed: [] };
  for (const [file, hash] of Object.entries(next.files)) {
    if (!(file in live.files)) diff.added.push(file);
    else if (live.files[file] !== hash) diff.changed.push(file);
  }
  for (const file of Object.keys(live.files)) if (!(file in next.files)) diff.removed.push(file);
  for (const list of Object.values(diff)) list.sort();
  return diff;
}

export const isSameSite = (d: ManifestDiff) => !d.added.length && !d.changed.length && !d.removed.length;

/** A manifest read from the network is checked before it is trusted to skip a deploy. */
export function parseSiteManifest(text: string): SiteManifest | undefined {
  try {
    const m = JSON.parse(text) as Partial<SiteManifest>;
    if (m.version !== 1 || typeof m.files !== 'object' || m.files === null) return undefined;
    if (!Object.values(m.files).every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) return undefined;
    return m as SiteManifest;
  } catch {
    return undefined;
  }
}
