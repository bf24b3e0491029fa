/**
 * 办结: the order is closed; an order an emergency line transferred (110转12345) tells the line how
 * it ended, in the same step. The citizen's closing notice carries the evaluation link (一事一评):
 * a token of its own, kept as its hash; an order closed again after a reopen keeps its first link. 抽查: a share of closing orders (SPOT_CHECK_FILE) is drawn for a
 * supervisor's quality check of the unit's answer; the check's task opens in the closing
 * transaction, so a drawn order is never closed without it.
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { dueAt } from '../domain/deadline.js';
import { citizenNotices, contactTokenHash, evaluationLinks, newLinkToken, NOTICE_WINDOW_MS, noticeDestinations, publicUrl } from '../domain/notices.js';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { TRANSFER_CHANNEL, transferConclusion } from '../usecases/transfer-in.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string() }),
  create: ({ store, now, config, spotCheck, catalog, calendar }) => async ({ orderNo }, job) => {
    const order = await store.find(orderNo);
    // 办结告知: the citizen is told in writing too (the callback was by phone).
    const how = { sms: !!config.SMS_URL };
    const recent = order ? await store.noticesSince(noticeDestinations(order, how), new Date(now().getTime() - NOTICE_WINDOW_MS)) : new Map<string, number>();
    const token = order && !order.citizenRatingToken ? newLinkToken() : null;
    const base = evaluationLinks(publicUrl(config), config.SMS_LINK_BASE);
    const evaluation = token ? { sms: base.sms && `${base.sms}${token}`, email: `${base.email}${token}` } : undefined;
    const notices = order ? citizenNotices('closed', { ...order, orderNo }, { ...how, recent, evaluation }) : [];
    const fromLine = order?.channel === TRANSFER_CHANNEL;
    const reply = order && (spotCheck || fromLine) ? [...(await store.history(orderNo))].reverse().find((h) => h.step === 'reply') : undefined;
    // Only an answer a unit gave is checked: an order answered at once, referred or forwarded has none.
    const draw = order && reply && spotCheck ? spotCheck({ category: order.category, satisfaction: order.satisfaction, redoCount: order.redoCount }) : null;
    const dedupKey = job.stepKey('close');
    const answer = JSON.parse(reply?.detail ?? '{}') as { unit?: string; result?: string; id?: string };
    const unit = answer.unit ?? order?.unitCode ?? null;
    const unitName = unit ? (findUnit(catalog, unit)?.name ?? unit) : null;
    // 110转12345: the line that transferred it is told how it ended.
    const conclusion = order && fromLine ? await transferConclusion({ store, catalog }, { ...order, orderNo }, { outcome: 'closed', result: answer.result ?? STEP_NOTES.close, unitName, satisfaction: order.satisfaction, at: now() }) : null;
    await store.applyStep(
      orderNo,
      { step: 'close', actor: 'hub', note: STEP_NOTES.close, detail: draw ? { spotCheck: { share: draw.share, drawn: draw.drawn } } : undefined, dedupKey },
      { closedAt: now(), ...(token ? { citizenRatingToken: contactTokenHash(token) } : {}) },
      conclusion ? [...notices, conclusion] : notices,
      {
        transition: 'close',
        ...(draw?.drawn && unit
          ? {
              openTask: {
                orderNo,
                kind: 'spot-check' as const,
                role: 'supervisor',
                detail: { unit, unitName, replyId: answer.id ?? null, answer: answer.result ?? '', satisfaction: order!.satisfaction, share: draw.share, redoWorkingDays: draw.redoWorkingDays },
                dedupKey: `task:${dedupKey}`,
                dueAt: dueAt(now(), { workingDays: draw.checkWorkingDays }, calendar).due,
              },
            }
          : {}),
      },
    );
    return {};
  },
});
