/**
 * What an application reads back of its Open311 request (domain/open311.ts orderToRequest): the
 * status in the citizen's words and the request's own text, with no citizen data in it whatever
 * the citizen typed, and coordinates only to the street; the fields a request came with kept as
 * fields, not read back out of the text; a GET query read as GeoReport v2 writes it. The endpoints
 * in both formats: test/gateway/open311.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { narrow } from '../../domain/disclosure.js';
import { coarse, OPEN311_MAX, Open311Error, orderToRequest, parseOpen311Query, requestToOrder, type Open311Table, type OrderForOpen311 } from '../../domain/open311.js';

const table: Open311Table = {
  jurisdiction_id: 'tianjin.12345.gov.cn',
  services: [{ service_code: 'pothole', service_name: '道路坑洼', description: '', group: '城乡建设', keywords: [], category: 'road-damage', type: 'report' }],
  districts: [{ district: 'heping', names: ['和平区'], bbox: [117.15, 39.08, 117.25, 39.15] }],
};

/** A request as an app posts it, through the intake mapping, as the order the hub keeps. */
function kept(fields: Record<string, string>, status = 'dispatched'): OrderForOpen311 {
  const { order, fields: kept } = requestToOrder({ service_code: 'pothole', phone: '13712345678', last_name: '王', first_name: '小明', ...fields }, table);
  const at = new Date('2026-12-01T02:00:00Z');
  return { orderNo: 'GD20261201000001', status, category: order.category, description: order.description, address: order.address, unitName: '市城市管理委员会', createdAt: at, updatedAt: at, dueAt: null, citizen: { name: order.citizen.name, phone: order.citizen.phone }, fields: kept };
}

describe('an Open311 request as its application reads it back', () => {
  it('keeps the report itself: service, status in words, the agency; never the photo (附件 are not disclosed: any client reads this)', () => {
    const r = orderToRequest(kept({ lat: '39.1205', long: '117.2031', description: '南京路与滨江道交口路面塌陷，有积水', media_url: 'https://img.example.invalid/8812.jpg' }), table);
    expect(r).toMatchObject({ service_code: 'pothole', status: 'open', status_notes: '已派发承办单位', agency_responsible: '市城市管理委员会', description: '南京路与滨江道交口路面塌陷，有积水', media_url: null });
    expect(JSON.stringify(r)).not.toContain('8812.jpg');
  });

  it.each([
    ['the citizen\'s own name', '我是王小明，门口路面塌陷', '王小明'],
    ['the citizen\'s phone, full-width as typed on a phone', '塌陷处请联系１３７１２３４５６７８', '１３７１２３４５６７８'],
    ['the citizen\'s phone, written with spaces', '电话137 1234 5678，路面塌陷', '137 1234 5678'],
    ['a neighbour\'s name after a cue', '邻居张大山家门口路面塌陷', '张大山'],
    ['an ID number', '身份证120101199001011234，路面塌陷', '120101199001011234'],
    ['a car\'s plate', '津A12345停在塌陷处', '津A12345'],
    ['a house number', '和平区南京路3号楼门口塌陷', '3号楼'],
    ['Mr Wang, as the citizen calls himself', '王先生反映路面塌陷', '王先生'],
  ])('never gives %s back in the description', (_what, description, hidden) => {
    const r = orderToRequest(kept({ lat: '39.1205', long: '117.2031', description }), table);
    expect(narrow(r.description)).not.toContain(narrow(hidden));
    expect(r.description).toContain('塌陷');
  });

  it('gives coordinates to three decimals (about 100 m), in the fields and in an address made of them', () => {
    const r = orderToRequest(kept({ lat: '39.120571', long: '117.203149', description: '路面塌陷' }), table);
    expect([r.lat, r.long]).toEqual([39.121, 117.203]);
    expect(r.address).toBe('和平区 39.121,117.203');
    expect(r.address).not.toMatch(/\d+\.\d{4,}/);
  });

  it('gives the address the app sent without its house numbers or the citizen in it', () => {
    const r = orderToRequest(kept({ address_string: '和平区南京路88号王小明家楼下', description: '路面塌陷' }), table);
    expect(r.address).not.toMatch(/88|王小明/);
    expect(r.address).toContain('和平区南京路');
  });

  it('coarsens by rounding, not cutting', () => {
    expect([coarse(39.1205001), coarse(117.2034999), coarse(-33.8688), coarse(151.20929)]).toEqual([39.121, 117.203, -33.869, 151.209]);
  });

  it('says a closed order is closed, in the citizen\'s words', () => {
    expect(orderToRequest(kept({ lat: '39.1205', long: '117.2031' }, 'closed'), table)).toMatchObject({ status: 'closed', status_notes: '已办结' });
  });
});

