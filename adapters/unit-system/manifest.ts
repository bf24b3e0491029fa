/** A generic unit system (承办单位系统) that speaks the hub's canonical events directly on Kafka. */
import { unitTopics } from '../../domain/events.js';

export const manifest = {
  name: 'unit-system',
  description: '承办单位业务系统：接收派单，反馈办理结果',
  consumes: { topic: (unit: string) => unitTopics(unit).dispatched, events: { 'order.dispatched': 1 } },
  produces: { topic: (unit: string) => unitTopics(unit).replied, events: { 'unit.replied': 1 } },
} as const;
