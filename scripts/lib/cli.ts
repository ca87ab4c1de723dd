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
    console.error(`${name}: ${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}
