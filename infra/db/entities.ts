/**
 * Tables of the hub (TypeORM entity schemas; no decorators, so tsx/esbuild needs no metadata).
 * The schema itself is created only by migrations (migrations/), never by `synchronize`.
 */
import { EntitySchema } from 'typeorm';

export type OrderStatus =
  | 'accepted' // 受理
  | 'answered' // 当即答复
  | 'dispatched' // 已派单, waiting for the unit
  | 'replied' // 单位已反馈
  | 'awaiting_callback' // 待回访
  | 'closed'; // 办结

export interface WorkOrderRow {
  id: string;
  orderNo: string | null;
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
  citizenConfidential: boolean;
  status: OrderStatus;
  handlingMode: string | null;
  unitCode: string | null;
  dueAt: Date | null;
  processInstanceKey: string | null;
  redoCount: number;
  chaseCount: number;
  satisfaction: string | null;
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

export interface OutboxRow {
  id: string;
  channel: 'kafka' | 'email';
  destination: string;
  messageKey: string | null;
  payload: string;
  dedupKey: string;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
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
    citizenConfidential: { name: 'citizen_confidential', type: 'boolean' },
    status: { type: 'varchar', length: 24 },
    handlingMode: { name: 'handling_mode', type: 'varchar', length: 32, nullable: true },
    unitCode: { name: 'unit_code', type: 'varchar', length: 64, nullable: true },
    dueAt: { name: 'due_at', type: 'datetime', precision: 3, nullable: true },
    processInstanceKey: { name: 'process_instance_key', type: 'varchar', length: 32, nullable: true },
    redoCount: { name: 'redo_count', type: 'int', default: 0 },
    chaseCount: { name: 'chase_count', type: 'int', default: 0 },
    satisfaction: { type: 'varchar', length: 24, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3, createDate: true },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3, updateDate: true },
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
  indices: [{ name: 'idx_history_order', columns: ['orderNo', 'id'] }],
});

export const Outbox = new EntitySchema<OutboxRow>({
  name: 'Outbox',
  tableName: 'outbox',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    channel: { type: 'varchar', length: 16 },
    destination: { type: 'varchar', length: 200 },
    messageKey: { name: 'message_key', type: 'varchar', length: 200, nullable: true },
    payload: { type: 'mediumtext' },
    dedupKey: { name: 'dedup_key', type: 'varchar', length: 191, unique: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    sentAt: { name: 'sent_at', type: 'datetime', precision: 3, nullable: true },
    attempts: { type: 'int', default: 0 },
    lastError: { name: 'last_error', type: 'varchar', length: 1000, nullable: true },
  },
  indices: [{ name: 'idx_outbox_unsent', columns: ['sentAt', 'createdAt'] }],
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

export const entities = [WorkOrder, OrderHistory, Outbox, Inbox];
