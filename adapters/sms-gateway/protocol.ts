/**
 * An SMS gateway's HTTP API, as carriers' and cloud SMS gateways commonly offer one: POST JSON
 * {msgId, mobile, content} with the account's key in X-Sms-Key; the answer's code says OK (taken;
 * a repeat msgId is OK again and not sent twice), BUSY or THROTTLED (try later), or a refusal
 * (INVALID_MOBILE, TOO_LONG, BAD_KEY) that no retry cures.
 */
export const SEND_PATH = '/sms/v1/send';
export const KEY_HEADER = 'x-sms-key';

export interface SmsRequest {
  /** The client's id of the message: the gateway sends one message per msgId. */
  msgId: string;
  mobile: string;
  content: string;
}

export interface SmsAnswer {
  code: 'OK' | 'BUSY' | 'THROTTLED' | 'INVALID_MOBILE' | 'TOO_LONG' | 'BAD_KEY';
  message?: string;
  msgId?: string;
}

export const RETRY_CODES: ReadonlySet<string> = new Set(['BUSY', 'THROTTLED']);
