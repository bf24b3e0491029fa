import { describe, expect, it } from 'vitest';
import { BusinessError, isRetriable, jobOutcome, redactText, RetriableError } from '../../infra/errors.js';

const err = (props: Record<string, unknown>, message = 'x'): Error => Object.assign(new Error(message), props);

describe('error classification', () => {
  it.each([
    ['MySQL server shutdown', err({ code: 'ER_SERVER_SHUTDOWN', errno: 1053 })],
    ['too many connections', err({ code: 'ER_CON_COUNT_ERROR', errno: 1040 })],
    ['read-only after failover', err({ code: 'ER_OPTION_PREVENTS_STATEMENT', errno: 1290 })],
    ['deadlock', err({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })],
    ['connection lost', err({ code: 'PROTOCOL_CONNECTION_LOST' })],
    ['host unreachable', err({ code: 'EHOSTUNREACH' })],
    ['name not resolved', err({ code: 'ENOTFOUND' })],
    ['connection refused', err({ code: 'ECONNREFUSED' })],
    ['TypeORM wrapping a driver error', err({ name: 'QueryFailedError', driverError: err({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }) })],
    ['kafkajs retriable error', err({ name: 'KafkaJSProtocolError', retriable: true })],
    ['kafkajs connection error', err({ name: 'KafkaJSConnectionError', retriable: false })],
    ['kafkajs: no group coordinator yet (a broker just started)', err({ name: 'KafkaJSGroupCoordinatorNotFound', retriable: false })],
    ['gRPC UNAVAILABLE (Zeebe down)', err({ code: 14, details: 'No connection established' }, '14 UNAVAILABLE: No connection established')],
    ['gRPC RESOURCE_EXHAUSTED (backpressure)', err({ code: 8 }, '8 RESOURCE_EXHAUSTED: backpressure')],
    ['gRPC DEADLINE_EXCEEDED', err({ code: 4, details: 'deadline' })],
    [
      'gRPC INTERNAL when the gateway lost its broker mid-request (a broker killed: seen by the cluster test)',
      err({ code: 13, details: 'Unexpected error occurred during the request processing: Connection RemoteClientConnection{channel=[id: 0x9dd1ee19, L:/127.0.0.1:56762 ! R:127.0.0.1/127.0.0.1:28021]} was closed' }, '13 INTERNAL: Unexpected error occurred during the request processing: Connection RemoteClientConnection{channel=[id: 0x9dd1ee19, L:/127.0.0.1:56762 ! R:127.0.0.1/127.0.0.1:28021]} was closed'),
    ],
    ['gRPC INTERNAL when the broker\'s channel closed before the request was handled', err({ code: 13 }, '13 INTERNAL: Unexpected error occurred during the request processing: Channel [id: 0xb3c36253, L:/127.0.0.1:57546] for address 127.0.0.1:28021 was closed unexpectedly before the request was handled')],
    ['our own timeout', new RetriableError('Zeebe did not answer')],
  ])('retries %s', (_what, e) => {
    expect(isRetriable(e)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['a duplicate key', err({ code: 'ER_DUP_ENTRY', errno: 1062 })],
    ['a syntax error', err({ code: 'ER_PARSE_ERROR', errno: 1064 })],
    ['gRPC INVALID_ARGUMENT', err({ code: 3, details: 'bad' }, '3 INVALID_ARGUMENT: bad')],
    ['gRPC NOT_FOUND', err({ code: 5, details: 'no process' }, '5 NOT_FOUND: no process')],
    ['gRPC INTERNAL of another kind', err({ code: 13, details: 'Unexpected error: NullPointerException' }, '13 INTERNAL: Unexpected error: NullPointerException')],
    ['a kafkajs error it marks permanent', err({ name: 'KafkaJSNonRetriableError', retriable: false })],
    ['a business outcome', new BusinessError('NOT_OURS', 'not our responsibility')],
  ])('does not retry %s', (_what, e) => {
    expect(isRetriable(e)).toBe(false);
  });
});

describe('job outcome', () => {
  it('ends a business outcome as the BPMN error its code names', () => {
    expect(jobOutcome(new BusinessError('DUPLICATE_INSTANCE', 'dup'), 5)).toEqual({ kind: 'bpmn-error', code: 'DUPLICATE_INSTANCE', message: 'dup' });
  });

  it('fails a retriable error with one retry fewer and a growing backoff', () => {
    const dbDown = err({ code: 'ER_SERVER_SHUTDOWN' });
    expect(jobOutcome(dbDown, 5)).toEqual({ kind: 'retry', retries: 4, backoffMs: 4000 });
    expect(jobOutcome(dbDown, 2)).toEqual({ kind: 'retry', retries: 1, backoffMs: 32_000 });
    expect(jobOutcome(dbDown, 1)).toEqual({ kind: 'retry', retries: 0, backoffMs: 64_000 });
  });

  it('makes anything else an incident at once', () => {
    expect(jobOutcome(new TypeError('x is undefined'), 5)).toEqual({ kind: 'incident' });
  });
});

describe('redaction of free text', () => {
  it('masks mobile numbers and ID-card numbers that driver messages quote', () => {
    expect(redactText("Duplicate entry '13800138000' for key 'x'")).toBe("Duplicate entry '1**********' for key 'x'");
    expect(redactText('id 11010519491231002X here')).toBe('id ****************** here');
    expect(redactText('order GD20261125000001 is closed')).toBe('order GD20261125000001 is closed');
  });
});
