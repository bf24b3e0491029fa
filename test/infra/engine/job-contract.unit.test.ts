import { describe, expect, it } from 'vitest';
import { stepKeyOf } from '../../../infra/engine/job-contract.js';

describe('step dedup keys', () => {
  it('name the order besides the engine key, which starts again on a new broker while the database keeps every key', () => {
    // Two fresh brokers hand out the same element instance keys to different orders.
    expect(stepKeyOf('close', 'GD20261126000001', '2251799813685290')).not.toBe(stepKeyOf('close', 'GD20261126000002', '2251799813685290'));
    expect(stepKeyOf('close', 'GD20261126000001', '2251799813685290')).toBe(stepKeyOf('close', 'GD20261126000001', '2251799813685290'));
  });
});
