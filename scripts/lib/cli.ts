import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A CLI's arguments, read with node:util `parseArgs` (strict: an unknown option is an error).
 * A malformed command line prints `<name>: <what is wrong>` and the usage, and exits 2;
 * `--help` or `-h` prints the usage and exits 0. Every CLI of scripts/ and bench/ reads its
 * arguments this way.
 */
export function cliArgs<const T extends ParseArgsConfig>(name: string, usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  const withHelp = { ...config, options: { ...config.options, help: { type: 'boolean', short: 'h' } } } as T;
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(withHelp);
  } catch (e) {
    usageError(name, usage, (e as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}

/** A command line that parses but does not make sense (`--runs 0`, two folders): the same report and exit as `cliArgs`'s. */
export function usageError(name: string, usage: string, message: string): never {
  console.error(`${name}: ${message}\n${usage}`);
  process.exit(2);
}

/** A whole-number option of at least `min` (`--runs 3`), or a usage error naming it. */
export function wholeNumber(name: string, usage: string, flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) usageError(name, usage, `${flag} takes a whole number of at least ${min}, not "${value}"`);
  return n;
}
