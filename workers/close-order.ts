/** 办结: the order is closed. */
import { z } from 'zod';
import { citizenNotices, NOTICE_WINDOW_MS, noticeDestinations } from '../domain/notices.js';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string() }),
  create: ({ store, now, config }) => async ({ orderNo }, job) => {
    const order = await store.find(orderNo);
    // 办结告知: the citizen is told in writing too (the callback was by phone).
    const how = { sms: !!config.SMS_URL };
    const recent = order ? await store.noticesSince(noticeDestinations(order, how), new Date(now().getTime() - NOTICE_WINDOW_MS)) : new Map<string, number>();
    const notices = order ? citizenNotices('closed', { ...order, orderNo }, { ...how, recent }) : [];
    await store.applyStep(orderNo, { step: 'close', actor: 'hub', note: STEP_NOTES.close, dedupKey: job.stepKey('close') }, { closedAt: now() }, notices, { transition: 'close' });
    return {};
  },
});
