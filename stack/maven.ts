/**
 * Resolves the stack's Java components from Maven Central with the machine's `mvn`, into the
 * stack's shared distribution folder. Maven's own local repository (~/.m2) is shared with other
 * checkouts, so a second clone on the same machine does not download again.
 *
 * Resolutions run side by side (a fresh machine downloads about 300 MB: Zeebe's archive is
 * bandwidth, Camunda 7's hundred jars are round trips), each into a scratch folder that is moved
 * into place when complete: an interrupted one is redone, never half-used, and two processes
 * resolving the same folder at once (a lane of the tests and `npm start`) both end with one
 * complete folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.js';
import { runCommand } from './process.js';

async function mvn(args: string[], what: string, log: (line: string) => void): Promise<void> {
  log(`resolving ${what} from Maven Central ...`);
  const r = await runCommand('mvn', ['-B', '-q', ...args]).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') {
      throw new StackError('MAVEN_MISSING', 'Apache Maven (`mvn`) is needed to fetch Zeebe, Camunda 7 and Kafka from Maven Central: `apt-get install maven`.');
    }
    throw err;
  });
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

/** Resolutions of this process under way, by folder: a second stack asking for the same folder waits for the first. */
const underway = new Map<string, Promise<void>>();

/**
 * Fills `dir` once: `fill` writes into a scratch folder of this process, which becomes `dir` when
 * `fill` has finished. Resolves at once when `dir` is complete already.
 */
export function resolveOnce(dir: string, what: string, fill: (scratch: string) => Promise<void>): Promise<void> {
  if (isResolved(dir)) return Promise.resolve();
  const running = underway.get(dir);
  if (running) return running;
  const done = (async () => {
    const scratch = `${dir}.partial-${process.pid}`;
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.mkdirSync(scratch, { recursive: true });
    try {
      await fill(scratch);
      fs.writeFileSync(doneMarker(scratch), `${what}\n`);
      // Another process may have finished the same folder meanwhile: then its copy stays.
      if (!isResolved(dir)) {
        fs.rmSync(dir, { recursive: true, force: true });
        try {
          fs.renameSync(scratch, dir);
        } catch (err) {
          if (!isResolved(dir)) throw err;
        }
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  })().finally(() => underway.delete(dir));
  underway.set(dir, done);
  return done;
}

/** Downloads one artifact (for example a tar.gz distribution) and unpacks it into `dir`. */
export function resolveArchive(coordinates: string, dir: string, log: (line: string) => void): Promise<void> {
  return resolveOnce(dir, coordinates, async (scratch) => {
    const download = `${scratch}.download`;
    fs.rmSync(download, { recursive: true, force: true });
    try {
      await mvn(['dependency:copy', `-Dartifact=${coordinates}`, `-DoutputDirectory=${download}`], coordinates, log);
      const [archive] = fs.existsSync(download) ? fs.readdirSync(download) : [];
      if (!archive) throw new StackError('RESOLVE_FAILED', `mvn reported success but ${download} is empty`, true);
      const r = await runCommand('tar', ['-xzf', path.join(download, archive), '-C', scratch, '--strip-components=1']);
      if (r.status !== 0) throw new StackError('RESOLVE_FAILED', `Could not unpack ${archive}: ${r.stderr}`, true);
    } finally {
      fs.rmSync(download, { recursive: true, force: true });
    }
  });
}

/** Copies a pom's dependencies (jars) into `dir/libs`; `then` finishes the folder (Camunda 7 compiles its class there). */
export function resolveDependencies(
  pom: string,
  properties: Record<string, string>,
  dir: string,
  log: (line: string) => void,
  then: (scratch: string) => Promise<void> = async () => undefined,
): Promise<void> {
  const props = Object.entries(properties).map(([k, v]) => `-D${k}=${v}`);
  const what = `${path.basename(pom)} ${Object.values(properties).join(' ')}`;
  return resolveOnce(dir, what, async (scratch) => {
    await mvn(['-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(scratch, 'libs')}`, ...props], what, log);
    await then(scratch);
  });
}
