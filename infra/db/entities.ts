/**
 * Tables of the hub (TypeORM entity schemas; no decorators, so tsx/esbuild needs no metadata).
 * The schema itself is created only by migrations (migrations/), never by `synchronize`.
 */
import { EntitySchema } from 'typeorm';
import type { OrderStatus } from '../../domain/order.js';
import type { OutboxChannel } from '../../domain/outgoing.js';
import type { HistoryRow, HumanTaskKind, HumanTaskRow, WorkOrderRow } from '../../usecases/ports.js';
import type { AuditRow } from '../../usecases/ports.js';

export type { AuditRow };

export type { HistoryRow, HumanTaskKind, HumanTaskRow, OrderStatus, OutboxChannel, WorkOrderRow };

export interface OutboxRow {
  id: string;
  /** Insertion order: a row waits while an older row of its channel and aggregate key is unsent. */
  seq: string;
  channel: OutboxChannel;
  destination: string;
  /** The Kafka message key (the unit), or null. */
  messageKey: string | null;
  /** The order the row belongs to: delivery keeps per-order order. */
  aggregateKey: string | null;
  payload: string;
  dedupKey: string;
  createdAt: Date;
  availableAt: Date;
  claimedBy: string | null;
  leaseUntil: Date | null;
  sentAt: Date | null;
  parkedAt: Date | null;
  attempts: number;
  lastError: string | null;
  /** The W3C traceparent the row was made in (infra/tracing.ts), or null. */
  traceParent: string | null;
}

export interface InboxRow {
  messageId: string;
  source: string;
  processedAt: Date;
}

