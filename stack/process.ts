/**
 * Background processes of the local stack: started detached with their output in a log file,
 * recorded by pid in a JSON file, and recognised again by a marker on their command line so that
 * `down` never signals a process that merely reused a recorded pid.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors.js';

export interface ProcessRecord {
  component: string;
  pid: number;
  version: string;
  ports: Record<string, number>;
  log: string;
  java: string;
  startedAt: string;
  /** A -D property on the command line that only our process carries. */
  marker: string;
}

export class RecordStore {
  constructor(private readonly dir: string) {}

  private file(component: string): string {
    return path.join(this.dir, `${component}.json`);
  }

  read(component: string): ProcessRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(component), 'utf8')) as ProcessRecord;
    } catch {
      return undefined;
    }
  }

  write(record: ProcessRecord): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(this.file(record.component), `${JSON.stringify(record, null, 2)}\n`);
  }

  remove(component: string): void {
    fs.rmSync(this.file(component), { force: true });
  }
}

/** True when `pid` is alive and is the process we started (its command line has our marker). */
export function isOurs(record: ProcessRecord): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    return cmdline.split('\0').includes(record.marker);
  } catch {
    return false;
  }
}

/** Resident memory of a process in MiB, from /proc (undefined when it is gone). */
export function residentMiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Fails with the setting's name when another program already listens on one of our ports. */
export async function assertPortsFree(component: string, ports: Record<string, number>): Promise<void> {
  for (const [setting, port] of Object.entries(ports)) {
    if (await portOpen(port)) {
      throw new StackError(
        'PORT_TAKEN',
        `${component}: port ${port} (${setting}) is already in use by a process this stack did not start. ` +
          `Stop that process, or set ${setting} to a free port.`,
      );
    }
  }
}

export interface StartOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd: string;
  log: string;
}

/** Starts a detached process whose stdout and stderr go to `log`; returns its pid. */
export function startDetached(opts: StartOptions): number {
  fs.mkdirSync(path.dirname(opts.log), { recursive: true });
  const out = fs.openSync(opts.log, 'a');
  // A banner per start, so that a tail of the log never mixes this run with an earlier one unseen.
  fs.writeSync(out, `\n===== ${new Date().toISOString()} started by the hub stack: ${opts.command} ${opts.args.join(' ')}\n`);
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new StackError('START_FAILED', `Could not start ${opts.command}`);
  child.unref();
  return child.pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends SIGTERM, waits up to `graceMs`, then SIGKILL. Returns how it ended. */
export async function stopProcess(pid: number, graceMs = 30_000, kill = false): Promise<'stopped' | 'killed' | 'gone'> {
  // A process may end between a look and a signal: that is no error (ESRCH), it has stopped.
  const signal = (sig: NodeJS.Signals): boolean => {
    try {
      process.kill(pid, sig);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw err;
    }
  };
  if (kill) {
    if (!alive(pid) || !signal('SIGKILL')) return 'gone';
    while (alive(pid)) await sleep(50);
    return 'killed';
  }
  if (!alive(pid) || !signal('SIGTERM')) return 'gone';
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'stopped';
    await sleep(200);
  }
  if (!signal('SIGKILL')) return 'stopped';
  while (alive(pid)) await sleep(100);
  return 'killed';
}

/** Last lines of a log file, for error messages and `stack logs`. */
export function tail(file: string, lines: number): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/**
 * Polls `check` until it answers true, the process dies, or the timeout passes; the error names
 * the component and its log.
 */
export async function waitHealthy(
  component: string,
  pid: number,
  log: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) {
      throw new StackError(
        'START_FAILED',
        `${component} (pid ${pid}) exited during start-up. Last lines of ${log}:\n${tail(log, 20)}`,
      );
    }
    if (await check().catch(() => false)) return;
    await sleep(500);
  }
  throw new StackError(
    'UNHEALTHY',
    `${component} (pid ${pid}) did not become healthy within ${Math.round(timeoutMs / 1000)} s ` +
      `(STACK_START_TIMEOUT_SECONDS). It is left running for inspection; see ${log}:\n${tail(log, 20)}`,
    true,
  );
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking the event loop (other resolutions and health checks go on). */
export function runCommand(command: string, args: string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
