/**
 * The local engines' clocks, which tests move instead of waiting for a timer: Zeebe's actuator
 * (/actuator/clock) and the same operations on the Camunda 7 engine (/engine-rest/hub-clock).
 * Both need STACK_CLOCK_CONTROL=true when the stack starts them; otherwise they refuse (403/404).
 */
import { camunda7Api, type Config } from '../infra/config.js';
import { StackError } from './errors.js';

export interface EngineClock {
  /** The engine's current time. */
  now(): Promise<Date>;
  /** Moves the engine's time by `ms` (it keeps ticking). */
  add(ms: number): Promise<Date>;
  /** Back to the system clock. */
  reset(): Promise<Date>;
}

function clockAt(base: string, addPath: string, what: string, headers: Readonly<Record<string, string>> = {}): EngineClock {
  const call = async (method: string, path: string, body?: unknown): Promise<Date> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new StackError(
        'CLOCK_NOT_CONTROLLED',
        `${what} refused to move its clock (${res.status} ${text.slice(0, 200)}): start the stack with STACK_CLOCK_CONTROL=true (npm run stack -- down, then run the tests again)`,
      );
    }
    return new Date((JSON.parse(text) as { epochMilli: number }).epochMilli);
  };
  return {
    now: () => call('GET', ''),
    add: (ms) => call('POST', addPath, { offsetMilli: Math.round(ms) }),
    reset: () => call('DELETE', ''),
  };
}

export function engineClock(config: Config, engine: Config['HUB_ENGINE']): EngineClock {
  if (engine === 'zeebe') return clockAt(`http://127.0.0.1:${config.ZEEBE_MONITORING_PORT}/actuator/clock`, '/add', 'Zeebe');
  const api = camunda7Api(config);
  return clockAt(`${api.url}/hub-clock`, '/add', 'The Camunda 7 engine', api.headers);
}
