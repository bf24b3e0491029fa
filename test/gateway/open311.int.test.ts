/**
 * Open311 GeoReport v2 intake on the real stack: requests shaped as GeoReport clients send them
 * (form-encoded, api_key in the body, lat/long, media URL) become orders that the process
 * disposes of like any other, and whose status the Open311 read shows; refusals come in
 * Open311's shape and record nothing.
 */
import { describe, expect, it } from 'vitest';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';

interface Open311Request {
  service_request_id: string;
  status: string;
  status_notes: string;
  service_code: string | null;
  agency_responsible: string;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  description: string;
  expected_datetime: string | null;
}

const fx = useKeysAndMail();
// Orders left open (dispatched, not answered) lose their instances after the file.
const h = useEngineHub('zeebe', { mail: () => fx.mail });
const root = () => h.hub.url!;

/** As a GeoReport client posts: application/x-www-form-urlencoded, the key among the fields. */
const submit = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${root()}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
const read = async (id: string, key = fx.keys.role.integration): Promise<Open311Request> => {
  const res = await fetch(`${root()}/open311/v2/requests/${id}.json?api_key=${encodeURIComponent(key)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Open311Request[])[0]!;
};
const pothole = () => ({
  api_key: fx.keys.role.integration,
  jurisdiction_id: 'tianjin.12345.gov.cn',
  service_code: 'pothole',
  lat: '39.12057',
  long: '117.20314',
  description: '南京路与滨江道交口路面塌陷，有积水',
  media_url: 'https://img.example.invalid/reports/8812.jpg',
  first_name: '小明',
  last_name: '王',
  phone: '13712345678',
  email: 'wang.xiaoming@example.invalid',
  device_id: 'ios-31F2',
});

describe('Open311 GeoReport v2', { timeout: 120_000 }, () => {
  it('says where it is and what it takes', async () => {
    const disc = (await (await fetch(`${root()}/open311/v2/discovery.json`)).json()) as { endpoints: Array<{ specification: string; url: string }> };
    expect(disc.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${root()}/open311/v2` });
    const services = (await (await fetch(`${root()}/open311/v2/services.json`)).json()) as Array<{ service_code: string; metadata: boolean; type: string; group: string }>;
    expect(services.map((s) => s.service_code)).toEqual(['pothole', 'manhole', 'illegal-posting', 'noise', 'water-outage']);
    expect(services[0]).toMatchObject({ metadata: false, type: 'realtime', group: '城乡建设' });
  });

  it('takes a pothole report as an order the process disposes of, and shows its status as it goes', async () => {
    const res = await submit(pothole());
    expect(res.status).toBe(201);
    const [made] = (await res.json()) as Array<{ service_request_id: string; service_notice: string }>;
    const orderNo = made!.service_request_id;
    expect(orderNo).toMatch(/^GD\d{14}$/);

    const order = (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { channel: string; category: string; district: string; description: string; citizen: { name: string; phone: string; email: string | null } };
    expect(order).toMatchObject({ channel: 'app', category: 'road-damage', district: 'heping', citizen: { name: '王小明', phone: '13712345678', email: 'wang.xiaoming@example.invalid' } });
    // An address nobody at the centre heard given: one mail asking to confirm it, with a link.
    await h.until(async () => fx.mail.recipients.get(orderNo)?.includes('wang.xiaoming@example.invalid') ?? false, true, 60_000);
    const [row] = (await h.hub.store.ds.query('SELECT payload FROM outbox WHERE dedup_key = ?', [`notice:received:${orderNo}:email`])) as Array<{ payload: string }>;
    const asked = JSON.parse(row!.payload) as { subject: string; text: string };
    expect(asked.subject).toContain('请确认');
    const link = /(http:\/\/\S+\/public\/v1\/contact\/confirm\?token=\S+)/.exec(asked.text)![1]!;
    // Opening the link (as a mail scanner would) confirms nothing: it shows a button.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<button type="submit">确认接收通知</button>');
    const confirmedAt = async () => ((await h.hub.store.ds.query('SELECT citizen_email_confirmed_at AS at FROM work_order WHERE order_no = ?', [orderNo])) as Array<{ at: Date | null }>)[0]!.at;
    expect(await confirmedAt()).toBeNull();
    const token = new URL(link).searchParams.get('token')!;
    const press = (t: string) => fetch(`${root()}/public/v1/contact/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: t }).toString() });
    const pressed = await press(token);
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('邮箱已确认');
    expect(await confirmedAt()).not.toBeNull();
    expect((await press('x'.repeat(32))).status, 'a made-up token confirms nothing').toBe(404);
    expect(order.description).toContain('https://img.example.invalid/reports/8812.jpg');

    await h.until(async () => (await read(orderNo)).status_notes, '已派发承办单位');
    const open = await read(orderNo);
    // Coordinates to the street (about 100 m), not the doorway.
    expect(open).toMatchObject({ status: 'open', service_code: 'pothole', agency_responsible: '市城市管理委员会', lat: 39.121, long: 117.203, media_url: 'https://img.example.invalid/reports/8812.jpg', description: '南京路与滨江道交口路面塌陷，有积水' });
    expect(open.expected_datetime).not.toBeNull();
    expect(JSON.stringify(open), 'no citizen data in an Open311 read').not.toMatch(/王小明|13712345678|wang\.xiaoming/);

    expect((await h.post(`/orders/${orderNo}/reply`, { result: '已修补塌陷路面', handledBy: '市政养护队' }, fx.keys.unit['city-management']!)).status).toBe(202);
    await h.until(async () => (await read(orderNo)).status_notes, '已办理，待回访');
    expect((await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
    await h.until(async () => (await read(orderNo)).status, 'closed');
    // Confirmed: the close notice goes to the address too.
    await h.until(async () => fx.mail.recipients.get(orderNo)?.filter((r) => r === 'wang.xiaoming@example.invalid').length ?? 0, 2, 60_000);
  });

  it('finds the district by the name in address_string, and answers a repeat with the same Idempotency-Key as the first', async () => {
    const fields = { api_key: fx.keys.role.integration, service_code: 'noise', address_string: '天津市河西区友谊路35号', description: '夜间施工噪声', phone: '13712340000' };
    const first = await submit(fields, { 'Idempotency-Key': 'app-report-5531' });
    const again = await submit(fields, { 'Idempotency-Key': 'app-report-5531' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const [a] = (await first.json()) as Array<{ service_request_id: string }>;
    const [b] = (await again.json()) as Array<{ service_request_id: string }>;
    expect(b!.service_request_id).toBe(a!.service_request_id);
    const order = (await (await h.get(`/orders/${a!.service_request_id}`, fx.keys.role.supervisor)).json()) as { district: string; type: string };
    expect(order).toMatchObject({ district: 'hexi', type: 'complaint' });
    const list = (await (await fetch(`${root()}/open311/v2/requests.json?service_request_id=${a!.service_request_id}&api_key=${encodeURIComponent(fx.keys.role.integration)}`)).json()) as Open311Request[];
    expect(list.map((r) => r.service_request_id)).toEqual([a!.service_request_id]);
  });

  it('refuses in Open311\'s shape what it cannot take, and records nothing', async () => {
    const before = ((await (await fetch(`${root()}/open311/v2/requests.json?api_key=${encodeURIComponent(fx.keys.role.integration)}`)).json()) as Open311Request[]).map((r) => r.service_request_id);
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ ...pothole(), service_code: 'street-light' }, 404, /street-light is not offered/],
      [{ ...pothole(), lat: '', long: '' }, 400, /a location is required/],
      [{ ...pothole(), lat: '31.2304', long: '121.4737' }, 400, /outside the districts/],
      [{ ...pothole(), lat: '39.12' , long: '' }, 400, /lat and long come together/],
      [{ ...pothole(), phone: '' }, 400, /phone is required/],
      [{ ...pothole(), media_url: 'javascript:alert(1)' }, 400, /media_url/],
      [{ ...pothole(), api_key: 'hub_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 401, /UNAUTHENTICATED/],
      [{ ...pothole(), api_key: '' }, 401, /UNAUTHENTICATED/],
    ];
    for (const [fields, status, reason] of cases) {
      const res = await submit(fields);
      const body = (await res.json()) as Array<{ code: number; description: string }>;
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(body[0]!.code).toBe(status);
      expect(body[0]!.description).toMatch(reason);
    }
    const after = ((await (await fetch(`${root()}/open311/v2/requests.json?api_key=${encodeURIComponent(fx.keys.role.integration)}`)).json()) as Open311Request[]).map((r) => r.service_request_id);
    expect(after).toEqual(before);
  });

  it('shows only requests that came through Open311', async () => {
    const res = await h.post('/orders', { channel: 'phone', type: 'help', category: 'road-damage', title: '电话来的诉求', description: '电话反映路面破损', district: 'heping', address: '和平区测试路9号', citizen: { name: '电话市民', phone: '13700009999', confidential: false } }, fx.keys.role['call-taker']);
    const { orderNo } = (await res.json()) as { orderNo: string };
    const got = await fetch(`${root()}/open311/v2/requests/${orderNo}.json?api_key=${encodeURIComponent(fx.keys.role.integration)}`);
    expect(got.status).toBe(404);
    expect(((await got.json()) as Array<{ code: number }>)[0]!.code).toBe(404);
  });

  it('shows a request only to the application that submitted it, never to another integration key', async () => {
    const res = await submit({ ...pothole(), description: '另一应用不应看到的报告' });
    const [made] = (await res.json()) as Array<{ service_request_id: string }>;
    const id = made!.service_request_id;
    expect((await read(id)).service_request_id).toBe(id);
    const other = (path: string) => fetch(`${root()}/open311/v2/${path}${path.includes('?') ? '&' : '?'}api_key=${encodeURIComponent(fx.keys.otherApp)}`);
    const one = await other(`requests/${id}.json`);
    expect(one.status).toBe(404);
    expect(await (await other(`requests.json?service_request_id=${id}`)).json()).toEqual([]);
    expect(await (await other('requests.json')).json()).toEqual([]);
  });
});
