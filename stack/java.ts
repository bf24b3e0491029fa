/**
 * Picks a JDK for a Java component of the local stack: JAVA_HOME if it is new enough, else the
 * `java` on PATH if it is, else the newest JDK under /usr/lib/jvm.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.js';

export interface Jdk {
  javaBin: string;
  major: number;
  /** Where it was found, for the log line that says which JDK started a component. */
  source: 'JAVA_HOME' | 'PATH' | '/usr/lib/jvm';
}

/** Parses the major version from `java -version` output ("17.0.15", "1.8.0_392", "25"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "([^"]+)"/.exec(versionOutput);
  if (!m?.[1]) return undefined;
  const parts = m[1].split(/[._-]/);
  const first = Number(parts[0]);
  if (first === 1 && parts[1] !== undefined) return Number(parts[1]);
  return Number.isFinite(first) ? first : undefined;
}

function javaMajor(javaBin: string, env: NodeJS.ProcessEnv): number | undefined {
  // `java -version` writes to stderr.
  const r = spawnSync(javaBin, ['-version'], { encoding: 'utf8', env });
  return r.error ? undefined : parseJavaMajor(`${r.stderr}${r.stdout}`);
}

export function findJdk(minMajor: number, env: NodeJS.ProcessEnv = process.env, jvmRoot = '/usr/lib/jvm'): Jdk {
  const candidates: Jdk[] = [];
  const seen: string[] = [];
  if (env.JAVA_HOME) {
    const bin = path.join(env.JAVA_HOME, 'bin', 'java');
    const major = fs.existsSync(bin) ? javaMajor(bin, env) : undefined;
    seen.push(`JAVA_HOME=${env.JAVA_HOME} (${major ?? 'no java'})`);
    if (major !== undefined && major >= minMajor) return { javaBin: bin, major, source: 'JAVA_HOME' };
  }
  const onPath = javaMajor('java', env);
  seen.push(`java on PATH (${onPath ?? 'none'})`);
  if (onPath !== undefined && onPath >= minMajor) return { javaBin: 'java', major: onPath, source: 'PATH' };

  if (fs.existsSync(jvmRoot)) {
    for (const dir of fs.readdirSync(jvmRoot)) {
      const bin = path.join(jvmRoot, dir, 'bin', 'java');
      if (!fs.existsSync(bin) || fs.lstatSync(path.join(jvmRoot, dir)).isSymbolicLink()) continue;
      const major = javaMajor(bin, env);
      if (major !== undefined) candidates.push({ javaBin: bin, major, source: '/usr/lib/jvm' });
    }
  }
  candidates.sort((a, b) => b.major - a.major);
  seen.push(...candidates.map((c) => `${c.javaBin} (${c.major})`));
  const best = candidates[0];
  if (best && best.major >= minMajor) return best;
  throw new StackError(
    'JDK_MISSING',
    `No JDK ${minMajor} or newer found; looked at: ${seen.join(', ')}. ` +
      `Install one (for example \`apt-get install openjdk-${minMajor}-jdk-headless\`) or set JAVA_HOME to it.`,
  );
}
