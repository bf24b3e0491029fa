/**
 * A city's emergency linkage platform (应急联动平台), through which 110, 119, 120 and 122 take
 * hand-overs from 12345, as such platforms commonly expose it: JSON over HTTP. A hand-over is
 * POSTed with its own handoverId (a repeat with the same id is the same hand-over); the lines
 * answer by POSTing events to the adapter's callback, with the agreed token: an acknowledgement
 * names the hand-over's case number (the hub's order number) and the line's incident id (接警编号).
 * Lines are named by their numbers ("110"); times are ISO 8601 or China local time.
 */
export const PATHS = { handovers: '/linkage/v1/handovers', events: '/linkage/v1/events' } as const;
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
  type: string;
  line: string;
  caseNo: string;
  incidentId?: string;
  operator?: string;
  time?: string;
}
