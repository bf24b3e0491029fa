/**
 * A message the hub owes a system or a person (a Kafka event, an engine message, an e-mail, an
 * SMS). A decision returns it; the store writes it to the outbox in the transaction of the change
 * that caused it, and the relay sends it after that commits.
 */

/** `engine`: messages to the process engine (Zeebe or Camunda 7): starts, replies, callbacks. */
export type OutboxChannel = 'kafka' | 'email' | 'engine' | 'sms';

export interface OutboxMessage {
  channel: OutboxChannel;
  destination: string;
  messageKey?: string;
  payload: unknown;
  dedupKey: string;
}
