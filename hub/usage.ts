/**
 * A `hub` command used wrongly (a file it cannot read, HUB_URL without its key): said in one line,
 * exit 2 (hub/cli.ts), apart from a refusal of what the command was asked (exit 1).
 */
import fs from 'node:fs';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A file's text, or a usage error naming the file and why it cannot be read. */
export function readOrUsage(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
