/** 当即答复: answered at intake (from the knowledge base, which the history cites) or by the rules' choice; nothing is dispatched. */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string() }),
  create: ({ store, knowledge }) => async ({ orderNo }, job) => {
    const order = await store.find(orderNo);
    const entry = order?.knowledgeEntryId ? await knowledge?.find(order.knowledgeEntryId) : null;
    const note = entry ? STEP_NOTES.answerCiting(entry.id, entry.title) : STEP_NOTES.answer;
    await store.applyStep(orderNo, { step: 'answer', actor: 'hotline', note, detail: entry ? { knowledgeEntryId: entry.id } : undefined, dedupKey: job.stepKey('answer') }, {}, [], { transition: 'answer' });
    return {};
  },
});
