/**
 * The wire format of __NAME__ (__TITLE__). The scaffold starts from JSON over HTTP: replace the
 * fields, ids, charset and time format with the system's own. Nothing here talks to a network;
 * the mappers, the transport and the simulator share it.
 */
export const PATHS = { orders: '/api/orders', notify: '/hub/notify' } as const;
/** The header that carries the shared token on the system's messages to the adapter. */
export const TOKEN_HEADER = 'x-__NAME__-token';

/** A dispatched order as the system takes it. `requestId` makes a repeat the same ticket. */
export interface OrderCall {
  requestId: string;
  orderNo: string;
  title: string;
  description: string;
  address: string;
  dueAt: string;
}

/** The system's answer: its own id of the order. */
export interface OrderAnswer {
  ticketId: string;
}

/** ack: taken on; progress: a note; done: the result; return: not its matter. */
export const KINDS = ['ack', 'progress', 'done', 'return'] as const;
export type Kind = (typeof KINDS)[number];

/** A message of the system about one of its tickets. `messageId` is its own, unique per message. */
export interface Notice {
  messageId: string;
  ticketId: string;
  orderNo: string;
  kind: Kind;
  text?: string;
  by?: string;
  at?: string;
}
