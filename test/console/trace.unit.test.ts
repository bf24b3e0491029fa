/** An order's trace in Chinese on the console (console/trace.js), from each entry's details. */
import { describe, expect, it } from 'vitest';
import { SOURCE, traceLine } from '../../console/trace.js';
import { ROLE_NAMES } from '../../domain/access.js';
import { JOB_NAMES, STEP_NAMES, TASK_NAMES } from '../../domain/text.js';

const names = { STEP: STEP_NAMES, JOB: JOB_NAMES, TASK: TASK_NAMES, ROLE: ROLE_NAMES };
const line = (source: string, detail: Record<string, unknown>, what = '') => traceLine({ source, what, detail }, names, (a) => (a.startsWith('operator:') ? '运维' : a));

describe('the trace in Chinese', () => {
  it.each([
    ['step', { step: 'dispatch', actor: 'hub' }, 'dispatch: 派单至河西区人民政府', '派单：派单至河西区人民政府'],
    ['job', { kind: 'job-completed', component: 'classify-order' }, '', '任务“分类”完成'],
    ['job', { kind: 'incident', component: 'dispatch-order', error: 'unit unknown' }, '', '任务“派单”多次失败后停止（故障）：unit unknown'],
    ['timer', { timerId: 't1', component: 'chase-order' }, '', '定时器到期，执行“催办”'],
    ['kafka-in', { topic: 'hub.unit.gas-group.unit-replied.v1', type: 'unit.replied', outcome: 'duplicate' }, '', '从 hub.unit.gas-group.unit-replied.v1 收到 unit.replied：重复消息，已忽略'],
    ['operator', { action: 'retry', by: 'operator:k1' }, '', '重试（运维）'],
    ['outbox', { channel: 'email', destination: null, state: 'parked', attempts: 8, lastError: 'SMTP 550' }, '', '邮件 → 市民或单位：已放弃（待处理）（尝试 8 次）：SMTP 550'],
    ['outbox', { channel: 'kafka', destination: 'hub.unit.hexi-gov.order-dispatched.v1', state: 'sent', attempts: 1 }, '', 'Kafka → hub.unit.hexi-gov.order-dispatched.v1：已送达（尝试 1 次）'],
    ['dead-letter', { deadLetterId: '7', consumer: null, sourceTopic: 'hub.unit.x', reason: 'not JSON', replayedAt: '2026-12-06T00:00:00Z' }, '', '死信 7：平台拒收来自 hub.unit.x 的消息：not JSON（已重放）'],
    ['delivery', { adapter: 'digital-city', attempts: 3 }, '', '适配器 digital-city 已把事件送达其系统（尝试 3 次）'],
    ['task', { kind: 'reply-review', role: 'supervisor', status: 'done', completedBy: 'supervisor:k2' }, '', '待办“答复审核”（督办）：已办，supervisor:k2'],
  ])('%s %j reads as it should', (source, detail, what, shown) => {
    expect(line(source, detail, what)).toBe(shown);
  });

  it('names every source', () => {
    for (const s of ['step', 'job', 'timer', 'kafka-in', 'operator', 'outbox', 'dead-letter', 'delivery', 'task']) expect(SOURCE[s]).toMatch(/[\u4e00-\u9fff]/);
  });
});
