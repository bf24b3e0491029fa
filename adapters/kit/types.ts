/**
 * What an adapter is made of (docs/adapters.md): a manifest, its settings, two pure mappers and a
 * transport. The kit (runtime.ts) does the rest: Kafka wiring, validation on both sides, retries,
 * dead letters, idempotency, correlation ids, per-order ordering, metrics and logs.
 */
import type { z } from 'zod';
import type { Envelope, EventType } from '../../domain/events.js';
import { HubError } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';

export interface Manifest<S> {
  /** The folder's name; also the Kafka client id, the consumer group and the metrics' label. */
  name: string;
  description: string;
  /**
   * The units this system stands for: the adapter reads their dispatched orders and writes their
   * answers. For an emergency linkage, the emergency lines (catalog partners) it stands for.
   */
  units: (settings: S) => string[];
  /** The topics it reads, when not its units' dispatched orders (an emergency line's hand-overs). */
  readTopics?: (settings: S) => string[];
  /** Canonical events the adapter takes from the hub (type → version). */
  reads: Partial<Record<EventType, number>>;
  /** Canonical events the adapter gives the hub (type → version). */
  writes: Partial<Record<EventType, number>>;
}

/** What the outbound mapper makes of one canonical event. */
export type Outbound<Call> =
  | {
      kind: 'call';
      call: Call;
      /**
       * The legacy system does it once however often it is asked (its own ids make it so): the kit
       * retries it when the system is down or slow. A call that is not is made once, and a failure
       * dead-lettered for a person to check the system before replaying it.
       */
      idempotent: boolean;
    }
  | { kind: 'skip'; reason: string };

/** A message the legacy system sent the adapter, as its transport received it. */
export interface LegacyMessage {
  body: Buffer;
  contentType?: string;
  receivedAt: Date;
}

export interface CallMeta {
  eventId: string;
  /** null for an event about no order (the answer to a transfer 12345 declined). */
  orderNo: string | null;
  correlationId?: string;
  attempt: number;
}

export interface Transport<Call, Answer> {
  /** One legacy call. Throws LegacyError (retriable or not); a timeout counts as retriable. */
  send(call: Call, meta: CallMeta): Promise<Answer>;
  /**
   * Starts taking messages from the legacy system. Each goes to `receive`, which resolves once the
   * hub has it (then the transport acknowledges to the system) or throws (then the transport answers
   * with an error: a MappingError is final, anything else asks the system to send again).
   */
  listen?(receive: (m: LegacyMessage) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface AdapterDefinition<S extends Record<string, unknown>, Call = unknown, Answer = unknown> {
  manifest: Manifest<S>;
  /** Read from ADAPTER_<NAME>_<KEY> (an object schema whose keys are UPPER_SNAKE). */
  settings: z.ZodType<S>;
  /** Pure: a canonical event → the legacy call, or a skip with the reason. Throws MappingError for an event the system cannot take. */
  outbound: (event: Envelope, settings: S) => Outbound<Call>;
  /** Pure: what the system's answer to a call tells the hub (a case id it gave), as canonical events. */
  answered?: (answer: Answer, event: Envelope, settings: S) => Envelope[];
  /** Pure: a message of the system → canonical events (their ids derived from the system's own ids: ids.ts). */
  inbound: (message: LegacyMessage, settings: S) => Envelope[];
  transport: (settings: S, log: Logger) => Transport<Call, Answer>;
}

/** The mapper cannot make sense of this message: final, dead-lettered with the reason. */
export class MappingError extends HubError {
  constructor(message: string) {
    super('MAPPING_REFUSED', message, false);
  }
}

/** A legacy call failed: retriable when the system is down, slow or busy, not when it refused the call. */
export class LegacyError extends HubError {
  constructor(message: string, retriable: boolean) {
    super(retriable ? 'LEGACY_UNAVAILABLE' : 'LEGACY_REFUSED', message, retriable);
  }
}

/** Type help for an adapter's index.ts. */
export const defineAdapter = <S extends Record<string, unknown>, Call, Answer>(d: AdapterDefinition<S, Call, Answer>): AdapterDefinition<S, Call, Answer> => d;
