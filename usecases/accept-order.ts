/**
 * 受理: registers a request as a work order and, in the same transaction, the message that starts
 * its process. The order and its instance cannot diverge: the relay delivers the start, and Zeebe
 * makes one instance of it. A repeated request (same Idempotency-Key) returns the first order.
 */
import { HubError } from './errors.js';
import { RepeatTargetGone, type DutyRota, type KnowledgeLookup, type NewOrder, type OrderStore, type OutboxMessage, type WorkOrderRow } from './ports.js';
import { citizenNotices, contactAtIntake, contactTokenHash, NOTICE_WINDOW_MS, noticeDestinations } from '../domain/notices.js';
import { randomBytes } from 'node:crypto';
import { isLeafCategory, type Catalog } from '../domain/catalog.js';
import { findRepeat, lookBackMs, type RepeatMatch, type RepeatPolicy, type RepeatRequest } from '../domain/repeats.js';
import { startMessage } from './engine-messages.js';
import { earlyWarningMail, majorIncidentOf, type MajorIncidents } from '../domain/instructions.js';
import { dutyLeaderEmail } from './duty.js';
import { escalateRepeats } from './repeats.js';

export class UnknownCode extends HubError {
  constructor(code: 'UNKNOWN_CATEGORY' | 'UNKNOWN_DISTRICT' | 'UNKNOWN_UNIT' | 'UNKNOWN_KNOWLEDGE_ENTRY', message: string) {
    super(code, message, false);
  }
}

/** 重复件: the open order a request about this matter at this place would be merged into (the same caller's, or another's), if any. */
export async function openRepeat(
  deps: { store: Pick<OrderStore, 'repeatCandidates'>; repeats?: RepeatPolicy },
  request: RepeatRequest,
  now: Date,
): Promise<RepeatMatch<WorkOrderRow & { orderNo: string }> | undefined> {
  if (!deps.repeats || lookBackMs(deps.repeats) <= 0) return undefined;
  const candidates = await deps.store.repeatCandidates({ category: request.category, district: request.district, since: new Date(now.getTime() - lookBackMs(deps.repeats)) });
  return findRepeat(request, candidates.map((o) => ({ ...o, orderNo: o.orderNo! })), deps.repeats, now);
}

