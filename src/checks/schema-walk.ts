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
const defOf = (s: unknown) => (s as { _zod?: { def: ZodDefLike } })?._zod?.def;

/** The field names an object schema at `path` accepts, for did-you-mean. */
export function knownKeys(schema: unknown, path: FieldPath): string[] {
  const walk = (s: unknown, rest: FieldPath): string[] => {
    const def = defOf(s);
    if (!def) return [];
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
        return walk(def.innerType, rest);
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
  const def = defOf(schema);
  switch (def?.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return pathsTo(def.innerType, target, path);
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
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return arrayElement(def.innerType);
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
