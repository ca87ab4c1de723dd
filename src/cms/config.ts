/**
 * The web editor's (Decap CMS) configuration, derived from the zod schemas: each field's widget,
 * whether it is required, its limits and hint come from the same declarations `check:content`
 * uses, so a schema change cannot leave the editor behind (tests/unit/cms-config.test.ts).
 * JSON Schema says types, limits and patterns; `.meta({ cms })` says what it cannot (a relation
 * to another collection, a date-time, a long text, an advanced field).
 */
import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { articleSchema } from '../schemas/article.ts';
import { authorSchema } from '../schemas/author.ts';
import { stationSchema } from '../schemas/station.ts';
import { EXAMPLES, schemaProblems, type Collection } from '../checks/schema-problems.ts';
import { REQUIRED_IN_OBJECT } from '../client/admin/required-in-object.ts';
import { TOPIC } from '../client/admin/topic.ts';

/** What `.meta({ cms })` may say about a field. */
export interface CmsMeta {
  /** `string`: a union whose text form is the one the editor writes (a running time "4:32"). */
  widget?: 'text' | 'datetime' | 'string' | 'image' | typeof TOPIC;
  relation?: 'stations' | 'authors';
  advanced?: boolean;
}

/** A JSON Schema node as `z.toJSONSchema` writes it (the parts read here). */
interface Json {
  type?: string;
  title?: string;
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  anyOf?: Json[];
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  cms?: CmsMeta;
}

export type CmsField = Record<string, unknown> & { name: string; widget: string };

/** Where the editor commits, and through which OAuth client. */
export interface EditorSettings {
  repo: string;
  branch: string;
  /** The external OAuth client (docs/editing.md, "Sign-in"); unset uses Netlify's. */
  authBaseUrl?: string;
  siteUrl: string;
}

/** The date form the content model reads in the station's time zone (src/lib/dates.ts). */
export const CMS_DATE_FORMAT = 'YYYY-MM-DD HH:mm';

// Photos are files: the schemas' image() becomes a string the editor fills with its image widget.
const fileContext = { image: () => z.string().min(1).meta({ cms: { widget: 'image' } }) } as unknown as SchemaContext;

const SCHEMAS = {
  articles: articleSchema(fileContext),
  stations: stationSchema,
  authors: authorSchema(fileContext),
} satisfies Record<Collection, z.ZodType>;

const humanize = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** check:content's wording for a value that breaks `node`'s pattern (the schema's own message). */
function patternMessage(collection: Collection, path: string[], pattern: string): string {
  const probe = '\u0000';
  type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };
  const shapeAt = (s: z.ZodType, rest: string[]): z.ZodType | undefined => {
    const def = (s as unknown as { _zod: { def: Def } })._zod.def;
    if (def.type === 'optional' || def.type === 'default') return shapeAt(def.innerType!, rest);
    if (def.type === 'pipe') return shapeAt(def.in!, rest);
    if (def.type === 'array') return shapeAt(def.element!, rest);
    if (def.type === 'union') {
      // The text branch: patterns only exist on strings.
      const found = def.options!.map((o) => shapeAt(o, rest)).filter((f) => f !== undefined);
      return found.find((f) => (f as unknown as { _zod: { def: Def } })._zod.def.type === 'string') ?? found[0];
    }
    if (!rest.length) return s;
    if (def.type === 'object') return def.shape?.[rest[0]!] && shapeAt(def.shape[rest[0]!]!, rest.slice(1));
    return undefined;
  };
  const field = shapeAt(SCHEMAS[collection], path);
  const issues = field?.safeParse(probe).error?.issues ?? [];
  const message = schemaProblems(issues, probe, field, collection)[0]?.message;
  return message ?? `must match ${pattern}`;
}

function hintFor(collection: Collection, path: string[]): string | undefined {
  return (EXAMPLES[collection] as Record<string, string>)[path.join('.')];
}

