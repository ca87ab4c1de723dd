import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { z } from 'astro/zod';
import { parseYaml } from '../content/frontmatter';
import { imageFields, imageProblems } from './assets';
import { passedFields, type Passed } from './passed-fields';
import { readText } from './read-file';
import type { Report } from './report';
import { fieldName, schemaProblems } from './schema-problems';
import { IMAGE_FILES, list } from './walk';

export const MAX_DATA_FILE_BYTES = 256 * 1024;

export interface DataEntry<T> {
  id: string;
  /** A file with schema errors is still an entry, with the fields that passed. */
  data: Passed<T>;
}

/**
 * Stations or authors: one YAML file each, named by id, directly in their folder. Each file is
 * checked against its schema; stories naming it are then checked against what passed.
 */
export function readDataFiles<S extends z.ZodObject>(
  collection: 'stations' | 'authors',
  schema: S,
  contentDir: string,
  report: Report,
): DataEntry<z.output<S>>[] {
  const dir = join(contentDir, collection);
  const entries: DataEntry<z.output<S>>[] = [];
  if (!existsSync(dir)) {
    report(dir, {
      field: 'file',
      message: `the ${collection} folder is missing`,
      hint: `create content/${collection}/ with one .yaml file per ${collection.slice(0, -1)}`,
    });
    return entries;
  }
  const images = imageFields(schema);
  const { files, dirs } = list(dir, contentDir, report);
  for (const d of dirs) {
    report(d, { field: 'file', message: 'folders are not read here', hint: `put ${collection} directly in content/${collection}/` });
  }
  for (const file of files) {
    const name = file.slice(dir.length + 1);
    const ext = extname(name).toLowerCase();
    if (name.startsWith('.')) {
      if (ext === '.yaml' || ext === '.yml')
        report(file, {
          field: 'file',
          message: 'the build skips files whose names start with a dot',
          hint: `rename it to ${name.replace(/^\.+/, '')}`,
        });
      continue;
    }
    if (collection === 'authors' && IMAGE_FILES.has(ext)) continue; // author photos
    if (ext !== '.yaml' || extname(name) !== '.yaml') {
      report(file, {
        field: 'file',
        message: 'is not read: only .yaml files are',
        hint:
          ext === '.yml' || ext === '.yaml'
            ? `rename it to ${name.slice(0, -extname(name).length)}.yaml`
            : `move it out of content/${collection}/`,
      });
      continue;
    }
    const id = name.slice(0, -'.yaml'.length);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
      report(file, {
        field: 'file',
        message: `"${id}" is not a usable id`,
        hint: 'name the file with lowercase letters, digits and hyphens, e.g. kxpr.yaml',
      });
    }
    const read = readText(file, MAX_DATA_FILE_BYTES, `a ${collection.slice(0, -1)} file`);
    if ('problem' in read) {
      report(file, read.problem);
      continue;
    }
    const yaml = parseYaml(read.text);
    for (const p of yaml.problems) report(file, p);
    if (yaml.problems.length) continue;
    const r = schema.safeParse(yaml.data ?? {});
    if (!r.success) {
      for (const p of schemaProblems(r.error.issues, yaml.data, schema, collection)) {
        report(file, { field: fieldName(p.path), message: p.message, hint: p.hint, line: yaml.lineOf(p.path) });
      }
    }
    for (const p of imageProblems(yaml.data, images, file, contentDir, yaml.lineOf).problems) report(file, p);
    entries.push({ id, data: r.success ? (r.data as Passed<z.output<S>>) : passedFields(schema.shape, yaml.data) });
  }
  return entries;
}
