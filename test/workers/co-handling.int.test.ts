/**
 * 主办/协办 (issue #9, item 8) on both engines: a dispatch rule that lists helping units sends the
 * order to its lead and asks the helpers in parallel (a multi-instance, one branch per helper);
 * the lead's reply goes on to review only once every helper has answered or its time has run out
 * (time moved, not waited for); a return ends the helpers' part with the lead's. Real Zeebe or
 * Camunda 7, Kafka, MySQL and an SMTP server.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../support/clock.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';
import { sleep } from '../support/harness.js';
import { taskFor } from '../support/tasks.js';

interface Order {
  status: string;
  dueAt: string;
  unit: { code: string } | null;
  history: Array<{ step: string; actor: string; note: string }>;
}

const fx = useKeysAndMail();
/** An e-mail's wait: the relay's retries on a machine the other lane keeps busy. */
const MAIL_WAIT = 120_000;
describe.each(['zeebe', 'camunda7'] as const)('co-handling on %s', { timeout: 180_000 }, (engine) => {
  const h = useEngineHub(engine, { mail: () => fx.mail, env: { TASK_DUE_MINUTES: '43200' }, movesClock: true });
  const { clock, post, get, codeOf, until } = h;
  const unit = (code: string) => fx.keys.unit[code]!;
  const read = (orderNo: string, token = fx.keys.role.supervisor) => get(`/orders/${orderNo}`, token);
  const order = async (orderNo: string): Promise<Order> => (await (await read(orderNo)).json()) as Order;
  const steps = async (orderNo: string) => (await order(orderNo)).history.map((x) => x.step);
  const reply = (orderNo: string, code: string, result: string) => post(`/orders/${orderNo}/reply`, { result, handledBy: '协办测试' }, unit(code));

  /** Road damage in Binhai: city management leads, the district government and the transport commission help (bpmn/dispatch.dmn rule-h1). */
  async function coHandled(): Promise<string> {
    const res = await post('/orders', {
      channel: 'phone', type: 'help', category: 'road-damage', title: '公交站旁路面塌陷', description: '塘沽公交站旁路面塌陷，影响公交进站', district: 'binhai', address: '滨海新区测试路1号',
      citizen: { name: '协办测试', phone: '13700137001', confidential: false },
    }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    return orderNo;
  }

  it('asks the helpers in parallel and takes the lead\'s reply on only once each has answered', async () => {
    const orderNo = await coHandled();
    const o = await order(orderNo);
    expect(o.unit?.code).toBe('city-management');
    expect(o.history.find((h) => h.step === 'dispatch')!.note).toContain('主办/协办：市城市管理委员会主办，滨海新区人民政府、市交通运输委员会协办');
    await until(async () => [...(fx.mail.recipients.get(orderNo) ?? [])].sort(), ['binhai@units.example.invalid', 'city-management@units.example.invalid', 'transport@units.example.invalid'], MAIL_WAIT);
    // The helpers see it; another unit does not.
    expect((await read(orderNo, unit('binhai-gov'))).status).toBe(200);
    expect((await read(orderNo, unit('hexi-gov'))).status).toBe(404);

    expect((await reply(orderNo, 'binhai-gov', '区政府已安排围挡')).status).toBe(202);
    expect(await codeOf(await reply(orderNo, 'binhai-gov', '再说一次')), 'a helper answers once').toBe('409 HELPER_ANSWERED');
    expect((await order(orderNo)).status, 'a helper\'s answer is not the reply').toBe('dispatched');
    expect((await reply(orderNo, 'city-management', '已修复塌陷路面')).status).toBe(202);
    expect((await order(orderNo)).status).toBe('replied');
    // The transport commission has not answered: the lead's reply waits.
    await sleep(2000);
    expect(await steps(orderNo)).not.toContain('review');
    expect((await reply(orderNo, 'transport-bureau', '已调整公交临时停靠点')).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    expect(await steps(orderNo)).toEqual(['accept', 'classify', 'dispatch', 'helper-reply', 'reply', 'helper-reply', 'review', 'callback-requested']);
  });

  it('stops waiting for a helper whose time has run out, records it and tells it; its late answer is refused', async () => {
    const orderNo = await coHandled();
    expect((await reply(orderNo, 'transport-bureau', '已调整公交临时停靠点')).status).toBe(202);
    expect((await reply(orderNo, 'city-management', '已修复塌陷路面')).status).toBe(202);
    await sleep(1000);
    expect((await order(orderNo)).status).toBe('replied');
    const { dueAt } = await order(orderNo);
    await clock.advance(Date.parse(dueAt) + MINUTE - clock.now().getTime());
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    const timeout = (await order(orderNo)).history.find((h) => h.step === 'helper-timeout')!;
    expect(timeout.note).toMatch(/^协办单位滨海新区人民政府未在.+前反馈协办意见/);
    await until(async () => (fx.mail.recipients.get(orderNo) ?? []).filter((r) => r === 'binhai@units.example.invalid').length, 2, MAIL_WAIT);
    expect(await codeOf(await reply(orderNo, 'binhai-gov', '迟到的协办意见'))).toBe('409 NOT_AWAITING_REPLY');
  });

  it('ends the helpers\' part when the lead returns the order', async () => {
    const orderNo = await coHandled();
    expect((await post(`/orders/${orderNo}/return`, { reason: '属区管道路' }, unit('city-management'))).status).toBe(202);
    const task = await taskFor(h.base, fx.keys.role.dispatcher, orderNo, 'redispatch');
    expect((await post(`/tasks/${task.id}/complete`, { kind: 'redispatch', action: 'unit', unit: 'binhai-gov', reason: '区管道路' }, fx.keys.role.dispatcher)).status).toBe(200);
    await until(async () => (await order(orderNo)).status, 'dispatched');
    // A named unit's dispatch has no helpers: the transport commission no longer sees it, the reply goes straight on.
    expect((await read(orderNo, unit('transport-bureau'))).status).toBe(404);
    expect((await reply(orderNo, 'binhai-gov', '已修复')).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
  });
});
