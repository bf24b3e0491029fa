/**
 * A city's emergency linkage platform (应急联动平台), through which 110, 119, 120 and 122 take
 * hand-overs from 12345, as such platforms commonly expose it: JSON over HTTP. A hand-over is
 * POSTed with its own handoverId (a repeat with the same id is the same hand-over); the lines
 * answer by POSTing events to the adapter's callback, with the agreed token: an acknowledgement
 * names the hand-over's case number (the hub's order number) and the line's incident id (接警编号).
 * Lines are named by their numbers ("110"); times are ISO 8601 or China local time.
 *
 * The other way (110转12345), a line transfers a matter that is 12345's as an event of type
 * "transfer": its incident id, its transfer-list item code, what the caller said and where, the
 * caller's number, and when it was unclear the three-way call's outcome ("12345" took it, or it
 * stayed with the "first" receiver). The platform may send a transfer more than once. The hub's
 * answer (the 12345 order number, or why 12345 does not take it) is POSTed to the platform's
 * transfer answers, once per answerId.
 *
 * To the end, both ways: a line reports what it did with a hand-over it took (an event of type
 * "result": the case number, its incident id, the result); and 12345 reports how a transfer ended
 * (closed with the unit's answer, or cancelled with the reason) to the platform's transfer results,
 * once per resultId.
 */
export const PATHS = { handovers: '/linkage/v1/handovers', events: '/linkage/v1/events', transferAnswers: '/linkage/v1/transfer-answers', transferResults: '/linkage/v1/transfer-results' } as const;
export const TOKEN_HEADER = 'x-linkage-token';

export interface HandoverCall {
  handoverId: string;
  line: string;
  caseNo: string;
  kind: string;
  location: string;
  callbackNumber: string;
  summary: string;
  attempt: number;
  ackBy: string;
}

export interface LinkageEvent {
  eventId: string;
  /** "ack" (a hand-over acknowledged), "result" (what the line did with it: 处警结果) or "transfer" (a matter handed to 12345). */
  type: string;
  line: string;
  caseNo?: string;
  incidentId?: string;
  operator?: string;
  time?: string;
  /** A transfer's: the transfer-list item code and its name. */
  item?: string;
  itemName?: string;
  /** A result's: what the line did (处警结果). */
  result?: string;
  /** A transfer's, when the matter was unclear: "12345" (12345 takes it) or "first" (the first receiver keeps it). */
  threeWayCall?: string;
  title?: string;
  content?: string;
  location?: string;
  /** The district's name as the platform knows it (南开区), when it gives one. */
  district?: string;
  callerName?: string;
  callerNumber?: string;
}

export interface TransferAnswerCall {
  answerId: string;
  line: string;
  incidentId: string;
  accepted: boolean;
  /** The 12345 order number when accepted. */
  caseNo: string | null;
  reason: string | null;
}

/** How 12345 ended a transfer it took: closed (the unit's answer) or cancelled (the reason). */
export interface TransferResultCall {
  resultId: string;
  line: string;
  incidentId: string;
  caseNo: string;
  outcome: 'closed' | 'cancelled';
  result: string;
  unitName: string | null;
  satisfaction: string | null;
  time: string;
}

/** One call to the platform: a hand-over, the answer to a transfer, or how a transfer ended. */
export type LinkageCall = { to: 'handovers'; body: HandoverCall } | { to: 'transferAnswers'; body: TransferAnswerCall } | { to: 'transferResults'; body: TransferResultCall };
