/** The history's actor codes in words, as the console shows them (console/actors.js). */
import { describe, expect, it } from 'vitest';
import { actorName } from '../../console/actors.js';
import { ROLE_NAMES } from '../../domain/access.js';

const units: Record<string, string> = { 'gas-group': '市燃气集团' };
const name = (actor: string) => actorName(actor, ROLE_NAMES, (code) => units[code]);

describe('who took a step, in words', () => {
  it.each([
    ['hub', '系统'],
    ['hub:auto-review', '系统（自动审核）'],
    ['dmn:dispatch', '派单规则'],
    ['partner:medical-120', '联动单位 medical-120'],
    ['cli:ops@hub-1', '命令行（ops@hub-1）'],
    ['integration:digital-city', '对接系统 digital-city'],
    ['unit:gas-group', '市燃气集团'],
    ['unit:gas-group（12345热线更正）', '市燃气集团（12345热线更正）'],
    ['unit:water-group', 'water-group'],
    ['dispatcher:k-7f3a', '派单员'],
    ['callback-agent:e37a8bd89cbc4adc', '回访员'],
    ['supervisor', '督办'],
    ['hub start', '平台启动时部署'],
    ['something-else', 'something-else'],
  ])('%s is shown as %s', (actor, shown) => {
    expect(name(actor)).toBe(shown);
  });

  it('shows nothing for no actor', () => {
    expect(name('')).toBe('');
  });
});
