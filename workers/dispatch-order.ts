/**
 * 派单: sends the order to its unit. The order's new state, its history entry, the Kafka event
 * (keyed by unit) and the e-mail go into one transaction through the outbox; the relay delivers
 * them. A retried job finds its dedup key and emits nothing twice.
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { dueAt } from '../domain/deadline.js';
import { requestForUnit } from '../domain/masking.js';
import { envelope, unitTopics } from '../domain/events.js';
import { chinaTime, dispatchMail, STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { dispatchDecision } from './variables.js';

/** Zeebe timers read ISO 8601 date-times; whole seconds keep every line's parser happy. */
const timerDate = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatch: dispatchDecision, redoCount: z.number().int().min(0).default(0) }),
  create: ({ store, catalog, calendar, log, now }) => async ({ orderNo, dispatch, redoCount }, job) => {
    const order = await store.find(orderNo);
    if (!order) throw new Error(`order ${orderNo} is not in the database`);
    const unit = dispatch.unit ? findUnit(catalog, dispatch.unit) : undefined;
    if (!unit) throw new Error(`unit "${dispatch.unit}" is not in config/catalog.json`);
    // 回避 is law: whatever a model or a dispatcher said, an order never goes to the unit it complains about.
    if (unit.code === order.complainedUnit) {
      throw new Error(`order ${orderNo} complains about ${unit.code} and is never dispatched there (回避); correct bpmn/dispatch.dmn or the catalog's supervisor of ${unit.code}, then retry the incident`);
    }
    const { due, uncoveredYears } = dueAt(now(), dispatch.minutes !== null ? { minutes: dispatch.minutes } : { workingDays: dispatch.workingDays! }, calendar);
    // A deadline counted through a year the calendar does not know is a guess: say so, never silently.
    const estimated = uncoveredYears.length > 0;
    if (estimated) log.warn({ orderNo, alert: 'calendar-gap', years: uncoveredYears }, `order ${orderNo}: its deadline runs into ${uncoveredYears.join(', ')}, which the working-day calendar does not know; it was counted from weekends only. Add the year to CALENDAR_FILE.`);
    const round = redoCount + 1;
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
        title: order.title,
        description,
        address,
        urgent: order.urgent,
        handlingMode: dispatch.mode,
        dueAt: due.toISOString(),
        round,
        citizen,
      },
      'hub',
    );
    const mail = dispatchMail({ orderNo, unitName: unit.name, title: order.title, description, address, due: chinaTime(due), mode: dispatch.mode, citizen });
    const dedupKey = job.stepKey('dispatch');
    const outcome = await store.applyStep(
      orderNo,
      {
        step: 'dispatch',
        actor: 'hub',
        note: STEP_NOTES.dispatch(unit.name, chinaTime(due), round) + (estimated ? STEP_NOTES.dueEstimated(uncoveredYears) : ''),
        detail: { unit: unit.code, dueAt: due.toISOString(), dueAtEstimated: estimated, uncoveredYears, round, eventId: event.id },
        dedupKey,
      },
      { unitCode: unit.code, dueAt: due, dueAtEstimated: estimated },
      [
        // The unit's own topic: no unit system reads another unit's orders.
        { channel: 'kafka', destination: unitTopics(unit.code).dispatched, messageKey: orderNo, payload: event, dedupKey: `${dedupKey}:kafka` },
        { channel: 'email', destination: unit.email, payload: { ...mail, orderNo }, dedupKey: `${dedupKey}:email` },
      ],
      { transition: 'dispatch' },
    );
    // On a retry the first attempt's deadline stands.
    const effectiveDue = outcome === 'duplicate' ? ((await store.find(orderNo))?.dueAt ?? due) : due;
    return { dueAt: timerDate(effectiveDue), unit: unit.code };
  },
});
