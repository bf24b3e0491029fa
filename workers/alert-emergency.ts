/**
 * 紧急移交未确认: the emergency line has not acknowledged in time. The duty leader is alerted by
 * e-mail (to call the line) and the model hands the order over again. The e-mail names the order
 * and the line, not the caller.
 */
import { z } from 'zod';
import { findPartner } from '../domain/catalog.js';
import { chinaTime, STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { dutyLeaderEmail } from '../usecases/duty.js';
import { instant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), emergencyTransfer: z.object({ partner: z.string() }), handoverAttempt: z.number().int().min(1), ackDueAt: instant }),
  create: ({ store, catalog, now, rota }) => async ({ orderNo, emergencyTransfer, handoverAttempt, ackDueAt }, job) => {
    const partner = findPartner(catalog, emergencyTransfer.partner);
    const name = partner?.name ?? emergencyTransfer.partner;
    const dedupKey = job.stepKey('handover-unacknowledged');
    const note = STEP_NOTES.handoverLate(name, handoverAttempt);
    const leader = await dutyLeaderEmail({ rota, catalog }, now());
    await store.applyStep(
      orderNo,
      { step: 'handover-unacknowledged', actor: 'hub', note, detail: { partner: emergencyTransfer.partner, attempt: handoverAttempt, ackBy: ackDueAt.toISOString() }, dedupKey },
      {},
      [{
        channel: 'email',
        destination: leader,
        payload: {
          subject: `【紧急】工单 ${orderNo} 移交${name}未获确认`,
          text: `值班领导：\n\n工单 ${orderNo} 第${handoverAttempt}次移交${name}，应于 ${chinaTime(ackDueAt)} 前确认，至今未获确认，系统已再次移交。\n请立即电话联系${partner?.number ?? ''}${name}核实接收情况。\n\n12345政务服务便民热线`,
          orderNo,
        },
        dedupKey: `${dedupKey}:email`,
      }],
    );
    return {};
  },
});
