/**
 * 知识库 on the real stack: process owners add entries, call-takers search them in Chinese, and a
 * consultation answered from an entry is closed at once citing it, on both engines (the dispatch
 * DMN routes it to answer-now).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';

let keys: TestKeys;
beforeAll(async () => {
  keys = await makeKeys();
});

describe.each(['zeebe', 'camunda7'] as const)('the knowledge base on %s', (engine) => {
  let hub: RunningHub;
  let base: string;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' }), createLogger('warn'));
    base = `${hub.url}/api/v1`;
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
  });
  const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
  const get = (p: string, token = keys.role['call-taker']) => fetch(`${base}${p}`, { headers: bearer(token) });

  it('finds entries by Chinese words in title and body, best first, and closes a consultation answered from one, citing it', async () => {
    // A word of this run's own, so that earlier runs' entries do not compete.
    const marker = `测${randomUUID().replace(/\D/g, '').slice(0, 6)}`;
    const add = async (title: string, text: string) => {
      const res = await post('/knowledge', { title, body: `${text}（${marker}）`, category: 'policy-consult', source: '市公安局2026年公告' }, keys.role['process-owner']);
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const residence = await add('居住证办理条件', '在本市居住半年以上，有合法稳定就业、住所或连续就读的，可申领居住证。');
    const heating = await add('供热期与室温标准', '供热期为每年11月1日至次年3月31日，室温不低于18摄氏度。');
    await add('公交卡挂失', '公交卡丢失可到服务网点挂失补办。');

    const search = async (q: string) => ((await (await get(`/knowledge?q=${encodeURIComponent(`${q} ${marker}`)}`)).json()) as { entries: Array<{ id: string; title: string; score: number }> }).entries;
    const found = await search('怎么申领居住证');
    expect(found[0]!.id, 'the entry about residence permits first').toBe(residence);
    expect((await search('暖气室温多少度'))[0]!.id).toBe(heating);
    expect((await get(`/knowledge?q=${encodeURIComponent('？！')}`)).status, 'nothing to search for').toBe(200);
    expect((await post('/knowledge', { title: '越权', body: '受理员不能添加' }, keys.role['call-taker'])).status).toBe(403);

    const res = await post('/orders', {
      channel: 'phone', type: 'consultation', category: 'heating', title: '咨询供热时间', description: '问什么时候开始供暖', district: 'hexi', address: '河西区',
      citizen: { name: '咨询人', phone: '13200132000', confidential: false }, knowledgeEntryId: heating,
    }, keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await expect.poll(async () => ((await (await get(`/orders/${orderNo}`, keys.role.supervisor)).json()) as { status: string }).status, { timeout: 20_000 }).toBe('closed');
    const order = (await (await get(`/orders/${orderNo}`, keys.role.supervisor)).json()) as { handlingMode: string; history: Array<{ step: string; note: string }> };
    expect(order.handlingMode, 'a heating request would be dispatched; answered from the knowledge base it is not').toBe('answer-now');
    expect(order.history.find((h) => h.step === 'answer')!.note).toBe(`当即答复，依据知识库条目 #${heating}《供热期与室温标准》，办结条件已满足`);

    expect((await fetch(`${base}/knowledge/${heating}`, { method: 'DELETE', headers: bearer(keys.role['process-owner']) })).status).toBe(204);
    expect((await search('暖气室温')).some((e) => e.id === heating), 'a retired entry is not found').toBe(false);
    const retired = await post('/orders', { channel: 'phone', type: 'consultation', category: 'heating', title: '咨询', description: '咨询', district: 'hexi', address: '河西区', citizen: { name: '咨询人', phone: '13200132001', confidential: false }, knowledgeEntryId: heating }, keys.role['call-taker']);
    expect(retired.status).toBe(422);
  });
});
