import { describe, expect, it } from 'vitest';
import { citizenForUnit, CONFIDENTIAL_NAME } from '../../domain/masking.js';

describe('what a unit sees of the citizen', () => {
  it('never sees the name or phone of a citizen who asked for confidentiality', () => {
    const seen = citizenForUnit({ name: '张三', phone: '13800138000', confidential: true });
    expect(seen).toEqual({ name: CONFIDENTIAL_NAME, phone: null, confidential: true });
    expect(JSON.stringify(seen)).not.toMatch(/张三|13800138000/);
  });

  it('sees name and phone of a citizen who did not ask, so that it can call back', () => {
    expect(citizenForUnit({ name: '李四', phone: '13900139000', confidential: false })).toEqual({
      name: '李四',
      phone: '13900139000',
      confidential: false,
    });
  });
});