describe('a request\'s own fields', () => {
  it('are kept as they came: service code, coordinates, address id, zipcode, photo', () => {
    const { fields } = requestToOrder({ service_code: 'pothole', phone: '13712345678', lat: '39.120571', long: '117.203149', address_id: 'TJ-HP-0042', zipcode: '300041', media_url: 'https://img.example.invalid/1.jpg' }, table);
    expect(fields).toEqual({ serviceCode: 'pothole', lat: 39.120571, long: 117.203149, addressId: 'TJ-HP-0042', zipcode: '300041', mediaUrl: 'https://img.example.invalid/1.jpg' });
  });

  it('are read from the fields, not from the text: an order whose text was edited keeps its coordinates, and its photo stays out of the text', () => {
    const o = kept({ lat: '39.1205', long: '117.2031', description: '路面塌陷', media_url: 'https://img.example.invalid/2.jpg', zipcode: '300041' });
    const r = orderToRequest({ ...o, description: '路面塌陷（受理员补充：积水较深）' }, table);
    expect(r).toMatchObject({ lat: 39.121, long: 117.203, media_url: null, zipcode: '300041', address_id: null, description: '路面塌陷（受理员补充：积水较深）' });
  });

  it('fall back to the category for a request taken before they were kept', () => {
    const r = orderToRequest({ ...kept({ lat: '39.1205', long: '117.2031' }), fields: null }, table);
    expect(r).toMatchObject({ service_code: 'pothole', lat: null, long: null, media_url: null });
  });

  it('refuses a zipcode that is not one', () => {
    expect(() => requestToOrder({ service_code: 'pothole', phone: '13712345678', lat: '39.12', long: '117.2', zipcode: '<script>' }, table)).toThrow(/zipcode/);
  });
});

describe('a GET requests query', () => {
  const now = new Date('2026-12-06T04:00:00Z');
  const q = (query: Record<string, string>) => parseOpen311Query(query, table, now);
  const refused = (query: Record<string, string>) => {
    try {
      q(query);
    } catch (err) {
      return [(err as Open311Error).status, (err as Error).message] as const;
    }
    return null;
  };

  it('asks the last 90 days, at most 1000 requests, open and closed, every service, when it says nothing', () => {
    expect(q({})).toEqual({ since: new Date('2026-09-07T04:00:00Z'), until: now, states: undefined, categories: undefined, limit: OPEN311_MAX });
  });

  it('reads dates, comma-separated states and service codes', () => {
    expect(q({ start_date: '2026-11-01T00:00:00+08:00', end_date: '2026-12-01', status: 'open,closed', service_code: 'pothole' })).toEqual({
      since: new Date('2026-10-31T16:00:00Z'),
      until: new Date('2026-12-01T00:00:00Z'),
      states: ['open', 'closed'],
      categories: ['road-damage'],
      limit: OPEN311_MAX,
    });
  });

  it('takes ids over every other filter', () => {
    expect(q({ service_request_id: 'GD20261201000001,GD20261201000002', status: 'closed' })).toMatchObject({ ids: ['GD20261201000001', 'GD20261201000002'], limit: 2 });
  });

  it.each([
    [{ start_date: 'last week' }, 400, /start_date must be a W3C date/],
    [{ start_date: '2026-12-02', end_date: '2026-12-01' }, 400, /after end_date/],
    [{ start_date: '2025-01-01', end_date: '2026-12-01' }, 400, /at most 366 days/],
    [{ status: 'pending' }, 400, /open, closed/],
    [{ service_code: 'pothole,street-light' }, 404, /street-light is not offered/],
    [{ service_request_id: '1,2' }, 400, /service_request_id/],
    [{ jurisdiction_id: 'beijing.12345.gov.cn' }, 404, /jurisdiction_id beijing/],
  ])('refuses %j', (query, status, message) => {
    const r = refused(query as Record<string, string>);
    expect(r?.[0]).toBe(status);
    expect(r?.[1]).toMatch(message);
  });
});
