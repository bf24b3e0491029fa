/**
 * What the use cases and workers need from storage, as interfaces: the records they read, the one
 * way to change an order (`commit`, or a step through `applyStep`/`withOrder`), and the store's
 * other concerns, each its own interface (tasks, transfers, external references, publication,
 * repeats). infra/db implements them on MySQL; the unit tests implement them in memory
 * (test/support/memory-store.ts). Nothing here does I/O.
 */
import { TRANSITIONS, type OrderStatus, type Transition } from '../domain/order.js';
import type { OutboxMessage } from '../domain/outgoing.js';
import type { StepCode } from '../domain/text.js';
import { createHash } from 'node:crypto';
import type { Catalog } from '../domain/catalog.js';
import type { Digest } from '../domain/digest.js';
import type { Open311Fields, Open311Query } from '../domain/open311.js';
import { HubError } from './errors.js';

export type { OutboxChannel, OutboxMessage } from '../domain/outgoing.js';

/** A message to the engine, as the outbox's `engine` channel keeps it: a use case writes it, the binding's sender delivers it. */
export interface EngineMessagePayload {
  name: string;
  correlationKey: string;
  messageId: string;
  timeToLive: number;
  variables: Record<string, unknown>;
  /** The message starts an instance (a message start event) instead of reaching a waiting one. */
  start?: boolean;
  /**
   * The message only shortens a wait (an acknowledgement): when nothing waits for it within its
   * time to live it is dropped, as Zeebe drops an expired message, instead of kept for an operator.
   */
  expendable?: boolean;
}