export async function acceptOrder(
  deps: {
    store: OrderStore;
    catalog: Catalog;
    now?: () => Date;
    repeats?: RepeatPolicy;
    knowledge?: KnowledgeLookup;
    /** An SMS gateway is configured: receipts go by SMS too. */
    sms?: boolean;
    /** The link that confirms an e-mail address nobody heard given, for its token (the gateway's /public/v1/contact/confirm). */
    confirmUrl?: (token: string) => string;
    /** 重大事项: the city's list of major matters (MAJOR_INCIDENTS_FILE), escalated at intake. */
    major?: MajorIncidents;
    rota?: DutyRota;
  },
  input: NewOrder,
  idempotencyKey: string | undefined,
  actor: string,
  /** More messages to send once the order is made, in its transaction (the answer to a transfer). */
  also: (order: WorkOrderRow) => OutboxMessage[] = () => [],
): Promise<{ order: WorkOrderRow; created: boolean }> {
  if (!deps.catalog.categories.some((c) => c.code === input.category)) {
    throw new UnknownCode('UNKNOWN_CATEGORY', `category "${input.category}" is not in the catalog (GET /api/v1/catalog)`);
  }
  if (!isLeafCategory(deps.catalog, input.category)) {
    const children = deps.catalog.categories.filter((c) => c.parent === input.category).map((c) => c.code);
    throw new UnknownCode('UNKNOWN_CATEGORY', `category "${input.category}" is a group; classify the request to one of its categories: ${children.join(', ')}`);
  }
  if (!deps.catalog.districts.some((c) => c.code === input.district)) {
    throw new UnknownCode('UNKNOWN_DISTRICT', `district "${input.district}" is not in the catalog (GET /api/v1/catalog)`);
  }
  if (input.knowledgeEntryId) {
    const entry = await deps.knowledge?.find(input.knowledgeEntryId);
    if (!entry || entry.retiredAt) throw new UnknownCode('UNKNOWN_KNOWLEDGE_ENTRY', `knowledge-base entry ${input.knowledgeEntryId} does not exist or was retired (GET /api/v1/knowledge?q=…)`);
  }
  if (input.complainedUnit && !deps.catalog.units.some((u) => u.code === input.complainedUnit)) {
    throw new UnknownCode('UNKNOWN_UNIT', `complainedUnit "${input.complainedUnit}" is not a unit in the catalog (GET /api/v1/catalog)`);
  }
  // 受理回执: the citizen is told the order number at once (SMS, and e-mail when given one), within
  // each destination's daily limit, and only on a contact a person heard given; an address nobody
  // heard gets one mail asking to confirm it, with a link that carries a token kept as its hash.
  const now = deps.now?.() ?? new Date();
  const how = { sms: deps.sms ?? false };
  const email = input.citizen.email ?? null;
  const heard = contactAtIntake(input.channel, email, now);
  const token = email && !heard.emailConfirmedAt && deps.confirmUrl && !input.citizen.confidential ? randomBytes(24).toString('base64url') : null;
  const contact = { ...heard, emailToken: token ? contactTokenHash(token) : null };
  const recent = await deps.store.noticesSince(noticeDestinations({ citizenPhone: input.citizen.phone, citizenEmail: email, citizenConfidential: input.citizen.confidential }, how), new Date(now.getTime() - NOTICE_WINDOW_MS));
  const confirmUrl = token ? deps.confirmUrl?.(token) : undefined;
  // 重大事项预警: a major matter goes to the duty leader on duty with the order itself, in its transaction.
  const major = deps.major ? majorIncidentOf(deps.major, input) : null;
  const leader = major ? await dutyLeaderEmail(deps, now) : null;
  const warning = (o: WorkOrderRow): OutboxMessage[] =>
    major && leader
      ? [{ channel: 'email', destination: leader, payload: { ...earlyWarningMail({ orderNo: o.orderNo!, kind: major.name, matched: major.matched, title: input.citizen.confidential ? (deps.catalog.categories.find((c) => c.code === input.category)?.name ?? input.category) : input.title, districtName: deps.catalog.districts.find((x) => x.code === input.district)?.name ?? input.district, at: now }), orderNo: o.orderNo! }, dedupKey: `major-incident:${o.orderNo}:email` }]
      : [];
  const start = (o: WorkOrderRow) => [startMessage({ ...o, orderNo: o.orderNo! }), ...citizenNotices('received', { ...o, orderNo: o.orderNo! }, { ...how, recent, confirmUrl }), ...warning(o), ...also(o)];
  const taken: NewOrder = { ...input, contact };
  // 重复件: the same matter at the same place, from the same caller or another, is linked to the open order.
  const repeat = await openRepeat(deps, { phone: input.citizen.phone, type: input.type, category: input.category, district: input.district, address: input.address, location: input.location ?? null }, now);
  if (repeat) {
    try {
      // No process and no receipt for a merged call; what the caller sends once the order is made
      // (the answer to a 110 transfer) goes all the same, or the line would never hear back.
      const merged = await deps.store.register({ ...taken, repeatBy: repeat.by }, idempotencyKey, actor, also, repeat.orderNo);
      // 层级上报: a matter that keeps coming back is reported up at the counts the policy sets.
      if (merged.created && deps.repeats) await escalateRepeats({ ...deps, policy: deps.repeats, now: () => now }, repeat.orderNo);
      return merged;
    } catch (err) {
      // Closed between the look and the merge: the request becomes an order of its own.
      if (!(err instanceof RepeatTargetGone)) throw err;
    }
  }
  const made = await deps.store.register(taken, idempotencyKey, actor, start);
  if (major && made.created) {
    // Marked and recorded once the order exists (the warning itself went with it).
    await deps.store.applyStep(made.order.orderNo!, { step: 'major-incident', actor: 'hub', note: `重大事项预警：涉及${major.name}（“${major.matched}”），已报值班领导`, detail: { kind: major.code, name: major.name, matched: major.matched, leader }, dedupKey: `major-incident:${made.order.orderNo}` }, { majorKind: major.code, majorAt: now });
  }
  return made;
}