export const WorkOrder = new EntitySchema<WorkOrderRow>({
  name: 'WorkOrder',
  tableName: 'work_order',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    orderNo: { name: 'order_no', type: 'varchar', length: 32, nullable: true, unique: true },
    correlationId: { name: 'correlation_id', type: 'char', length: 36, unique: true },
    idempotencyKey: { name: 'idempotency_key', type: 'varchar', length: 128, nullable: true, unique: true },
    requestHash: { name: 'request_hash', type: 'char', length: 64 },
    channel: { type: 'varchar', length: 16 },
    type: { type: 'varchar', length: 16 },
    category: { type: 'varchar', length: 64 },
    district: { type: 'varchar', length: 64 },
    title: { type: 'varchar', length: 200 },
    description: { type: 'text' },
    address: { type: 'varchar', length: 300 },
    urgent: { type: 'boolean' },
    citizenName: { name: 'citizen_name', type: 'varchar', length: 100 },
    citizenPhone: { name: 'citizen_phone', type: 'varchar', length: 32 },
    citizenEmail: { name: 'citizen_email', type: 'varchar', length: 200, nullable: true },
    citizenPhoneConfirmedAt: { name: 'citizen_phone_confirmed_at', type: 'datetime', precision: 3, nullable: true },
    citizenEmailConfirmedAt: { name: 'citizen_email_confirmed_at', type: 'datetime', precision: 3, nullable: true },
    citizenEmailToken: { name: 'citizen_email_token', type: 'char', length: 64, nullable: true },
    emergencyKind: { name: 'emergency_kind', type: 'varchar', length: 16, nullable: true },
    threeWayCall: { name: 'three_way_call', type: 'varchar', length: 16, nullable: true },
    partnerCode: { name: 'partner_code', type: 'varchar', length: 32, nullable: true },
    citizenConfidential: { name: 'citizen_confidential', type: 'boolean' },
    unitSummary: { name: 'unit_summary', type: 'text', nullable: true },
    complainedUnit: { name: 'complained_unit', type: 'varchar', length: 64, nullable: true },
    status: { type: 'varchar', length: 24 },
    handlingMode: { name: 'handling_mode', type: 'varchar', length: 32, nullable: true },
    unitCode: { name: 'unit_code', type: 'varchar', length: 64, nullable: true },
    subUnitCode: { name: 'sub_unit_code', type: 'varchar', length: 64, nullable: true },
    helperUnits: { name: 'helper_units', type: 'varchar', length: 500, nullable: true },
    dueAt: { name: 'due_at', type: 'datetime', precision: 3, nullable: true },
    dueAtEstimated: { name: 'due_at_estimated', type: 'boolean', default: false },
    processInstanceKey: { name: 'process_instance_key', type: 'varchar', length: 64, nullable: true },
    redoCount: { name: 'redo_count', type: 'int', default: 0 },
    chaseCount: { name: 'chase_count', type: 'int', default: 0 },
    dispatchSeq: { name: 'dispatch_seq', type: 'int', default: 0 },
    acknowledgedAt: { name: 'acknowledged_at', type: 'datetime', precision: 3, nullable: true },
    onSiteAt: { name: 'on_site_at', type: 'datetime', precision: 3, nullable: true },
    returnCount: { name: 'return_count', type: 'int', default: 0 },
    extensionCount: { name: 'extension_count', type: 'int', default: 0 },
    supervisedAt: { name: 'supervised_at', type: 'datetime', precision: 3, nullable: true },
    hardCaseAt: { name: 'hard_case_at', type: 'datetime', precision: 3, nullable: true },
    hardCaseReason: { name: 'hard_case_reason', type: 'varchar', length: 200, nullable: true },
    majorKind: { name: 'major_kind', type: 'varchar', length: 32, nullable: true },
    majorAt: { name: 'major_at', type: 'datetime', precision: 3, nullable: true },
    citizenRating: { name: 'citizen_rating', type: 'tinyint', nullable: true },
    citizenRatedAt: { name: 'citizen_rated_at', type: 'datetime', precision: 3, nullable: true },
    citizenComment: { name: 'citizen_comment', type: 'varchar', length: 500, nullable: true },
    citizenRatingToken: { name: 'citizen_rating_token', type: 'char', length: 64, nullable: true },
    catalogueVersion: { name: 'catalogue_version', type: 'varchar', length: 64, nullable: true },
    repliedAt: { name: 'replied_at', type: 'datetime', precision: 3, nullable: true },
    closedAt: { name: 'closed_at', type: 'datetime', precision: 3, nullable: true },
    lat: { type: 'decimal', precision: 9, scale: 6, nullable: true },
    lng: { type: 'decimal', precision: 9, scale: 6, nullable: true },
    mergedInto: { name: 'merged_into', type: 'varchar', length: 32, nullable: true },
    repeatCount: { name: 'repeat_count', type: 'int', default: 0 },
    publishedAt: { name: 'published_at', type: 'datetime', precision: 3, nullable: true },
    publishedBy: { name: 'published_by', type: 'varchar', length: 100, nullable: true },
    publicSummary: { name: 'public_summary', type: 'text', nullable: true },
    publicAnswer: { name: 'public_answer', type: 'text', nullable: true },
    knowledgeEntryId: { name: 'knowledge_entry_id', type: 'bigint', nullable: true },
    satisfaction: { type: 'varchar', length: 24, nullable: true },
    resolved: { type: 'boolean', nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});

export const OrderHistory = new EntitySchema<HistoryRow>({
  name: 'OrderHistory',
  tableName: 'order_history',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    orderNo: { name: 'order_no', type: 'varchar', length: 32 },
    step: { type: 'varchar', length: 32 },
    actor: { type: 'varchar', length: 100 },
    note: { type: 'varchar', length: 1000 },
    detail: { type: 'text', nullable: true },
    dedupKey: { name: 'dedup_key', type: 'varchar', length: 191, nullable: true, unique: true },
    occurredAt: { name: 'occurred_at', type: 'datetime', precision: 3 },
  },
  indices: [
    { name: 'idx_history_order', columns: ['orderNo', 'id'] },
    { name: 'idx_history_occurred', columns: ['occurredAt'] },
  ],
});