/** A work order as stored. */
export interface WorkOrderRow {
  id: string;
  orderNo: string | null;
  /** Random, unique across databases: the key of this order's messages in Zeebe. */
  correlationId: string;
  idempotencyKey: string | null;
  requestHash: string;
  channel: string;
  type: string;
  category: string;
  district: string;
  title: string;
  description: string;
  address: string;
  urgent: boolean;
  citizenName: string;
  citizenPhone: string;
  citizenEmail: string | null;
  /** When the phone was confirmed: given to a call-taker, or a callback reached the citizen on it. Until then nothing is written to it. */
  citizenPhoneConfirmedAt: Date | null;
  /** When the citizen confirmed the e-mail address (the link in the one mail sent before). Until then only that mail goes there. */
  citizenEmailConfirmedAt: Date | null;
  /** SHA-256 of the confirmation link's token, while the address waits for it. */
  citizenEmailToken: string | null;
  emergencyKind: string | null;
  threeWayCall: string | null;
  partnerCode: string | null;
  citizenConfidential: boolean;
  /** What a unit is told of a confidential complaint, written by the call-taker (the raw words stay here). */
  unitSummary: string | null;
  /** The unit the request complains about (回避): never dispatched there, never shown to it. */
  complainedUnit: string | null;
  status: OrderStatus;
  handlingMode: string | null;
  unitCode: string | null;
  /** 三级: the level-3 unit (street) the district sent it on to, while it handles it; null otherwise. */
  subUnitCode: string | null;
  /** 主办/协办: the units helping the lead on this dispatch (comma-separated codes); null for none. */
  helperUnits: string | null;
  dueAt: Date | null;
  /** The deadline ran into a year the working-day calendar does not know: counted from weekends only. */
  dueAtEstimated: boolean;
  processInstanceKey: string | null;
  redoCount: number;
  chaseCount: number;
  /** How many times the order was dispatched: a unit's messages are keyed to one dispatch. */
  dispatchSeq: number;
  /** 签收: when the unit of the current dispatch acknowledged it (null until then, and again after a new dispatch). */
  acknowledgedAt: Date | null;
  /** 紧急件: when the unit confirmed it was on site. */
  onSiteAt: Date | null;
  returnCount: number;
  extensionCount: number;
  /** 督办: when chasing went to the duty leader. */
  supervisedAt: Date | null;
  /** 疑难件: when the order became a hard case (hard-case.dmn, or a supervisor), and why. */
  hardCaseAt: Date | null;
  hardCaseReason: string | null;
  /** 重大事项: the major matter found at intake (config/major-incidents.json), escalated then. */
  majorKind: string | null;
  majorAt: Date | null;
  /** 一事一评: the citizen's own evaluation once closed (1–5), when, and what they wrote. */
  citizenRating: number | null;
  citizenRatedAt: Date | null;
  citizenComment: string | null;
  /** SHA-256 of the evaluation link's token the closing SMS carried (domain/notices.ts), or null. */
  citizenRatingToken: string | null;
  /** The version of the dispatch catalogue (派单目录, bpmn/dispatch.dmn) that picked the unit. */
  catalogueVersion: string | null;
  /** When the unit's last answer came (the statistics' "on time" is by the deadline). */
  repliedAt: Date | null;
  closedAt: Date | null;
  /** Where the request is on the map (WGS-84), when the caller's app or Open311 gave a point; the address is what units read. */
  lat: number | null;
  lng: number | null;
  /** 重复件: this call repeats that open order (its status is "merged"; it is not handled on its own). */
  mergedInto: string | null;
  /** How many repeat calls were merged into this order. */
  repeatCount: number;
  /** 政务公开: when and by whom the order was published, and the anonymised texts the public reads. */
  publishedAt: Date | null;
  publishedBy: string | null;
  publicSummary: string | null;
  publicAnswer: string | null;
  /** 当即答复: the knowledge-base entry the call-taker answered from. */
  knowledgeEntryId: string | null;
  satisfaction: string | null;
  /** 回访: whether the citizen said the problem was solved (null: not asked). */
  resolved: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface HistoryRow {
  id: string;
  orderNo: string;
  step: string;
  actor: string;
  note: string;
  detail: string | null;
  /** Makes a retried step write its entry once (for example a job's element instance key). */
  dedupKey: string | null;
  occurredAt: Date;
}

export type HumanTaskKind = 'redispatch' | 'return-review' | 'extension-approval' | 'reply-review' | 'coordination' | 'street-review' | 'consultation' | 'instruction-report' | 'spot-check';

/** A decision a person must take (人工任务): listed per role and unit, completed through the API. */
export interface HumanTaskRow {
  id: string;
  orderNo: string;
  kind: HumanTaskKind;
  /** The role that decides. */
  role: string;
  /** For a unit's task, its unit; null for the centre's roles. */
  unitCode: string | null;
  status: 'open' | 'done' | 'cancelled';
  /** What the person needs to decide (JSON): the reason given, the date asked for. */
  detail: string | null;
  dedupKey: string;
  createdAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
  completedBy: string | null;
  /** The decision (JSON). */
  outcome: string | null;
  /** Left open past dueAt, it was chased then (once). */
  chasedAt: Date | null;
}


/** A request to register: the order's own fields as a call-taker gives them, and who called. */
export interface NewOrder extends Pick<WorkOrderRow, 'channel' | 'type' | 'category' | 'district' | 'title' | 'description' | 'address' | 'urgent'> {
  /** `email`: where the citizen asked to be told of the outcome (optional). */
  citizen: { name: string; phone: string; confidential: boolean; email?: string | null };
  /** What of the contact is confirmed at intake, and the e-mail confirmation token's hash (usecases/accept-order.ts). */
  contact?: { phoneConfirmedAt: Date | null; emailConfirmedAt: Date | null; emailToken: string | null };
  /** 紧急: the call-taker found an emergency of this kind, and (when unclear) the three-way call's outcome. */
  emergency?: { kind: string; threeWayCall?: string | null } | null;
  /** The unit-facing summary of a confidential complaint. */
  unitSummary?: string | null;
  /** The unit the request complains about (回避). */
  complainedUnit?: string | null;
  /** 当即答复: the knowledge-base entry the call-taker answered from. */
  knowledgeEntryId?: string | null;
  /** 110转12345: the emergency line's transfer the order is made of, recorded with it (once per incident). */
  transfer?: TransferIn | null;
  /** Where it is on the map, when given (重复件 across callers within a radius). */
  location?: { lat: number; lng: number } | null;
  /** 重复件: merged as the same caller's call again, or another caller's about the same matter (the open order's history says which). */
  repeatBy?: 'same-caller' | 'other-caller';
}

/** 110转12345: a transfer from an emergency line, as the hub decided on it (bpmn/transfer-in.dmn). */
export interface TransferIn {
  partner: string;
  /** For the history's note (not stored with the transfer). */
  partnerName: string;
  incidentId: string;
  item: string;
  threeWayCall?: string | null;
  reason?: string | null;
}

export interface TransferRecord extends Omit<TransferIn, 'partnerName'> {
  accepted: boolean;
  orderNo: string | null;
  receivedAt: Date;
}

export interface StepEntry {
  /** One of domain/text.ts STEP_NAMES: every step has its name on the screens. */
  step: StepCode;
  actor: string;
  note: string;
  detail?: unknown;
  dedupKey?: string;
  occurredAt?: Date;
}

export type Patch = Partial<
  Pick<WorkOrderRow, 'status' | 'handlingMode' | 'unitCode' | 'subUnitCode' | 'helperUnits' | 'dueAt' | 'dueAtEstimated' | 'processInstanceKey' | 'mergedInto' | 'repeatCount' | 'satisfaction' | 'resolved' | 'acknowledgedAt' | 'onSiteAt' | 'supervisedAt' | 'hardCaseAt' | 'hardCaseReason' | 'majorKind' | 'majorAt' | 'citizenRating' | 'citizenRatedAt' | 'citizenComment' | 'citizenRatingToken' | 'catalogueVersion' | 'repliedAt' | 'closedAt' | 'publishedAt' | 'publishedBy' | 'publicSummary' | 'publicAnswer' | 'partnerCode' | 'citizenPhoneConfirmedAt' | 'citizenEmailConfirmedAt' | 'citizenEmailToken'>
> & {
  increment?: Counter | Counter[];
};
type Counter = 'redoCount' | 'chaseCount' | 'dispatchSeq' | 'returnCount' | 'extensionCount' | 'repeatCount';

export interface StepOptions {
  /** The status change this step makes: applied only from the statuses the table allows. */
  transition?: Transition;
  /** The message that caused the step: recorded in the same transaction (the inbox). */
  inbox?: InboxEntry;
  /** Only when the order's process instance is not yet recorded, or is this one. */
  claimInstance?: string;
  /** A human task the step opens, in the same transaction. */
  openTask?: NewTask;
}

/**
 * The message a step comes from, kept in the inbox with the step (a redelivery is then a
 * duplicate). `link`: the sending system's own id of the order (its case id), tied to the order in
 * the same transaction; an id that is already another order's refuses the step (ExternalRefTaken).
 */
export interface InboxEntry {
  messageId: string;
  source: string;
  link?: { system: string; id: string };
}

/** A legacy system's id that is already another order's: the step that would tie it here is refused. */
export class ExternalRefTaken extends HubError {
  constructor(ref: { system: string; id: string }, owner: string, orderNo: string) {
    super('EXTERNAL_REF_TAKEN', `${ref.system} id ${ref.id} belongs to order ${owner}, not ${orderNo}`, false);
  }
}

/** What a decision writes to an order (see OrderStore.commit); the dedup key and the inbox are the commit's. */
export interface OrderWrite {
  entry: Omit<StepEntry, 'dedupKey'>;
  patch?: Patch;
  outbox?: OutboxMessage[];
  opts?: Omit<StepOptions, 'inbox'>;
}

/** What a decision may read besides the locked order, in the same transaction. */
export interface OrderReads {
  /** The order's history entries of one step, oldest first. */
  steps(step: string): Promise<HistoryRow[]>;
}

export class IdempotencyConflict extends HubError {
  constructor(message: string) {
    super('IDEMPOTENCY_KEY_REUSED', message, false);
  }
}

/** The order is not in a status from which this step may be taken (a late, repeated or racing message). */
export class TransitionRefused extends HubError {
  constructor(
    readonly orderNo: string,
    readonly transition: Transition,
    readonly status: string,
  ) {
    super('TRANSITION_REFUSED', `order ${orderNo} is ${status}; "${transition}" is allowed only from ${TRANSITIONS[transition].from.join(' or ')}`, false);
  }
}

/** The open order a repeat call was to be merged into closed meanwhile: register it as an order of its own. */
export class RepeatTargetGone extends HubError {
  constructor(orderNo: string) {
    super('REPEAT_TARGET_GONE', `order ${orderNo} is no longer open`, true);
  }
}

export class OrderNotFound extends HubError {
  constructor(readonly orderNo: string) {
    super('ORDER_NOT_FOUND', `order ${orderNo} does not exist`, false);
  }
}

/** The process instance is not the one recorded for the order: a second instance of one order. */
export class InstanceConflict extends HubError {
  constructor(orderNo: string, recorded: string, seen: string) {
    super('DUPLICATE_INSTANCE', `order ${orderNo} already runs in process instance ${recorded}; instance ${seen} is a duplicate`, false);
  }
}

/** A human task to open (its dedup key makes a repeat open nothing). */
export interface NewTask {
  orderNo: string;
  kind: HumanTaskKind;
  role: string;
  unitCode?: string | null;
  detail: unknown;
  dedupKey: string;
  dueAt?: Date | null;
}

/** One transaction on one locked order: what a use case needs to check and apply a step. */
export interface OrderTx {
  /** Was a step with this dedup key, or a message with this id, applied before? */
  seen(dedupKey: string, messageId?: string): Promise<boolean>;
  /** The order's history entries of one step, oldest first. */
  steps(orderNo: string, step: string): Promise<HistoryRow[]>;
  /** Opens a human task in this transaction (its dedup key makes a repeat open nothing). */
  openTask(t: NewTask): Promise<void>;
  /** Marks an open task chased; false when it was chased or completed meanwhile. */
  chaseTask(id: string): Promise<boolean>;
  /** Ends the order's open tasks (the order was cancelled): they leave every list. */
  cancelTasks(orderNo: string, by: string): Promise<number>;
  /** Drops the order's engine messages not sent yet (its instance is gone): their names. */
  dropEngineMessages(orderNo: string): Promise<string[]>;
  /** Closes an open task with its decision; false when it was not open (someone else decided first). */
  completeTask(id: string, by: string, outcome: unknown): Promise<boolean>;
  /**
   * Writes one step: its history entry, the order's fields, its outbox messages, the inbox record
   * and any task. Throws TransitionRefused (or InstanceConflict) and writes nothing when the order
   * is not in a status the step's transition allows.
   */
  apply(orderNo: string, entry: StepEntry, patch?: Patch, outbox?: OutboxMessage[], opts?: StepOptions): Promise<void>;
}

/** The answer of a commit: applied, seen before, or (a decision that found nothing to do) unchanged. */
export type CommitOutcome<W> = 'accepted' | 'duplicate' | (null extends W ? 'unchanged' : never);

/** Orders: register one, change one, read them. */
/** 工单查询: what a list of orders is narrowed to; every filter given holds. Newest first; `beforeId` is the last id of the page before. */
export interface OrderQuery {
  /** A unit's key: what that unit may see (its own, its street's, those it helps; never a complaint about it). */
  unit?: string;
  status?: string;
  /** 承办单位: the unit it went to, or the street it was sent on to. */
  handledBy?: string;
  /** Any of these categories (a group's leaves). */
  categories?: readonly string[];
  district?: string;
  /** The caller's phone, as written or as digits (the centre only: the gateway refuses it to others). */
  phone?: string;
  /** Part of the address, as written. */
  address?: string;
  /** Accepted at or after `from`, before `to`. */
  from?: Date;
  to?: Date;
  limit: number;
  beforeId?: string;
}

export interface Orders {
  /**
   * Registers a request as a work order, or returns the order an earlier request with the same
   * Idempotency-Key created (IdempotencyConflict when the key came with another request). The
   * messages `emit` returns for the new order commit with it, a merged one's too. `mergeInto`:
   * 重复件, a repeat call of that open order (RepeatTargetGone when it closed meanwhile).
   */
  register(input: NewOrder, idempotencyKey: string | undefined, actor: string, emit: (order: WorkOrderRow) => OutboxMessage[], mergeInto?: string): Promise<{ order: WorkOrderRow; created: boolean }>;
  /** Applies one step in its own transaction; 'duplicate' (nothing changed) when its dedup key was seen. */
  applyStep(orderNo: string, entry: StepEntry, patch?: Patch, outbox?: OutboxMessage[], opts?: StepOptions): Promise<'applied' | 'duplicate'>;
  /**
   * The way to change an order: locks it; a step applied before (its dedup key, or its message's
   * id in the inbox) is 'duplicate'; otherwise `decide` returns the write (or throws its refusal,
   * or returns null: nothing to do, 'unchanged'), and all of it is written in one transaction.
   */
  commit<W extends OrderWrite | null>(orderNo: string, dedupKey: string, decide: (order: WorkOrderRow, read: OrderReads) => W | Promise<W>, opts?: { inbox?: InboxEntry }): Promise<CommitOutcome<W>>;
  /** Runs `fn` in one transaction with the order locked (OrderNotFound when there is none). */
  withOrder<T>(orderNo: string, fn: (order: WorkOrderRow, tx: OrderTx) => Promise<T>): Promise<T>;
  find(orderNo: string): Promise<WorkOrderRow | null>;
  /** Orders newest first, a page at a time, narrowed by every filter the query gives (OrderQuery). */
  list(q: OrderQuery): Promise<WorkOrderRow[]>;
  history(orderNo: string): Promise<HistoryRow[]>;
  /** The history entry a step wrote (by its dedup key): what a retried step reads back. */
  historyEntry(dedupKey: string): Promise<HistoryRow | null>;
  /** The process instances of open orders (of these orders only, when given): instance key → order number. */
  runningInstances(orderNos?: string[]): Promise<Map<string, string>>;
  /** How many orders are in each status now. */
  countByStatus(): Promise<Array<{ status: string; count: number }>>;
  /** Resolves when storage answers. */
  ping(): Promise<void>;
}

/** Human tasks (人工任务), as listed to people; they are opened and closed inside an order's transaction (OrderTx). */
export interface Tasks {
  tasks(q: { role?: string; unit?: string; orderNo?: string; kind?: string; status?: 'open' | 'done'; limit: number; afterId?: string }): Promise<HumanTaskRow[]>;
  /** Open tasks past their deadline and not chased yet, oldest deadline first. */
  overdueTasks(now: Date, limit: number): Promise<HumanTaskRow[]>;
  task(id: string): Promise<HumanTaskRow | null>;
}

/** 110转12345: the transfers emergency lines sent, as decided. */
export interface Transfers {
  transferOf(partner: string, incidentId: string): Promise<TransferRecord | null>;
  /** Records a transfer 12345 does not take, with the answer to the line; 'duplicate' when recorded before. */
  declineTransfer(t: TransferIn, answer: OutboxMessage): Promise<'declined' | 'duplicate'>;
}

/** Legacy systems' own ids of orders (a case or incident id is one order's). */
export interface ExternalRefs {
  /** False when the id belongs to another order already. */
  linkExternal(orderNo: string, ref: { system: string; id: string }): Promise<boolean>;
  findByExternal(system: string, id: string): Promise<string | null>;
  externalRefs(orderNo: string): Promise<Array<{ system: string; id: string }>>;
}

/** 政务公开: published orders, newest first, a page at a time. */
export interface Publication {
  published(q: { limit: number; beforeId?: string }): Promise<WorkOrderRow[]>;
}

/** 重复件: open orders of one caller, category and district accepted since then. */
export interface Repeats {
  /** Open orders of one category and district accepted since then, whoever called: what a new request may repeat (domain/repeats.ts decides). */
  repeatCandidates(q: { category: string; district: string; since: Date }): Promise<WorkOrderRow[]>;
}

/** Written notices to citizens (domain/notices.ts): how many each destination got since then, by destination. */
export interface Notices {
  noticesSince(destinations: string[], since: Date): Promise<Map<string, number>>;
  /** The order whose e-mail confirmation token has this hash, or null. */
  orderByContactToken(tokenHash: string): Promise<string | null>;
  /** The order whose closing notice carried the evaluation link with this token's hash, or null. */
  orderByRatingToken(tokenHash: string): Promise<string | null>;
}

/** Every concern of the order store, as one object (infra/db/orders.ts). */
/** Open311 GeoReport v2: the requests applications submitted, with the fields they came with. */
export interface Open311Requests {
  /** Keeps a request's own fields; a second call for the order keeps the first. */
  recordOpen311(orderNo: string, application: string, fields: Open311Fields, at: Date): Promise<void>;
  /**
   * The requests a GET asks for, newest first, at most `limit`: taken through Open311 within the
   * dates, open or closed as asked, of the categories asked; never a confidential citizen's.
   */
  open311Requests(q: Open311Query): Promise<Array<{ order: WorkOrderRow; fields: Open311Fields | null }>>;
}

export interface OrderStore extends Orders, Tasks, Transfers, ExternalRefs, Publication, Repeats, Notices, Open311Requests {}

/**
 * A decision evaluated on its own by the engine (a transfer list checked when a transfer arrives):
 * the output of the rule that matched, or null when none did.
 */
export type Decide = (decisionId: string, variables: Record<string, unknown>) => Promise<Record<string, unknown> | null>;

/** 知识库: what intake checks of the entry a call-taker answered from. */
export interface KnowledgeLookup {
  find(id: string): Promise<{ retiredAt: Date | null } | null>;
}

/** The log a use case writes to (pino's Logger is one). */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

// What the process owners' and operators' use cases need (usecases/models.ts, operations.ts).

export interface AuditRow {
  id: string;
  at: Date;
  actorKey: string | null;
  actor: string;
  role: string | null;
  unitCode: string | null;
  /** What was done: the HTTP method and route, or the CLI verb. */
  action: string;
  /** The order number or key id it was done to. */
  target: string | null;
  /** The HTTP status, or "ok"/"failed" for the CLI. */
  outcome: string;
  /** Where from: the client's address, or cli:user@host. */
  source: string;
  requestId: string | null;
}


export type TrailKind =
  /** A job a worker completed. */
  | 'job-completed'
  /** A job that failed and will be tried again after a backoff. */
  | 'job-failed'
  /** A job out of retries, or failed for good: the engine holds an incident until someone acts. */
  | 'incident'
  /** A job that ended in a business outcome the model catches (a BPMN error). */
  | 'job-error'
  /** An event the hub read from Kafka (a unit's answer, a line's acknowledgement or transfer). */
  | 'kafka-in'
  /** An operator's action on the order (retry, replay, cancel), with who did it. */
  | 'operator';

export interface TrailEntry {
  orderNo: string | null;
  kind: TrailKind;
  /** The job type, the topic reader or the adapter. */
  component: string;
  /** The engine's key of the element instance a job belongs to (a retry of the element finds it). */
  elementInstanceKey?: string | null;
  detail?: Record<string, unknown>;
  at?: Date;
}


export interface StoredMessage {
  id: string;
  sourceTopic: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}


export interface ModelVersion {
  id: string;
  name: string;
  sha256: string;
  content: string;
  source: 'repo' | 'deploy' | 'rollback';
  repoSha256: string;
  engine: string;
  versions: Deployed | null;
  deployedBy: string;
  deployedAt: string;
  note: string | null;
}


/** A job that ended in an incident, as the order trail recorded it: what it takes to run it again. */
export interface IncidentRef {
  processInstanceKey: string;
  /** The model's element (the service task's id). */
  elementId: string;
  elementInstanceKey: string;
  /** Camunda 7: the external task's id. */
  taskId?: string;
}


export interface MigrationOutcome {
  instance: string;
  ok: boolean;
  /** The engine's reason, when it refused. */
  error?: string;
}


export interface ModelResource {
  name: string;
  content: string;
}


/** What a deployment made: the version the engine runs of each process and decision (id → version). */
export interface Deployed {
  processes: Record<string, number>;
  decisions: Record<string, number>;
}

/** The audit trail (留痕): append-only. */
export type AuditEntry = Omit<AuditRow, 'id' | 'at'> & { at?: Date };
export interface AuditLog {
  record(e: AuditEntry): Promise<void>;
}

/** The order trail: each job's outcome and each operator's action, written in batches. */
export interface TrailLog {
  record(e: TrailEntry): void;
  /** Writes what is buffered. */
  flush(): Promise<void>;
}

/** The hash a model's content is known by (ModelVersion.sha256, repoSha256). */
export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The versions of each model the hub deployed, with who did it. */
export interface ModelVersions {
  current(): Promise<Map<string, ModelVersion>>;
  history(name: string, limit?: number): Promise<ModelVersion[]>;
  get(id: string): Promise<ModelVersion | null>;
  record(v: { name: string; content: string; source: ModelVersion['source']; repoSha256: string; engine: string; versions: Deployed | null; deployedBy: string; note?: string | null }): Promise<string>;
}

/** A model's file name: lower-case, ending .bpmn or .dmn. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,90}\.(bpmn|dmn)$/;

/** A model's checks before it is deployed (lint, the catalog, the task types served) and its change in words. */
export interface ModelChecks {
  check(name: string, xml: string, ctx: { catalog: Catalog; servedTypes: readonly string[]; current?: string }): Promise<string[]>;
  describeChange(name: string, before: string | undefined, after: string): Promise<string[]>;
}

/** What operators and process owners ask of the process engine (infra/engine/port.ts's Engine has it all). */
export interface EngineControl {
  name: 'zeebe' | 'camunda7';
  deploy(resources: ModelResource[]): Promise<Deployed>;
  retryJob(job: IncidentRef): Promise<void>;
  cancelInstance(processInstanceKey: string, reason: string): Promise<'cancelled' | 'gone'>;
  migrateInstances(processId: string, model: string, instanceKeys?: string[]): Promise<MigrationOutcome[]>;
}

/** What the trail says of an order's incidents and of its root process instance. */
export interface IncidentReads {
  incidents(orderNo?: string, limit?: number): Promise<Array<{ orderNo: string | null; jobType: string; at: string; error: string; ref: IncidentRef }>>;
  rootInstance(orderNo: string): Promise<string | null>;
}

/** Dead letters to send again. */
export interface DeadLetterReplay {
  forReplay(ids?: string[]): Promise<StoredMessage[]>;
  markReplayed(ids: string[]): Promise<void>;
}

/** 派单目录: the engine version a marked dispatch table was deployed as (the newest deployment of that content), or null. */
export interface CatalogueVersions {
  catalogueVersionOf(stamp: string): Promise<number | null>;
}

/** 值班: who is on duty at an instant (domain/duty.ts); null where the rota has a gap. */
export interface DutyRota {
  onDuty(at: Date): Promise<{ name: string; email: string; phone: string | null } | null>;
}

/** 群众来电摘报: the digests kept, a day's made from the orders, and one kept with its mails once. */
export interface Digests {
  get(day: string): Promise<Digest | null>;
  build(day: string, now: Date, catalog: Catalog): Promise<Digest>;
  keep(d: Digest, mails: OutboxMessage[]): Promise<boolean>;
}
