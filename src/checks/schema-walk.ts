import type { FieldPath } from '../content/frontmatter';

/** What the checker reads of a zod schema's definition, to find fields without parsing. */
interface ZodDefLike {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  in?: unknown;
  options?: unknown[];
}
/** The definition of `s`, seen through the wrappers that only make a field optional or defaulted. */
function defOf(s: unknown): ZodDefLike | undefined {
  const def = ownDef(s);
  return def && WRAPPERS.has(def.type) ? defOf(def.innerType) : def;
}
const ownDef = (s: unknown) => (s as { _zod?: { def: ZodDefLike } })?._zod?.def;
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly']);

/** The field names an object schema at `path` accepts, for did-you-mean. */
export function knownKeys(schema: unknown, path: FieldPath): string[] {
  const walk = (s: unknown, rest: FieldPath): string[] => {
    const def = defOf(s);
    if (!def) return [];
    switch (def.type) {
      case 'pipe':
        return walk(def.in, rest);
      case 'union':
        return [...new Set((def.options ?? []).flatMap((o) => walk(o, rest)))];
      case 'array':
        return typeof rest[0] === 'number' ? walk(def.element, rest.slice(1)) : [];
      case 'object':
        if (!rest.length) return Object.keys(def.shape ?? {});
        return walk(def.shape?.[rest[0] as string], rest.slice(1));
      default:
        return [];
    }
  };
  return walk(schema, path);
}

/** The paths of the fields of an object schema that are exactly `target` (through optional and default). */
export function pathsTo(schema: unknown, target: unknown, path: FieldPath = []): FieldPath[] {
  if (schema === target) return [path];
  // Unwrapped one step at a time, so a wrapped `target` is still met as itself.
  const own = ownDef(schema);
  if (own && WRAPPERS.has(own.type)) return pathsTo(own.innerType, target, path);
  const def = defOf(schema);
  switch (def?.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([k, s]) => pathsTo(s, target, [...path, k]));
    default:
      return [];
  }
}

/** The item schema of a list field (through optional, default, transform and union), if it is one. */
export function arrayElement(schema: unknown): unknown {
  const def = defOf(schema);
  switch (def?.type) {
    case 'pipe':
      return arrayElement(def.in);
    case 'union':
      return (def.options ?? []).map(arrayElement).find((e) => e !== undefined);
    case 'array':
      return def.element;
    default:
      return undefined;
  }
}
