/** 命中规则 (infra/engine/dmn-match.ts): the rule of bpmn/dispatch.dmn that decided an order, found again with FEEL. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../infra/config.js';
import { matchedRule } from '../../../infra/engine/dmn-match.js';
import { dispatchInputs } from '../../../usecases/engine-messages.js';

const xml = fs.readFileSync(path.join(projectRoot, 'bpmn/dispatch.dmn'), 'utf8');
const order = { type: 'complaint', category: 'noise', district: 'hexi', urgent: false, knowledgeEntryId: null as string | null };
const rule = (over: Partial<typeof order>) => matchedRule(xml, 'dispatch', dispatchInputs({ ...order, ...over }));

describe('the dispatch rule that matched', () => {
  it('is the first rule whose every cell holds, as the FIRST hit policy picks', async () => {
    expect(await rule({})).toEqual({ index: 22, id: 'rule-17', description: '' });
    expect(await rule({ category: 'water-outage' })).toMatchObject({ id: 'rule-9', description: '电话交办：3个工作日' });
    expect(await rule({ category: 'water-outage', urgent: true }), 'an urgent one before').toMatchObject({ id: 'rule-2', description: '停水紧急件' });
    expect(await rule({ knowledgeEntryId: '12' }), 'answered from the knowledge base: the first rule').toMatchObject({ index: 1, id: 'rule-0' });
    expect(await rule({ district: 'heping' }), 'the district\'s fallback').toMatchObject({ id: 'rule-16', description: '属地兜底' });
  });

  it('finds none in a table where no rule holds, and none in a table that is not there', async () => {
    const narrow = xml.replace(/<rule id="rule-(1[0-9]|2[0-9]|[0-9])">[\s\S]*?<\/rule>/g, (r) => (r.includes('id="rule-17"') ? r : ''));
    expect(await matchedRule(narrow, 'dispatch', dispatchInputs({ ...order, district: 'nankai' }))).toBeNull();
    expect(await matchedRule(xml, 'no-such-decision', dispatchInputs(order))).toBeNull();
  });
});
