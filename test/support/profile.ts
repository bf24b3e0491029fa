/**
 * Where the suite's time goes, per file: with TEST_PROFILE=<file>, each integration test file
 * appends a line at its start, once its database is made, when its tests begin and end, and at
 * its very end (engines restarted, instances cancelled, database dropped): wall seconds since the
 * file began, the CPU seconds of its worker process so far, and those of its lane's Java
 * processes (Zeebe, Camunda 7, Kafka; a restarted one's earlier CPU is lost with it).
 */
import fs from 'node:fs';

const out = process.env.TEST_PROFILE;
let began = 0;

function laneJavaCpuSeconds(lane: string): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(`test-lane-${lane}`) || !/(^|\/)java\0/.test(cmd)) continue;
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

/** Appends one mark for `file` (no-op without TEST_PROFILE). */
export function profileMark(file: string, what: 'start' | 'database' | 'tests-begin' | 'tests-end' | 'file-end'): void {
  if (!out) return;
  if (what === 'start') began = Date.now();
  const lane = process.env.VITEST_POOL_ID ?? '?';
  const cpu = process.cpuUsage();
  const line = [new Date().toISOString().slice(11, 23), `lane${lane}`, file, what, ((Date.now() - began) / 1000).toFixed(1), ((cpu.user + cpu.system) / 1e6).toFixed(1), laneJavaCpuSeconds(lane).toFixed(0)];
  fs.appendFileSync(out, `${line.join(' ')}\n`);
}
