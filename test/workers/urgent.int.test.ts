/**
 * 紧急件 (issue #9, item 14) on both engines, time moved: the unit must confirm it is on site
 * within the order's 30 minutes, else the order goes to supervision at once; on site, it reports
 * progress, and each policy interval without a report it is chased, until it answers. Real Zeebe
 * or Camunda 7, Kafka, MySQL and an SMTP server.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../support/clock.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';
import { sleep } from '../support/harness.js';

interface Order {
  status: string;
  handlingMode: string;
  dueAt: string;
  onSiteAt: string | null;
  acknowledgedAt: string | null;
  supervisedAt: string | null;
  chaseCount: number;
  history: Array<{ step: string; note: string }>;
}

const fx = useKeysAndMail();
/** An e-mail's wait: the relay's retries on a machine the other lane keeps busy. */
const MAIL_WAIT = 120_000;
describe.each(['zeebe', 'camunda7'] as const)('urgent orders on %s', { timeout: 180_000 }, (engine) => {
  const { clock, post, get, codeOf, until } = useEngineHub(engine, { mail: () => fx.mail, env: { TASK_DUE_MINUTES: '43200' }, movesClock: true });
  const order = async (orderNo: string): Promise<Order> => (await (await get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as Order;
  const count = async (orderNo: string, step: string) => (await order(orderNo)).history.filter((x) => x.step === step).length;
  const moveBy = (minutes: number) => clock.advance(minutes * MINUTE);

  /** A gas leak reported as urgent: the gas group must be on site within 30 minutes (bpmn/dispatch.dmn rule-1). */
  async function urgent(): Promise<string> {
    const res = await post('/orders', {
      channel: 'phone', type: 'help', category: 'gas-fault', urgent: true, title: '楼道燃气泄漏', description: '楼道内闻到浓烈燃气味', district: 'hexi', address: '河西区紧急路1号',
      citizen: { name: '紧急测试', phone: '13800138111', confidential: false },
    }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    return orderNo;
  }

  it('到场 → 进展 → 反馈: on site in time, chased for a report each interval without one, followed until it answers', async () => {
    const orderNo = await urgent();
    const gasGroup = fx.keys.unit['gas-group']!;
    expect(await codeOf(await post(`/orders/${orderNo}/progress`, { note: '正在赶往现场' }, gasGroup)), 'a report needs the unit on site first').toBe('409 NOT_AWAITING_REPLY');
    await moveBy(5);
    expect((await post(`/orders/${orderNo}/on-site`, {}, gasGroup)).status).toBe(202);
    let o = await order(orderNo);
    expect({ mode: o.handlingMode, status: o.status, onSite: o.onSiteAt !== null, acknowledged: o.acknowledgedAt !== null }).toEqual({ mode: 'urgent', status: 'acknowledged', onSite: true, acknowledged: true });
    expect((await post(`/orders/${orderNo}/on-site`, {}, gasGroup)).status, 'confirming again changes nothing').toBe(202);
    // Past the 30 minutes: on site in time, so no supervision.
    await moveBy(30);
    await sleep(1500);
    expect(await count(orderNo, 'on-site-overdue')).toBe(0);
    // 60 minutes on site without a report: chased.
    await moveBy(30);
    await until(() => count(orderNo, 'chase-progress'), 1);
    // A report restarts the interval: 50 minutes later, no new chase; past 60, the next one.
    const expectedAt = new Date(clock.now().getTime() + 3 * 60 * MINUTE).toISOString();
    expect((await post(`/orders/${orderNo}/progress`, { note: '已关闭总阀，正在更换破损管段', expectedAt }, gasGroup)).status).toBe(202);
    expect((await order(orderNo)).history.find((h) => h.step === 'progress')!.note).toMatch(/^市燃气集团报告进展：已关闭总阀，正在更换破损管段（预计 .+ 办结）$/);
    await moveBy(50);
    await sleep(1500);
    expect(await count(orderNo, 'chase-progress')).toBe(1);
    await moveBy(15);
    await until(() => count(orderNo, 'chase-progress'), 2);
    o = await order(orderNo);
    expect({ chases: o.chaseCount, supervised: o.supervisedAt !== null }).toEqual({ chases: 2, supervised: false });
    // The answer ends the follow-up.
    expect((await post(`/orders/${orderNo}/reply`, { result: '已更换破损管段，恢复供气', handledBy: '抢修队' }, gasGroup)).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    await moveBy(120);
    await sleep(1500);
    expect(await count(orderNo, 'chase-progress'), 'no report is asked for once it has answered').toBe(2);
  });

  it('not on site within 30 minutes: supervision at once, the duty leader mailed; the late arrival is still recorded', async () => {
    const orderNo = await urgent();
    const { dueAt } = await order(orderNo);
    await clock.advance(Date.parse(dueAt) + MINUTE - clock.now().getTime());
    await until(() => count(orderNo, 'on-site-overdue'), 1);
    const o = await order(orderNo);
    expect(o.supervisedAt).not.toBeNull();
    expect(o.history.find((h) => h.step === 'on-site-overdue')!.note).toMatch(/^紧急件督办：市燃气集团未在 .+ 前确认到场，已报值班领导$/);
    await until(async () => (fx.mail.recipients.get(orderNo) ?? []).includes('duty-leader@hotline.example.invalid'), true, MAIL_WAIT);
    expect(await count(orderNo, 'chase'), 'the ordinary deadline chase does not run for an urgent order').toBe(0);
    expect((await post(`/orders/${orderNo}/on-site`, {}, fx.keys.unit['gas-group']!)).status).toBe(202);
    expect((await order(orderNo)).onSiteAt).not.toBeNull();
  });

  it('refuses on-site and progress for an order that is not urgent', async () => {
    const res = await post('/orders', {
      channel: 'phone', type: 'help', category: 'gas-fault', title: '燃气表故障', description: '燃气表不走字', district: 'hexi', address: '河西区紧急路2号',
      citizen: { name: '紧急测试', phone: '13800138112', confidential: false },
    }, fx.keys.role['call-taker']);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    expect(await codeOf(await post(`/orders/${orderNo}/on-site`, {}, fx.keys.unit['gas-group']!))).toBe('422 NOT_URGENT');
  });
});
