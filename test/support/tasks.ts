/** Human tasks in the integration tests: find one an order has opened, and decide it as its role would. */
import { expect } from 'vitest';
import { bearer } from './keys.js';

export interface OpenTask {
  id: string;
  orderNo: string;
  kind: string;
  detail: Record<string, unknown>;
}

/** Waits until the order has an open task of this kind in the role's list. */
export async function taskFor(base: string, token: string, orderNo: string, kind: string): Promise<OpenTask> {
  const find = async () => ((await (await fetch(`${base}/tasks?orderNo=${orderNo}&kind=${kind}`, { headers: bearer(token) })).json()) as { tasks: OpenTask[] }).tasks[0];
  await expect.poll(find, { timeout: 30_000, interval: 200 }).toBeDefined();
  return (await find())!;
}

/** A supervisor approves the unit's answer (a complaint's answer is reviewed by a person, bpmn/review-policy.dmn). */
export async function approveReview(base: string, supervisorToken: string, orderNo: string): Promise<void> {
  const task = await taskFor(base, supervisorToken, orderNo, 'reply-review');
  const res = await fetch(`${base}/tasks/${task.id}/complete`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(supervisorToken) }, body: JSON.stringify({ kind: 'reply-review', approved: true }) });
  expect(res.status).toBe(200);
}
