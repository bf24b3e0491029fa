/** Which job a timer leads to, read from the models (the trace's "timer fired" entries). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/config.js';
import { timersBefore } from '../../infra/db/operations.js';

const models = fs.readdirSync(path.join(projectRoot, 'bpmn')).filter((f) => f.endsWith('.bpmn')).map((f) => fs.readFileSync(path.join(projectRoot, 'bpmn', f), 'utf8'));

describe('timersBefore', () => {
  it('maps each job a timer starts to its timer, per process, and nothing else', () => {
    const handle = timersBefore(models).get('handle-order')!;
    expect(Object.fromEntries(handle)).toMatchObject({ 'remind-unit': 'timer-remind', 'chase-order': 'timer-due', 'supervise-order': 'timer-escalate', 'chase-acknowledge': 'timer-acknowledge', 'escalate-on-site': 'timer-on-site', 'chase-progress': 'timer-progress' });
    expect(handle.has('dispatch-order')).toBe(false);
    expect(timersBefore(models).get('work-order')!.has('classify-order')).toBe(false);
  });
});
