/**
 * A read shared by its callers (infra/timeout.ts sharedFor): what keeps anonymous /readyz and the
 * dashboard's figures from costing a dependency one call per request.
 */
import { describe, expect, it } from 'vitest';
import { sharedFor } from '../../infra/timeout.js';

function counted<T>(answers: Array<() => Promise<T>>) {
  let calls = 0;
  return { fn: () => answers[Math.min(calls++, answers.length - 1)]!(), calls: () => calls };
}

describe('a read shared by its callers', () => {
  it('makes one call for callers who ask while it is in flight', async () => {
    let release!: (v: string) => void;
    const c = counted([() => new Promise<string>((r) => (release = r))]);
    const read = sharedFor(1000, c.fn, () => 0);
    const asked = Array.from({ length: 50 }, () => read());
    release('up');
    expect(await Promise.all(asked)).toEqual(Array(50).fill('up'));
    expect(c.calls()).toBe(1);
  });

  it('reuses the answer for the time given after it came, then asks again', async () => {
    let t = 0;
    const c = counted([async () => 'first', async () => 'second']);
    const read = sharedFor(1000, c.fn, () => t);
    expect(await read()).toBe('first');
    t = 999;
    expect(await read()).toBe('first');
    t = 1000;
    expect(await read()).toBe('second');
    expect(c.calls()).toBe(2);
  });

  it('reuses a failure as briefly, so that a down dependency is not asked by every caller', async () => {
    let t = 0;
    const c = counted<string>([async () => Promise.reject(new Error('down')), async () => 'up']);
    const read = sharedFor(500, c.fn, () => t);
    await expect(read()).rejects.toThrow('down');
    await expect(read()).rejects.toThrow('down');
    t = 500;
    expect(await read()).toBe('up');
    expect(c.calls()).toBe(2);
  });
});
