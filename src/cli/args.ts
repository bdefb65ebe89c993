import { parseArgs, type ParseArgsConfig } from 'node:util';

/** parseArgs with errors turned into one clear line for the terminal. */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}. Run with --help for the options.`);
  }
}

/** Prints a start's progress (a new database, migrations) to stderr, so --json output stays clean. */
export function printProgress(line: string): void {
  console.error(`fanfold: ${line}`);
}