export const Outbox = new EntitySchema<OutboxRow>({
  name: 'Outbox',
  tableName: 'outbox',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    seq: { type: 'bigint', insert: false, update: false },
    channel: { type: 'varchar', length: 16 },
    destination: { type: 'varchar', length: 200 },
    messageKey: { name: 'message_key', type: 'varchar', length: 200, nullable: true },
    aggregateKey: { name: 'aggregate_key', type: 'varchar', length: 64, nullable: true },
    payload: { type: 'mediumtext' },
    dedupKey: { name: 'dedup_key', type: 'varchar', length: 191, unique: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    availableAt: { name: 'available_at', type: 'datetime', precision: 3 },
    claimedBy: { name: 'claimed_by', type: 'varchar', length: 100, nullable: true },
    leaseUntil: { name: 'lease_until', type: 'datetime', precision: 3, nullable: true },
    sentAt: { name: 'sent_at', type: 'datetime', precision: 3, nullable: true },
    parkedAt: { name: 'parked_at', type: 'datetime', precision: 3, nullable: true },
    attempts: { type: 'int', default: 0 },
    lastError: { name: 'last_error', type: 'varchar', length: 1000, nullable: true },
    traceParent: { name: 'trace_parent', type: 'varchar', length: 64, nullable: true },
  },
});

export const Inbox = new EntitySchema<InboxRow>({
  name: 'Inbox',
  tableName: 'inbox',
  columns: {
    messageId: { name: 'message_id', type: 'varchar', length: 191, primary: true },
    source: { type: 'varchar', length: 100 },
    processedAt: { name: 'processed_at', type: 'datetime', precision: 3 },
  },
});

export const HumanTask = new EntitySchema<HumanTaskRow>({
  name: 'HumanTask',
  tableName: 'human_task',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    orderNo: { name: 'order_no', type: 'varchar', length: 32 },
    kind: { type: 'varchar', length: 32 },
    role: { type: 'varchar', length: 24 },
    unitCode: { name: 'unit_code', type: 'varchar', length: 64, nullable: true },
    status: { type: 'varchar', length: 16 },
    detail: { type: 'text', nullable: true },
    dedupKey: { name: 'dedup_key', type: 'varchar', length: 191, unique: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    dueAt: { name: 'due_at', type: 'datetime', precision: 3, nullable: true },
    completedAt: { name: 'completed_at', type: 'datetime', precision: 3, nullable: true },
    completedBy: { name: 'completed_by', type: 'varchar', length: 100, nullable: true },
    outcome: { type: 'text', nullable: true },
    chasedAt: { name: 'chased_at', type: 'datetime', precision: 3, nullable: true },
  },
});

export interface ApiKeyRow {
  /** Public part of the key (shown in lists and the audit trail). */
  id: string;
  /** SHA-256 of the secret part: the secret itself is never stored. */
  secretHash: string;
  name: string;
  role: string;
  unitCode: string | null;
  adapter: string | null;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export const ApiKey = new EntitySchema<ApiKeyRow>({
  name: 'ApiKey',
  tableName: 'api_key',
  columns: {
    id: { type: 'char', length: 16, primary: true },
    secretHash: { name: 'secret_hash', type: 'char', length: 64 },
    name: { type: 'varchar', length: 100 },
    role: { type: 'varchar', length: 24 },
    unitCode: { name: 'unit_code', type: 'varchar', length: 64, nullable: true },
    adapter: { type: 'varchar', length: 64, nullable: true },
    createdBy: { name: 'created_by', type: 'varchar', length: 100 },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    expiresAt: { name: 'expires_at', type: 'datetime', precision: 3, nullable: true },
    revokedAt: { name: 'revoked_at', type: 'datetime', precision: 3, nullable: true },
  },
});

export const AuditLog = new EntitySchema<AuditRow>({
  name: 'AuditLog',
  tableName: 'audit_log',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    at: { type: 'datetime', precision: 3 },
    actorKey: { name: 'actor_key', type: 'char', length: 16, nullable: true },
    actor: { type: 'varchar', length: 100 },
    role: { type: 'varchar', length: 24, nullable: true },
    unitCode: { name: 'unit_code', type: 'varchar', length: 64, nullable: true },
    action: { type: 'varchar', length: 120 },
    target: { type: 'varchar', length: 64, nullable: true },
    outcome: { type: 'varchar', length: 32 },
    source: { type: 'varchar', length: 100 },
    requestId: { name: 'request_id', type: 'varchar', length: 64, nullable: true },
  },
});

export const entities = [WorkOrder, OrderHistory, Outbox, Inbox, ApiKey, AuditLog, HumanTask];
