/**
 * A process owner changes who handles what, on both engines, on the real stack: the dispatch table
 * edited (non-urgent matters in 河西区 to the city management committee instead of the district),
 * refused while it names a unit the catalog does not know, shown against what runs, deployed
 * through the API with a process owner's key, and the next order goes to the new unit; rolled
 * back through the command line, the next order goes to the district again. Each version is kept
 * with who deployed it, and a hub started afterwards keeps what was deployed last.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/config.js';
import { ModelStore } from '../../infra/db/models.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';
import { finishOrder, hubCli, hubCliWith } from '../support/ops.js';
import { camunda7Api } from '../../infra/config.js';

const fx = useKeysAndMail();
const original = fs.readFileSync(path.join(projectRoot, 'bpmn/dispatch.dmn'), 'utf8');
const RULE_17_UNIT = '<outputEntry id="rule-17-unit"><text>&#34;hexi-gov&#34;</text></outputEntry>';
const edited = original.replace(RULE_17_UNIT, '<outputEntry id="rule-17-unit"><text>&#34;city-management&#34;</text></outputEntry>');
const workOrder = fs.readFileSync(path.join(projectRoot, 'bpmn/work-order.bpmn'), 'utf8');
const unknownUnit = original.replace(RULE_17_UNIT, '<outputEntry id="rule-17-unit"><text>&#34;hexi-water-board&#34;</text></outputEntry>');

describe.each(['zeebe', 'camunda7'] as const)('a process owner edits the dispatch table on %s', { timeout: 180_000 }, (engine) => {
  const h = useEngineHub(engine, { mail: () => fx.mail });
  // Whatever happens, the file's next hub runs the repository's models again (through the API:
  // a CLI process would take seconds to start).
  afterAll(async () => {
    const store = new ModelStore(h.hub.store.ds);
    for (const [name, content] of [['dispatch.dmn', original], ['work-order.bpmn', workOrder]] as const) {
      const now = (await store.current()).get(name);
      if (!now || now.content === content) continue;
      const to = (await store.history(name, 500)).find((v) => v.content === content)!.id;
      expect((await h.post(`/models/${name}/rollback`, { to }, fx.keys.role['process-owner'])).status, `${name} rolled back`).toBe(200);
    }
  });

  const dispatched = async (title: string): Promise<string> => {
    const res = await h.post('/orders', { channel: 'phone', type: 'complaint', category: 'noise', title, description: `${title}，影响休息`, district: 'hexi', address: '河西区友谊路61号', urgent: false, citizen: { name: '迁移测试', phone: '13500135021', confidential: false } }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await h.until(async () => ((await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { status: string }).status, 'dispatched', 60_000);
    return orderNo;
  };
  const unitOf = async (title: string): Promise<string> => {
    const res = await h.post('/orders', { channel: 'phone', type: 'complaint', category: 'noise', title, description: `${title}，影响休息`, district: 'hexi', address: '河西区友谊路60号', urgent: false, citizen: { name: '派单规则测试', phone: '13500135020', confidential: false } }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    const order = async () => (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { status: string; unit: { code: string } | null; catalogueVersion: string | null };
    await h.until(async () => (await order()).status, 'dispatched', 60_000);
    // The table that placed it is the one the engine evaluated: the newest deployment of dispatch.dmn,
    // whichever process deployed it (this hub, or the command line's own process).
    const [newest] = await new ModelStore(h.hub.store.ds).history('dispatch.dmn', 1);
    expect((await order()).catalogueVersion, title).toBe(`dispatch v${newest!.versions!.decisions.dispatch}`);
    return (await order()).unit!.code;
  };
  const deploy = (xml: string, query = '') => fetch(`${h.base}/models/dispatch.dmn${query}`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${fx.keys.role['process-owner']}` }, body: xml });

  it('deploys an edited table through the API and the next order goes to the new unit; a rollback through the CLI brings the old one back', async () => {
    expect(await unitOf('规则修改前的噪声投诉')).toBe('hexi-gov');

    const refused = await deploy(unknownUnit);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { code: string; details: { problems: string[] } } };
    expect(body.error.code).toBe('MODEL_INVALID');
    expect(body.error.details.problems).toEqual(['decision dispatch, rule rule-17: 承办单位 unit "hexi-water-board" is not in config/catalog.json']);

    const dry = await deploy(edited, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(await dry.json()).toEqual({ name: 'dispatch.dmn', deployed: null, changes: ['~ dispatch rule rule-17: 承办单位 unit: "hexi-gov" → "city-management"'] });
    expect(await unitOf('试运行后的噪声投诉')).toBe('hexi-gov');

    const res = await deploy(edited, `?note=${encodeURIComponent('河西区噪声改由市城管委承办')}`);
    expect(res.status).toBe(201);
    const deployed = ((await res.json()) as { deployed: { id: string; source: string; deployedBy: string; note: string } }).deployed;
    expect(deployed).toMatchObject({ source: 'deploy', deployedBy: expect.stringMatching(/^process-owner:/), note: '河西区噪声改由市城管委承办' });
    expect(await unitOf('规则修改后的噪声投诉')).toBe('city-management');

    // Rolled back by another process: this hub's own idea of the version is now stale.
    const back = await hubCli(engine, 'rollback', 'dispatch.dmn');
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toContain('~ dispatch rule rule-17: 承办单位 unit: "city-management" → "hexi-gov"');
    expect(back.stdout).toMatch(/dispatch\.dmn: version \d+ deployed \(back to version \d+\)/);
    expect(await unitOf('回滚后的噪声投诉')).toBe('hexi-gov');

    const history = ((await (await h.get('/models/dispatch.dmn', fx.keys.role['process-owner'])).json()) as { history: Array<{ id: string; source: string; deployedBy: string }> }).history;
    expect(history.slice(0, 2).map((v) => v.source)).toEqual(['rollback', 'deploy']);
    expect(history[0]!.deployedBy).toMatch(/^cli:/);
    const audit = (await h.hub.store.ds.query("SELECT action FROM audit_log WHERE target = 'dispatch.dmn' ORDER BY id DESC LIMIT 2")) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['cli model rollback', 'POST /api/v1/models/:name']);
  });

  // From a process owner's machine: `hub deploy` and `hub rollback` through the hub's API with a
  // process owner's key. The command is given no database it could reach.
  it.runIf(engine === 'zeebe')('deploys and rolls back from the command line through the API with a process owner\'s key, without the database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-deploy-'));
    const remote = { HUB_URL: h.hub.url!, HUB_API_KEY: fx.keys.role['process-owner'], DATABASE_URL: 'mysql://nobody@127.0.0.1:9/nothing', HUB_ENGINE: engine };
    try {
      fs.writeFileSync(path.join(dir, 'unknown.dmn'), unknownUnit);
      fs.writeFileSync(path.join(dir, 'edited.dmn'), edited);
      const [refused, wrongKey] = await Promise.all([
        hubCliWith(remote, 'deploy', path.join(dir, 'unknown.dmn'), '--as', 'dispatch.dmn'),
        hubCliWith({ ...remote, HUB_API_KEY: fx.keys.role['call-taker'] }, 'deploy', path.join(dir, 'edited.dmn'), '--as', 'dispatch.dmn'),
      ]);
      expect(refused.status, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('not deployed:\n  - decision dispatch, rule rule-17: 承办单位 unit "hexi-water-board" is not in config/catalog.json');
      expect(wrongKey.status).toBe(1);
      expect(wrongKey.stderr).toMatch(/forbidden|not allowed|may not/i);

      const deployed = await hubCliWith(remote, 'deploy', path.join(dir, 'edited.dmn'), '--as', 'dispatch.dmn', '--note', '命令行经接口部署');
      expect(deployed.status, deployed.stderr).toBe(0);
      expect(deployed.stdout).toContain('~ dispatch rule rule-17: 承办单位 unit: "hexi-gov" → "city-management"');
      expect(deployed.stdout).toMatch(/dispatch\.dmn: version \d+ deployed/);
      const listed = await hubCliWith(remote, 'models', 'dispatch.dmn', '--json');
      expect(listed.status, listed.stderr).toBe(0);
      expect((JSON.parse(listed.stdout) as Array<{ source: string; deployedBy: string; note: string }>)[0]).toMatchObject({ source: 'deploy', deployedBy: expect.stringMatching(/^process-owner:/), note: '命令行经接口部署' });
      expect(await unitOf('命令行部署后的噪声投诉')).toBe('city-management');

      const back = await hubCliWith(remote, 'rollback', 'dispatch.dmn');
      expect(back.status, back.stderr).toBe(0);
      expect(back.stdout).toMatch(/dispatch\.dmn: version \d+ deployed \(back to version \d+\)/);
      expect(await unitOf('命令行回滚后的噪声投诉')).toBe('hexi-gov');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps what a process owner deployed when a hub starts again, and tells an operator what runs', async () => {
    const res = await deploy(edited);
    expect(res.status).toBe(201);
    const listed = await hubCli(engine, 'models', '--json');
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ name: string; source: string }>).find((m) => m.name === 'dispatch.dmn')).toMatchObject({ source: 'deploy' });
    // A second hub's start deploys the newest version, not the repository's file.
    const { startHub } = await import('../../hub/compose.js');
    const { loadConfig } = await import('../../infra/config.js');
    const { createLogger } = await import('../../infra/log.js');
    const { freePort } = await import('../support/harness.js');
    const second = await startHub(loadConfig({ ...process.env, HUB_ENGINE: engine, HUB_ROLES: 'gateway', PORT: String(await freePort()), DEMO_KEYS: 'false' }), createLogger('error'));
    await second.close();
    expect(await unitOf('重启后的噪声投诉')).toBe('city-management');
    const back = await hubCli(engine, 'rollback', 'dispatch.dmn');
    expect(back.status, back.stderr).toBe(0);
    expect(await unitOf('再次回滚后的噪声投诉')).toBe('hexi-gov');
  });
  it('moves an order waiting on the old version of its process to the new one where the engine allows it, and the order goes on to its end', async () => {
    const orderNo = await dispatched('流程新版本发布前的噪声投诉');
    const key = String(((await h.hub.store.ds.query('SELECT process_instance_key AS k FROM work_order WHERE order_no = ?', [orderNo])) as [{ k: string }])[0].k);
    const v2 = workOrder.replace('<bpmn:process id="work-order" name="', '<bpmn:process id="work-order" name="（新版）');
    expect(v2).not.toBe(workOrder);
    const res = await fetch(`${h.base}/models/work-order.bpmn?note=${encodeURIComponent('流程名称调整')}`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${fx.keys.role['process-owner']}` }, body: v2 });
    expect(res.status, await res.clone().text()).toBe(201);

    const cli = await hubCli(engine, 'migrate', 'work-order', '--order', orderNo, '--json');
    const out = JSON.parse(cli.stdout) as Array<{ instance: string; ok: boolean; orderNo: string | null; error?: string }>;
    expect(cli.status, cli.stderr).toBe(0);
    expect(out).toEqual([{ instance: key, ok: true, orderNo }]);
    if (engine === 'camunda7') {
      const api = camunda7Api(h.config);
      const latest = (await (await fetch(`${api.url}/process-definition/key/work-order`, { headers: { ...api.headers } })).json()) as { id: string };
      const now = (await (await fetch(`${api.url}/process-instance/${key}`, { headers: { ...api.headers } })).json()) as { definitionId: string };
      expect(now.definitionId).toBe(latest.id);
    }
    const trail = (await h.hub.store.ds.query("SELECT detail FROM order_trail WHERE order_no = ? AND kind = 'operator'", [orderNo])) as Array<{ detail: string }>;
    expect(trail.map((t) => JSON.parse(t.detail) as { action: string; ok: boolean })).toEqual([expect.objectContaining({ action: 'migrate', ok: true })]);
    await finishOrder(h, fx.keys, orderNo);
  });

});
