/**
 * 三级网络 (issue #9, item 7) on both engines: a district government (level 2) sends an order on
 * to one of its streets (level 3); the street's answer goes to the district's own task list, not
 * to the centre; the district sends a poor answer back and reports a good one up as its reply.
 * Real Zeebe or Camunda 7, Kafka, MySQL and an SMTP server.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../support/clock.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';

interface Order {
  status: string;
  dueAt: string;
  unit: { code: string } | null;
  subUnit: { code: string; name: string } | null;
  acknowledgedAt: string | null;
  history: Array<{ step: string; actor: string; note: string }>;
}
interface Task {
  id: string;
  orderNo: string;
  kind: string;
  detail: Record<string, unknown>;
}

const fx = useKeysAndMail();
/** An e-mail's wait: the relay's retries on a machine the other lane keeps busy. */
const MAIL_WAIT = 120_000;
describe.each(['zeebe', 'camunda7'] as const)('three levels on %s', { timeout: 180_000 }, (engine) => {
  const h = useEngineHub(engine, { mail: () => fx.mail, movesClock: true });
  const { clock, post, get, codeOf, until } = h;
  const unit = (code: string) => fx.keys.unit[code]!;
  const read = (orderNo: string, token = fx.keys.role.supervisor) => get(`/orders/${orderNo}`, token);
  const order = async (orderNo: string): Promise<Order> => (await (await read(orderNo)).json()) as Order;
  const tasks = async (token: string, orderNo: string): Promise<Task[]> => ((await (await get(`/tasks?orderNo=${orderNo}`, token)).json()) as { tasks: Task[] }).tasks;

  /** A noise complaint in Hexi: the dispatch rules send it to the district government (written order, 7 working days). */
  async function atDistrict(): Promise<string> {
    const res = await post('/orders', {
      channel: 'phone', type: 'help', category: 'noise', title: '夜间施工噪音', description: '友谊路某工地夜间施工噪音扰民', district: 'hexi', address: '河西区友谊路8号',
      citizen: { name: '三级测试', phone: '13600136000', confidential: false },
    }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    expect((await order(orderNo)).unit?.code).toBe('hexi-gov');
    return orderNo;
  }

  it('下派 → 街道反馈 → 区级审核: the street answers its district; the district sends a poor answer back and reports a good one up', async () => {
    const orderNo = await atDistrict();
    const { dueAt } = await order(orderNo);
    expect(await codeOf(await read(orderNo, unit('hexi-youyi'))), 'a street sees nothing before its district sends it').toBe('404 ORDER_NOT_FOUND');

    // Only the district's own streets, and no later than its own deadline.
    expect(await codeOf(await post(`/orders/${orderNo}/sub-dispatch`, { unit: 'heping-nanshi' }, unit('hexi-gov')))).toBe('422 NOT_YOUR_STREET');
    expect(await codeOf(await post(`/orders/${orderNo}/sub-dispatch`, { unit: 'city-management' }, unit('hexi-gov')))).toBe('422 NOT_YOUR_STREET');
    expect(await codeOf(await post(`/orders/${orderNo}/sub-dispatch`, { unit: 'hexi-youyi', dueAt: new Date(Date.parse(dueAt) + 86_400_000).toISOString() }, unit('hexi-gov')))).toBe('422 SUB_DUE_NOT_WITHIN');
    expect(await codeOf(await post(`/orders/${orderNo}/sub-dispatch`, { unit: 'hexi-youyi' }, unit('nankai-gov'))), 'another district').toBe('404 ORDER_NOT_FOUND');
    const streetDue = new Date(Date.parse(dueAt) - 2 * 86_400_000).toISOString();
    expect((await post(`/orders/${orderNo}/sub-dispatch`, { unit: 'hexi-youyi', dueAt: streetDue, instructions: '请核查工地施工许可' }, unit('hexi-gov'))).status).toBe(202);
    let o = await order(orderNo);
    expect({ status: o.status, unit: o.unit?.code, sub: o.subUnit?.code, acknowledged: o.acknowledgedAt !== null }).toEqual({ status: 'sub_dispatched', unit: 'hexi-gov', sub: 'hexi-youyi', acknowledged: true });
    await until(async () => fx.mail.recipients.get(orderNo)?.includes('hexi-youyi@units.example.invalid') ?? false, true, MAIL_WAIT);

    // The street sees it and answers; another street does not see it; the street cannot return it to the centre.
    expect((await read(orderNo, unit('hexi-youyi'))).status).toBe(200);
    expect((await read(orderNo, unit('heping-nanshi'))).status).toBe(404);
    const list = (await (await get('/orders', unit('hexi-youyi'))).json()) as { orders: Array<{ orderNo: string }> };
    expect(list.orders.map((x) => x.orderNo)).toContain(orderNo);
    expect(await codeOf(await post(`/orders/${orderNo}/return`, { reason: '不归街道管' }, unit('hexi-youyi')))).toBe('404 NOT_YOUR_ORDER');
    expect((await post(`/orders/${orderNo}/reply`, { result: '已到现场查看', handledBy: '城管科' }, unit('hexi-youyi'))).status).toBe(202);
    expect((await order(orderNo)).status, 'the answer waits for the district, not the centre').toBe('sub_replied');
    expect(await codeOf(await post(`/orders/${orderNo}/reply`, { result: '补充', handledBy: '城管科' }, unit('hexi-youyi'))), 'one answer at a time').toBe('409 NOT_AWAITING_REPLY');

    // The district's task; nobody else's.
    await until(async () => (await tasks(unit('hexi-gov'), orderNo)).length, 1);
    const [first] = await tasks(unit('hexi-gov'), orderNo);
    expect(first).toMatchObject({ kind: 'street-review', detail: { unit: 'hexi-youyi', result: '已到现场查看' } });
    expect(await tasks(unit('nankai-gov'), orderNo)).toEqual([]);
    expect(await tasks(fx.keys.role.supervisor, orderNo)).toEqual([]);
    expect(await codeOf(await post(`/tasks/${first!.id}/complete`, { kind: 'street-review', approved: true }, unit('nankai-gov')))).toBe('404 TASK_NOT_FOUND');

    // Rejected: back to the street, which answers again.
    expect((await post(`/tasks/${first!.id}/complete`, { kind: 'street-review', approved: false, reason: '未说明处理结果，请核实施工许可并责令停工' }, unit('hexi-gov'))).status).toBe(200);
    expect((await order(orderNo)).status).toBe('sub_dispatched');
    expect((await post(`/orders/${orderNo}/reply`, { result: '工地无夜间施工许可，已责令停止夜间施工', handledBy: '城管科' }, unit('hexi-youyi'))).status).toBe(202);
    await until(async () => (await tasks(unit('hexi-gov'), orderNo)).length, 1);
    const [second] = await tasks(unit('hexi-gov'), orderNo);
    expect(second!.id).not.toBe(first!.id);

    // Approved: it goes up as the district's reply, reviewed and called back as any.
    expect((await post(`/tasks/${second!.id}/complete`, { kind: 'street-review', approved: true, result: '经友谊路街道核查，该工地无夜间施工许可，已责令停止夜间施工' }, unit('hexi-gov'))).status).toBe(200);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    o = await order(orderNo);
    expect(o.history.map((h) => h.step)).toEqual(['accept', 'classify', 'dispatch', 'sub-dispatch', 'street-reply', 'street-review', 'street-reply', 'reply', 'review', 'callback-requested']);
    const reply = o.history.find((h) => h.step === 'reply')!;
    expect(reply).toMatchObject({ actor: 'unit:hexi-gov', note: '河西区人民政府审核河西区友谊路街道的办理结果并反馈' });
    expect((await post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'closed');
  });

  it('the district may answer itself while its street works: the street\'s part ends, and the order closes', async () => {
    const orderNo = await atDistrict();
    expect((await post(`/orders/${orderNo}/sub-dispatch`, { unit: 'hexi-youyi' }, unit('hexi-gov'))).status).toBe(202);
    expect((await post(`/orders/${orderNo}/reply`, { result: '区城管执法局已到场处理', handledBy: '区城管执法局' }, unit('hexi-gov'))).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    expect(await codeOf(await post(`/orders/${orderNo}/reply`, { result: '街道迟到的答复', handledBy: '城管科' }, unit('hexi-youyi')))).toBe('409 NOT_AWAITING_REPLY');
    expect((await post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
    // The order's instance ends: nothing of the street's part is left waiting in it.
    await until(async () => (await order(orderNo)).status, 'closed');
  });

  it('chases the district, not its street, when the answer is late: the district answers to the centre', async () => {
    const orderNo = await atDistrict();
    expect((await post(`/orders/${orderNo}/sub-dispatch`, { unit: 'hexi-youyi' }, unit('hexi-gov'))).status).toBe(202);
    const { dueAt } = await order(orderNo);
    await clock.advance(Date.parse(dueAt) + MINUTE - clock.now().getTime());
    await until(async () => (await order(orderNo)).history.filter((h) => h.step === 'chase').length, 1);
    expect((await order(orderNo)).history.find((h) => h.step === 'chase')!.note).toBe('催办：河西区人民政府办理已到期');
    expect((await order(orderNo)).status).toBe('sub_dispatched');
  });
});
