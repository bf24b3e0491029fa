/**
 * Resolves the stack's Java components from Maven Central with the machine's `mvn`, into the
 * stack's cache folder. Maven's own local repository (~/.m2) is shared with other checkouts, so a
 * second clone on the same machine does not download again.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.js';

function mvn(args: string[], what: string, log: (line: string) => void): void {
  const which = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (which.error) {
    throw new StackError(
      'MAVEN_MISSING',
      'Apache Maven (`mvn`) is needed to fetch Zeebe and Kafka from Maven Central: `apt-get install maven`.',
    );
  }
  log(`resolving ${what} from Maven Central ...`);
  const r = spawnSync('mvn', ['-B', '-q', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new StackError('RESOLVE_FAILED', `Could not resolve ${what} with mvn (exit ${r.status}):\n${tail}`, true);
  }
}

/** Marks a finished resolution, so an interrupted download is redone instead of half-used. */
const doneMarker = (dir: string): string => path.join(dir, '.resolved');

export function isResolved(dir: string): boolean {
  return fs.existsSync(doneMarker(dir));
}

/** Downloads one artifact (for example a tar.gz distribution) and unpacks it into `dir`. */
export function resolveArchive(
  coordinates: string,
  dir: string,
  log: (line: string) => void,
): void {
  if (isResolved(dir)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  const download = `${dir}.download`;
  fs.rmSync(download, { recursive: true, force: true });
  fs.mkdirSync(download, { recursive: true });
  mvn(['dependency:copy', `-Dartifact=${coordinates}`, `-DoutputDirectory=${download}`], coordinates, log);
  const [archive] = fs.readdirSync(download);
  if (!archive) throw new StackError('RESOLVE_FAILED', `mvn reported success but ${download} is empty`, true);
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('tar', ['-xzf', path.join(download, archive), '-C', dir, '--strip-components=1'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new StackError('RESOLVE_FAILED', `Could not unpack ${archive}: ${r.stderr}`, true);
  fs.rmSync(download, { recursive: true, force: true });
  fs.writeFileSync(doneMarker(dir), `${coordinates}\n`);
}

/** Copies a pom's dependencies (jars) into `dir/libs`. */
export function resolveDependencies(
  pom: string,
  properties: Record<string, string>,
  dir: string,
  log: (line: string) => void,
): void {
  if (isResolved(dir)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  const props = Object.entries(properties).map(([k, v]) => `-D${k}=${v}`);
  mvn(
    ['-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(dir, 'libs')}`, ...props],
    `${path.basename(pom)} ${Object.values(properties).join(' ')}`,
    log,
  );
  fs.writeFileSync(doneMarker(dir), `${pom} ${JSON.stringify(properties)}\n`);
}
