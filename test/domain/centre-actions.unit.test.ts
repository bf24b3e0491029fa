import { describe, expect, it } from 'vitest';
import { decideAssign, decideCallback, type CentreOrder } from '../../domain/centre-actions.js';
import { isRefused, STATUSES, type OrderStatus } from '../../domain/order.js';

const order = (o: Partial<CentreOrder> = {}): CentreOrder => ({ orderNo: 'GD20261207000001', status: 'awaiting_assignment', complainedUnit: null, ...o });
const water = { code: 'water-group', name: '水务集团' };
const allStatuses = Object.keys(STATUSES) as OrderStatus[];

describe('人工派单: a dispatcher assigns an order the rules could not place', () => {
  it('hands the process the unit and the mode\'s time limit, and records both in zh-CN', () => {
    const d = decideAssign(order(), { unit: water, mode: 'written-dispatch', reason: '规则未覆盖' });
    expect(d).toEqual({
      transition: 'assign',
      step: 'assign',
      note: expect.stringContaining('水务集团') as string,
      detail: { mode: 'written-dispatch', unit: 'water-group', workingDays: 7, minutes: null, reason: '规则未覆盖' },
      set: { handlingMode: 'written-dispatch', unitCode: 'water-group' },
      engine: { mode: 'written-dispatch', unit: 'water-group', workingDays: 7, minutes: null },
    });
    expect(decideAssign(order(), { unit: water, mode: 'urgent', reason: '' })).toMatchObject({ engine: { workingDays: null, minutes: 30 } });
  });

  it.each(allStatuses.filter((s) => s !== 'awaiting_assignment'))('is refused for an order that is %s', (status) => {
    expect(decideAssign(order({ status }), { unit: water, mode: 'phone-dispatch', reason: '' })).toMatchObject({ refused: 'NOT_AWAITING_ASSIGNMENT', reason: expect.stringContaining(status) as string });
  });

  it('never sends an order to the unit it complains about (回避), whatever the dispatcher says', () => {
    const d = decideAssign(order({ complainedUnit: 'water-group' }), { unit: water, mode: 'phone-dispatch', reason: '' });
    expect(isRefused(d)).toBe(true);
    expect(d).toMatchObject({ refused: 'CONFLICT_OF_INTEREST', reason: expect.stringContaining('回避') as string });
  });
});

describe('回访: the citizen\'s satisfaction', () => {
  it.each(['satisfied', 'basically-satisfied', 'unsatisfied'] as const)('records %s and hands it to the process', (satisfaction) => {
    const d = decideCallback(order({ status: 'awaiting_callback' }), { satisfaction, note: '市民表示认可' });
    expect(d).toMatchObject({ transition: 'callback', step: 'callback', set: { satisfaction }, engine: { satisfaction }, detail: { satisfaction, note: '市民表示认可' } });
    expect((d as { note: string }).note).toMatch(/^回访结果：/);
  });

  it.each(allStatuses.filter((s) => s !== 'awaiting_callback'))('is refused for an order that is %s', (status) => {
    expect(decideCallback(order({ status }), { satisfaction: 'satisfied', note: '' })).toMatchObject({ refused: 'NOT_AWAITING_CALLBACK' });
  });

  it('records whether the problem was solved apart from the satisfaction, and says so in the history; the process goes on by the satisfaction alone', () => {
    const solved = decideCallback(order({ status: 'awaiting_callback' }), { satisfaction: 'basically-satisfied', note: '', resolved: false });
    expect(solved).toMatchObject({ set: { satisfaction: 'basically-satisfied', resolved: false }, engine: { satisfaction: 'basically-satisfied' }, detail: { resolved: false }, note: '回访结果：基本满意，问题未解决' });
    expect((solved as { engine: object }).engine).not.toHaveProperty('resolved');
    const notAsked = decideCallback(order({ status: 'awaiting_callback' }), { satisfaction: 'satisfied', note: '' });
    expect(notAsked).toMatchObject({ set: { resolved: null }, note: '回访结果：满意' });
  });
});
