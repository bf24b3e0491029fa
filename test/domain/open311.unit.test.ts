/**
 * What an application reads back of its Open311 request (domain/open311.ts orderToRequest): the
 * status in the citizen's words and the request's own text, with no citizen data in it whatever
 * the citizen typed, and coordinates only to the street. Who may read which request (only the
 * submitting application's key): test/gateway/open311.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { narrow } from '../../domain/disclosure.js';
import { coarse, orderToRequest, requestToOrder, type Open311Table, type OrderForOpen311 } from '../../domain/open311.js';

const table: Open311Table = {
  jurisdiction_id: 'tianjin.12345.gov.cn',
  services: [{ service_code: 'pothole', service_name: '道路坑洼', description: '', group: '城乡建设', keywords: [], category: 'road-damage', type: 'report' }],
  districts: [{ district: 'heping', names: ['和平区'], bbox: [117.15, 39.08, 117.25, 39.15] }],
};

/** A request as an app posts it, through the intake mapping, as the order the hub keeps. */
function kept(fields: Record<string, string>, status = 'dispatched'): OrderForOpen311 {
  const { order } = requestToOrder({ service_code: 'pothole', phone: '13712345678', last_name: '王', first_name: '小明', ...fields }, table);
  const at = new Date('2026-12-01T02:00:00Z');
  return { orderNo: 'GD20261201000001', status, category: order.category, description: order.description, address: order.address, unitName: '市城市管理委员会', createdAt: at, updatedAt: at, dueAt: null, citizen: { name: order.citizen.name, phone: order.citizen.phone } };
}

describe('an Open311 request as its application reads it back', () => {
  it('keeps the report itself: service, status in words, the agency, the photo', () => {
    const r = orderToRequest(kept({ lat: '39.1205', long: '117.2031', description: '南京路与滨江道交口路面塌陷，有积水', media_url: 'https://img.example.invalid/8812.jpg' }), table);
    expect(r).toMatchObject({ service_code: 'pothole', status: 'open', status_notes: '已派发承办单位', agency_responsible: '市城市管理委员会', description: '南京路与滨江道交口路面塌陷，有积水', media_url: 'https://img.example.invalid/8812.jpg' });
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
