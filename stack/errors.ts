/**
 * Errors of the local stack. Each carries a code and says what to do next; `retriable` tells a
 * caller whether running the same command again can help (a slow download) or not (a port taken).
 */
export type StackErrorCode =
  | 'JDK_MISSING'
  | 'MAVEN_MISSING'
  | 'RESOLVE_FAILED'
  | 'PORT_TAKEN'
  | 'START_FAILED'
  | 'UNHEALTHY'
  | 'VERSION_MISMATCH'
  | 'MYSQL_UNREACHABLE'
  | 'CLOCK_NOT_CONTROLLED';

export class StackError extends Error {
  constructor(
    readonly code: StackErrorCode,
    message: string,
    readonly retriable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StackError';
  }
}
