/** The generic unit system: dispatched orders go out on Kafka through the outbox; replies come in here. */
import type { Adapter } from '../registry.js';
import { startInbound } from './inbound.js';
import { manifest } from './manifest.js';

export const unitSystem: Adapter = {
  manifest,
  start: (ctx) => startInbound({ ...ctx, groupId: 'hotline-hub' }),
};
