/**
 * Open311 GeoReport v2 on the real stack, driven as a GeoReport v2 client drives it, in both
 * formats: discovery, services and a service definition in JSON and XML; requests shaped as
 * clients send them (form-encoded, api_key in the body, lat/long, address_id, zipcode, media URL)
 * become orders that the process disposes of like any other; anyone reads them back, anonymised,
 * by id or by date, state and service; refusals come in Open311's shape ([{ code, description }]
 * or <errors>), a missing or bad api_key is 403, a foreign jurisdiction_id 404, and nothing is
 * recorded of them.
 */
import { XMLParser } from 'fast-xml-parser';
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
/** A public read, as any client makes it: no key. */
const read = async (id: string): Promise<Open311Request> => {
  const res = await fetch(`${root()}/open311/v2/requests/${id}.json`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Open311Request[])[0]!;
};
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error', 'endpoint', 'format'].includes(name) });
/** GET (or POST) in XML: the status, the content type and the document. */
/** GeoReport v2's XML documents as the parser gives them (every value a string). */
interface Xml {
  discovery: { endpoints: { endpoint: Array<{ specification: string; url: string; formats: { format: string[] } }> } };
  services: { service: Array<Record<string, string>> };
  service_definition: { service_code: string };
  service_requests: { request: Array<Record<string, string>> };
  errors: { error: Array<{ code: string; description: string }> };
}
const getXml = async (path: string, init?: RequestInit): Promise<{ status: number; type: string; doc: Xml }> => {
  const res = await fetch(`${root()}/open311/v2/${path}`, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', doc: xml.parse(await res.text()) as Xml };
};
const ids = async (query: string): Promise<string[]> => ((await (await fetch(`${root()}/open311/v2/requests.json?${query}`)).json()) as Open311Request[]).map((r) => r.service_request_id);
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
  zipcode: '300040',
});

