/**
 * 派单: sends the order to its unit. The order's new state, its history entry, the Kafka event
 * (keyed by unit) and the e-mail go into one transaction through the outbox; the relay delivers
 * them. A retried job finds its dedup key and emits nothing twice. It also computes the instants
 * the handling timers wait for (acknowledge, remind, due, supervise), from the deadline in working
 * days and the minutes of bpmn/handling-policy.dmn. A rule that lists "units" makes it co-handled
 * (主办/协办): the units listed are mailed to help, and answer by the same deadline.
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { dueAt, handlingTimes, timerDate } from '../domain/deadline.js';
import { requestForUnit, titleForUnit } from '../domain/masking.js';
import { envelope, unitTopics } from '../domain/events.js';
import { assistMail, chinaTime, dispatchMail, STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { dispatchDecision, handlingPolicy, timerInstant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatch: dispatchDecision, policy: handlingPolicy, redoCount: z.number().int().min(0).default(0) }),
  outputs: z.object({
    dueAt: timerInstant,
    acknowledgeBy: timerInstant,
    remindAt: timerInstant,
    escalateAt: timerInstant,
    dispatchSeq: z.number().int().min(1),
    unit: z.string(),
    acknowledged: z.literal(false),
    helpers: z.array(z.string()),
    helpersDueAt: timerInstant,
  }),
  create: ({ store, catalog, calendar, log, now }) => async ({ orderNo, dispatch, policy, redoCount }, job) => {
    const order = await store.find(orderNo);
    if (!order) throw new Error(`order ${orderNo} is not in the database`);
    const unit = dispatch.unit ? findUnit(catalog, dispatch.unit) : undefined;
    if (!unit) throw new Error(`unit "${dispatch.unit}" is not in config/catalog.json`);
    // 回避 is law: whatever a model or a dispatcher said, an order never goes to the unit it complains about.
    if (unit.code === order.complainedUnit) {
      throw new Error(`order ${orderNo} complains about ${unit.code} and is never dispatched there (回避); correct bpmn/dispatch.dmn or the catalog's supervisor of ${unit.code}, then retry the incident`);
    }
    const start = now();
    const counted = dueAt(start, dispatch.minutes !== null ? { minutes: dispatch.minutes } : { workingDays: dispatch.workingDays! }, calendar);
    // Whole seconds: the order, the event and the timer name the same instant.
    const due = new Date(Math.ceil(counted.due.getTime() / 1000) * 1000);
    const { uncoveredYears } = counted;
    // A deadline counted through a year the calendar does not know is a guess: say so, never silently.
    const estimated = uncoveredYears.length > 0;
    if (estimated) log.warn({ orderNo, alert: 'calendar-gap', years: uncoveredYears }, `order ${orderNo}: its deadline runs into ${uncoveredYears.join(', ')}, which the working-day calendar does not know; it was counted from weekends only. Add the year to CALENDAR_FILE.`);
    const round = redoCount + 1;
    const dispatchSeq = order.dispatchSeq + 1;
    const times = handlingTimes(start, due, policy);
    // A confidential request goes out as the call-taker's summary, without the exact address or the citizen.
    const { description, address, citizen } = requestForUnit({
      description: order.description,
      address: order.address,
      unitSummary: order.unitSummary,
      districtName: catalog.districts.find((d) => d.code === order.district)?.name ?? order.district,
      citizen: { name: order.citizenName, phone: order.citizenPhone, confidential: order.citizenConfidential },
    });
    const event = envelope(
      'order.dispatched',
      orderNo,
      {
        unit: unit.code,
        unitName: unit.name,
        type: order.type,
        category: order.category,
        district: order.district,
        title: titleForUnit(order, catalog.categories),
        description,
        address,
        urgent: order.urgent,
        handlingMode: dispatch.mode,
        dueAt: due.toISOString(),
        acknowledgeBy: times.acknowledgeBy.toISOString(),
        round,
        citizen,
      },
      'hub',
      { correlationId: order.correlationId },
    );
    const mail = dispatchMail({ orderNo, unitName: unit.name, title: titleForUnit(order, catalog.categories), description, address, due: chinaTime(due), mode: dispatch.mode, citizen });
    // 协办: the rule's other units help; never the lead itself, never the unit complained about (回避).
    const helpers = (dispatch.units ?? '').split(',').map((c) => c.trim()).filter((c) => c && c !== unit.code && c !== order.complainedUnit);
    const helperUnits = helpers.map((c) => findUnit(catalog, c));
    if (helperUnits.some((u) => !u)) throw new Error(`order ${orderNo}: the helping units "${dispatch.units}" are not all in config/catalog.json; correct bpmn/dispatch.dmn, then retry the incident`);
    const dedupKey = job.stepKey('dispatch');
    const outcome = await store.applyStep(
      orderNo,
      {
        step: 'dispatch',
        actor: 'hub',
        note:
          STEP_NOTES.dispatch(unit.name, chinaTime(due), round) +
          (estimated ? STEP_NOTES.dueEstimated(uncoveredYears) : '') +
          (helpers.length > 0 ? `；${STEP_NOTES.helpers(unit.name, helperUnits.map((u) => u!.name))}` : ''),
        detail: { unit: unit.code, helpers, ...timerVariables(due, times), dueAtEstimated: estimated, uncoveredYears, round, dispatchSeq, eventId: event.id },
        dedupKey,
      },
      { unitCode: unit.code, subUnitCode: null, helperUnits: helpers.length > 0 ? helpers.join(',') : null, dueAt: due, dueAtEstimated: estimated, acknowledgedAt: null, increment: 'dispatchSeq' },
      [
        ...helperUnits.map((h) => ({
          channel: 'email' as const,
          destination: h!.email,
          payload: { ...assistMail({ orderNo, unitName: h!.name, lead: unit.name, title: titleForUnit(order, catalog.categories), description, address, due: chinaTime(due) }), orderNo },
          dedupKey: `${dedupKey}:assist:${h!.code}`,
        })),
        // The unit's own topic: no unit system reads another unit's orders.
        { channel: 'kafka', destination: unitTopics(unit.code).dispatched, messageKey: orderNo, payload: event, dedupKey: `${dedupKey}:kafka` },
        { channel: 'email', destination: unit.email, payload: { ...mail, orderNo }, dedupKey: `${dedupKey}:email` },
      ],
      { transition: 'dispatch' },
    );
    // On a retry the first attempt's dispatch stands: its sequence and its instants.
    if (outcome === 'duplicate') {
      const first = JSON.parse((await store.historyEntry(dedupKey))?.detail ?? 'null') as (ReturnType<typeof timerVariables> & { dispatchSeq: number }) | null;
      if (!first?.dispatchSeq) throw new Error(`order ${orderNo}: the dispatch ${dedupKey} was recorded without its timers; retry the incident after checking order_history`);
      return { ...pick(first), dispatchSeq: first.dispatchSeq, unit: unit.code, acknowledged: false, helpers, helpersDueAt: first.dueAt };
    }
    // The helpers answer by the lead's deadline; the lead's reply waits for them until then.
    return { ...timerVariables(due, times), dispatchSeq, unit: unit.code, acknowledged: false, helpers, helpersDueAt: timerDate(due) };
  },
});

const timerVariables = (due: Date, t: { acknowledgeBy: Date; remindAt: Date; escalateAt: Date }) => ({
  dueAt: timerDate(due),
  acknowledgeBy: timerDate(t.acknowledgeBy),
  remindAt: timerDate(t.remindAt),
  escalateAt: timerDate(t.escalateAt),
});
const pick = (v: ReturnType<typeof timerVariables>) => ({ dueAt: v.dueAt, acknowledgeBy: v.acknowledgeBy, remindAt: v.remindAt, escalateAt: v.escalateAt });
