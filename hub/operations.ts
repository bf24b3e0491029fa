/** The operators' reading of the hub, shared by the `hub` command and the gateway: the stuck rules from the config. */
import path from 'node:path';
import { projectRoot, type Config } from '../infra/config.js';
import type { Kafka } from 'kafkajs';
import type { StuckOptions } from '../infra/db/operations.js';
import { consumerLags } from '../infra/kafka.js';

/** The consumer group of the hub's own reader of unit and emergency-line topics (hub/inbound.ts). */
export const INBOUND_GROUP = 'hotline-hub';
import { workers } from '../workers/index.js';

/** The groups `hub stuck` watches: the hub's inbound reader and every adapter's (adapter.<name>…). */
export const watchedGroup = (groupId: string): boolean => groupId === INBOUND_GROUP || groupId.startsWith('adapter.');

export function stuckOptions(config: Config, now?: Date, kafka?: Kafka): StuckOptions {
  return {
    consumers: kafka ? () => consumerLags(kafka, watchedGroup) : undefined,
    now,
    noProgressMs: config.STUCK_NO_PROGRESS_MINUTES * 60_000,
    outboxMs: config.STUCK_OUTBOX_SECONDS * 1000,
    messageMs: config.STUCK_MESSAGE_SECONDS * 1000,
    timerGraceMs: config.STUCK_TIMER_GRACE_MINUTES * 60_000,
    servedTypes: Object.keys(workers),
    modelsDir: path.join(projectRoot, 'bpmn'),
  };
}