describe('Open311 GeoReport v2', { timeout: 120_000 }, () => {
  it('says where it is and what it takes', async () => {
    const disc = (await (await fetch(`${root()}/open311/v2/discovery.json`)).json()) as { endpoints: Array<{ specification: string; url: string }> };
    expect(disc.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${root()}/open311/v2` });
    const services = (await (await fetch(`${root()}/open311/v2/services.json`)).json()) as Array<{ service_code: string; metadata: boolean; type: string; group: string }>;
    expect(services.map((s) => s.service_code)).toEqual(['pothole', 'manhole', 'illegal-posting', 'noise', 'water-outage']);
    expect(services[0]).toMatchObject({ metadata: false, type: 'realtime', group: '城乡建设' });
    // The same in XML.
    const d = await getXml('discovery.xml');
    expect(d.type).toMatch(/^application\/xml/);
    expect(d.doc.discovery.endpoints.endpoint[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${root()}/open311/v2` });
    expect(d.doc.discovery.endpoints.endpoint[0]!.formats.format).toEqual(['application/json', 'text/xml']);
    const list = await getXml('services.xml?jurisdiction_id=tianjin.12345.gov.cn');
    expect(list.doc.services.service.map((x) => x.service_code)).toEqual(['pothole', 'manhole', 'illegal-posting', 'noise', 'water-outage']);
    expect(list.doc.services.service[0]).toMatchObject({ service_name: '道路破损', metadata: 'false', type: 'realtime', group: '城乡建设' });
    expect((await getXml('services/pothole.xml')).doc.service_definition.service_code).toBe('pothole');
    expect((await getXml('services.csv')).status).toBe(404);
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
    // Coordinates to the street (about 100 m), not the doorway; the photo is the centre's and the unit's (附件), never published.
    const files = (await (await h.get(`/orders/${orderNo}/attachments`, fx.keys.role.supervisor)).json()) as { attachments: Array<{ kind: string; url: string | null; name: string }> };
    expect(files.attachments).toEqual([expect.objectContaining({ kind: 'intake', url: 'https://img.example.invalid/reports/8812.jpg', name: '8812.jpg' })]);
    expect(open).toMatchObject({ status: 'open', service_code: 'pothole', agency_responsible: '市城市管理委员会', lat: 39.121, long: 117.203, zipcode: '300040', media_url: null, description: '南京路与滨江道交口路面塌陷，有积水' });
    // Kept as fields, not read back out of the order's text.
    const [kept] = (await h.hub.store.ds.query('SELECT service_code, lat, lng, zipcode, media_url FROM open311_request WHERE order_no = ?', [orderNo])) as Array<Record<string, string>>;
    expect(kept).toEqual({ service_code: 'pothole', lat: '39.120570', lng: '117.203140', zipcode: '300040', media_url: 'https://img.example.invalid/reports/8812.jpg' });
    // The same request in XML, to anyone.
    const inXml = await getXml(`requests/${orderNo}.xml`);
    expect(inXml.doc.service_requests.request[0]).toMatchObject({ service_request_id: orderNo, status: 'open', service_code: 'pothole', lat: '39.121', long: '117.203', address_id: '' });
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
    expect(await ids(`service_request_id=${a!.service_request_id}`)).toEqual([a!.service_request_id]);
  });

  it('refuses in Open311\'s shape what it cannot take, and records nothing', async () => {
    const before = await ids('');
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ ...pothole(), service_code: 'street-light' }, 404, /street-light is not offered/],
      [{ ...pothole(), lat: '', long: '' }, 400, /a location is required/],
      [{ ...pothole(), lat: '31.2304', long: '121.4737' }, 400, /outside the districts/],
      [{ ...pothole(), lat: '39.12' , long: '' }, 400, /lat and long come together/],
      [{ ...pothole(), phone: '' }, 400, /phone is required/],
      [{ ...pothole(), media_url: 'javascript:alert(1)' }, 400, /media_url/],
      [{ ...pothole(), jurisdiction_id: 'beijing.12345.gov.cn' }, 404, /jurisdiction_id beijing/],
      [{ ...pothole(), zipcode: 'x' }, 400, /zipcode/],
      // GeoReport v2: 403 when api_key is missing or wrong.
      [{ ...pothole(), api_key: 'hub_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 403, /UNAUTHENTICATED/],
      [{ ...pothole(), api_key: '' }, 403, /UNAUTHENTICATED/],
    ];
    for (const [fields, status, reason] of cases) {
      const res = await submit(fields);
      const body = (await res.json()) as Array<{ code: number; description: string }>;
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(body[0]!.code).toBe(status);
      expect(body[0]!.description).toMatch(reason);
    }
    // In XML, the errors come as <errors><error>.
    const inXml = await getXml('requests.xml', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...pothole(), api_key: '' }).toString() });
    expect(inXml.status).toBe(403);
    expect(inXml.doc.errors.error[0]!.code).toBe('403');
    for (const [path, status] of [['requests.json?jurisdiction_id=x', 404], ['services.json?jurisdiction_id=x', 404], ['requests.json?start_date=yesterday', 400], ['requests.json?status=pending', 400]] as const) {
      const res = await fetch(`${root()}/open311/v2/${path}`);
      expect(res.status, path).toBe(status);
      expect(((await res.json()) as Array<{ code: number }>)[0]!.code).toBe(status);
    }
    expect(await ids('')).toEqual(before);
  });

  it('lets anyone read every Open311 request, anonymised, by date, state and service, filtered in the database, in JSON and XML', async () => {
    const made = async (fields: Record<string, string>, key = fx.keys.role.integration) => ((await (await submit({ ...pothole(), ...fields, api_key: key })).json()) as Array<{ service_request_id: string }>)[0]!.service_request_id;
    const hole = await made({ description: '另一应用的报告也公开' }, fx.keys.otherApp);
    const noise = await made({ service_code: 'noise', description: '夜间施工噪声', lat: '39.1200', long: '117.2000' });
    // Another application's request, and no key at all: the same anonymised read.
    expect((await read(hole)).service_request_id).toBe(hole);
    const withKey = await fetch(`${root()}/open311/v2/requests/${hole}.json?api_key=${encodeURIComponent(fx.keys.role.integration)}`);
    expect(withKey.status).toBe(200);
    expect(JSON.stringify(await withKey.json())).not.toMatch(/王小明|13712345678/);
    // Filters, each applied by the database.
    expect(await ids(`service_code=noise`)).toContain(noise);
    expect(await ids(`service_code=noise`)).not.toContain(hole);
    expect(await ids(`service_code=pothole,noise&status=open`)).toEqual(expect.arrayContaining([hole, noise]));
    expect(await ids(`status=closed&service_code=noise`)).not.toContain(noise);
    const hour = (n: number) => encodeURIComponent(new Date(Date.now() + n * 3600_000).toISOString());
    expect(await ids(`start_date=${hour(1)}&end_date=${hour(2)}`)).toEqual([]);
    expect(await ids(`start_date=${hour(-1)}&end_date=${hour(1)}`)).toEqual(expect.arrayContaining([hole, noise]));
    const listed = await ids('');
    expect(listed.indexOf(noise)).toBeLessThan(listed.indexOf(hole));
    const inXml = await getXml(`requests.xml?service_request_id=${noise},${hole}`);
    expect(inXml.doc.service_requests.request.map((r) => r.service_request_id).sort()).toEqual([hole, noise].sort());
  });

  it('shows no order taken another way than Open311', async () => {
    const res = await h.post('/orders', { channel: 'phone', type: 'help', category: 'road-damage', title: '电话来的诉求', description: '电话反映路面破损', district: 'heping', address: '和平区测试路9号', citizen: { name: '电话市民', phone: '13700009999', confidential: false } }, fx.keys.role['call-taker']);
    const { orderNo } = (await res.json()) as { orderNo: string };
    const got = await fetch(`${root()}/open311/v2/requests/${orderNo}.json`);
    expect(got.status).toBe(404);
    expect(((await got.json()) as Array<{ code: number }>)[0]!.code).toBe(404);
    expect(await ids(`service_request_id=${orderNo}`)).toEqual([]);
  });
});