/** One schema property as a Decap field. */
function fieldFor(collection: Collection, path: string[], node: Json, required: boolean): CmsField {
  const name = path.at(-1)!;
  const cms = node.cms ?? node.anyOf?.find((n) => n.cms)?.cms ?? {};
  const base: CmsField = { name, label: node.title ?? humanize(name), widget: 'string' };
  if (!required) base.required = false;
  const hint = hintFor(collection, path);
  if (hint) base.hint = hint;
  const limits = (n: Json): Record<string, unknown> =>
    n.minItems !== undefined || n.maxItems !== undefined
      ? { ...(n.minItems !== undefined && { min: n.minItems }), ...(n.maxItems !== undefined && { max: n.maxItems }) }
      : {};

  if (cms.relation) {
    const list = node.anyOf?.find((n) => n.type === 'array');
    return {
      ...base,
      widget: 'relation',
      collection: cms.relation,
      value_field: '{{slug}}',
      search_fields: ['name'],
      display_fields: ['name'],
      ...(list && { multiple: true, ...limits(list) }),
    };
  }
  if (cms.widget === 'datetime') {
    return { ...base, widget: 'datetime', format: CMS_DATE_FORMAT, date_format: 'YYYY-MM-DD', time_format: 'HH:mm', picker_utc: false };
  }
  if (cms.widget === 'image') return { ...base, widget: 'image', choose_url: false };
  if (cms.advanced) base.collapsed = true;

  // "One or a list of them" (a stream, a program's days): the editor always writes the list.
  const alternatives = node.anyOf;
  if (alternatives && cms.widget === 'string') {
    const text = alternatives.find((n) => n.type === 'string');
    if (text) return fieldFor(collection, path, { ...text, title: node.title }, required);
  }
  if (alternatives) {
    const list = alternatives.find((n) => n.type === 'array');
    if (!list) throw new Error(`src/cms/config.ts: ${collection}.${path.join('.')}: no widget for this union; give it .meta({ cms })`);
    const enumerated = alternatives.flatMap((n) => n.enum ?? []);
    if (list.items?.enum) {
      return { ...base, widget: 'select', multiple: true, options: [...new Set([...enumerated, ...list.items.enum])], ...limits(list) };
    }
    return fieldFor(collection, path, { ...list, title: node.title }, required);
  }
  if (node.enum) return { ...base, widget: 'select', options: node.enum };
  switch (node.type) {
    case 'string': {
      const widget = cms.widget === 'text' ? 'text' : 'string';
      const out: CmsField = { ...base, widget };
      if (node.pattern) out.pattern = [node.pattern, patternMessage(collection, path, node.pattern)];
      return out;
    }
    case 'boolean':
      return { ...base, widget: 'boolean', default: node.default ?? false };
    case 'number':
    case 'integer':
      return { ...base, widget: 'number', value_type: node.type === 'integer' ? 'int' : 'float' };
    case 'object':
      return { ...base, widget: 'object', fields: fieldsOf(collection, path, node, !required) };
    case 'array': {
      const items = node.items ?? {};
      if (items.type === 'object') {
        return { ...base, widget: 'list', ...limits(node), fields: fieldsOf(collection, path, items) };
      }
      if (items.type === 'string' && !items.pattern && !items.enum) {
        // One entry per item; a topic's entry offers the site's topics and takes a new one too.
        const widget = items.cms?.widget === TOPIC ? TOPIC : 'string';
        return { ...base, widget: 'list', ...limits(node), field: { name: path.at(-1)!, label: humanize(name), widget } };
      }
      return { ...base, widget: 'list', ...limits(node), field: fieldFor(collection, path, items, true) };
    }
    default:
      throw new Error(`src/cms/config.ts: ${collection}.${path.join('.')}: no widget for JSON Schema type ${String(node.type)}`);
  }
}

function fieldsOf(collection: Collection, path: string[], node: Json, optionalParent = false): CmsField[] {
  // Decap checks an optional object's required fields even when the object is left empty (no
  // photo, no audio), so there they are optional; the save check (src/client/admin/) then names
  // a missing one in check:content's words, e.g. "image.alt: is required".
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).map(([key, child]) => {
    const field = fieldFor(collection, [...path, key], child, required.has(key) && !optionalParent);
    // Text the object needs once anything in it is filled in: our widget says so at the field
    // (src/client/admin/required-in-object.ts), in check:content's words.
    if (optionalParent && required.has(key) && field.widget === 'string') {
      const hint = hintFor(collection, [...path, key]);
      return { ...field, widget: REQUIRED_IN_OBJECT, message: `${[...path, key].join('.')}: is required${hint ? ` (${hint})` : ''}` };
    }
    return field;
  });
}

/** The fields of a collection, from its zod schema. */
export function collectionFields(collection: Collection): CmsField[] {
  const json = z.toJSONSchema(SCHEMAS[collection], { io: 'input', unrepresentable: 'any' }) as Json;
  return fieldsOf(collection, [], json);
}

/** Decap's config.yml, as an object. */
export function cmsConfig(settings: EditorSettings) {
  const articleFields = collectionFields('articles');
  return {
    backend: {
      name: 'github',
      repo: settings.repo,
      branch: settings.branch,
      ...(settings.authBaseUrl && { base_url: settings.authBaseUrl, auth_endpoint: 'auth' }),
      commit_messages: {
        create: 'Web editor: new {{collection}} "{{slug}}"',
        update: 'Web editor: update {{collection}} "{{slug}}"',
        delete: 'Web editor: delete {{collection}} "{{slug}}"',
        uploadMedia: 'Web editor: upload "{{path}}"',
        deleteMedia: 'Web editor: delete "{{path}}"',
      },
    },
    // `npm run dev` plus `npx decap-server`: the editor commits nothing, it writes content/ directly.
    local_backend: true,
    // Draft → In review → Ready, each a pull request that check:content and the preview build run on.
    publish_mode: 'editorial_workflow',
    site_url: settings.siteUrl,
    display_url: settings.siteUrl,
    logo_url: '/favicon.svg',
    // The schemas refuse empty and unknown fields, so an optional field left blank is left out.
    omit_empty_optional_fields: true,
    media_folder: 'content/articles',
    public_folder: '',
    collections: [
      {
        name: 'articles',
        label: 'Stories',
        label_singular: 'Story',
        folder: 'content/articles',
        create: true,
        extension: 'md',
        format: 'yaml-frontmatter',
        // The year folder of `npm run new`; the file name is the address's last part.
        path: '{{year}}/{{slug}}',
        slug: '{{slug}}',
        // Photos live beside the story; the file name alone is a path relative to it.
        media_folder: '',
        public_folder: '',
        summary: '{{title}} ({{station}}, {{date}})',
        sortable_fields: ['date', 'title'],
        fields: [...articleFields, { name: 'body', label: 'Story', widget: 'markdown', hint: 'Start sections with ## (see “Formatting the story”).' }],
      },
      {
        name: 'stations',
        label: 'Stations',
        label_singular: 'Station',
        folder: 'content/stations',
        // A station's id (its file name) is set up with its stream and CSP by a developer.
        create: false,
        extension: 'yaml',
        format: 'yaml',
        identifier_field: 'name',
        fields: collectionFields('stations'),
      },
      {
        name: 'authors',
        label: 'Authors',
        label_singular: 'Author',
        folder: 'content/authors',
        create: true,
        extension: 'yaml',
        format: 'yaml',
        identifier_field: 'name',
        slug: '{{name}}',
        media_folder: '',
        public_folder: '',
        fields: collectionFields('authors'),
      },
    ],
  };
}
