/**
 * A unit system (承办单位系统) built for the hub: it speaks the canonical events itself on Kafka, so
 * it needs no adapter process. It reads its unit's hub.unit.<code>.order-dispatched.v1 and writes
 * hub.unit.<code>.unit-replied.v1 (docs/events.md); the hub's own reader (hub/inbound.ts) applies
 * what it writes. A system that speaks anything else gets an adapter (adapters/kit, docs/adapters.md).
 */
export const manifest = {
  name: 'unit-system',
  description: '承办单位业务系统（直接使用枢纽标准事件）：接收派单，反馈签收、办理结果、退单、延期',
  reads: { 'order.dispatched': 1 },
  writes: { 'unit.replied': 1, 'unit.acknowledged': 1, 'unit.progressed': 1, 'unit.returned': 1, 'unit.extension-requested': 1 },
} as const;
