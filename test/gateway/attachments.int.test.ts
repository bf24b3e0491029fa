/**
 * 附件 on the real stack (Zeebe, Kafka, MySQL): a call-taker adds the citizen's photo to an order,
 * the unit reads it and answers with a document of its own, signed off by its leader; the bytes
 * come back as sent; who sees which holds (another unit, a confidential request, the public page of
 * the published order); and what is refused is refused with the reason, keeping nothing. A unit
 * does it in Chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';
import { shot, signIn, useBrowser } from '../support/browser.js';

const fx = useKeysAndMail();
const h = useEngineHub('zeebe', { mail: () => fx.mail, env: { ATTACHMENT_MAX_BYTES: String(64 * 1024), ATTACHMENTS_PER_ORDER: '4' } });
const chromium = useBrowser();

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
interface File {
  id: string;
  kind: string;
  name: string;
  size: number;
  sha256: string;
  replyId: string | null;
  signedOffBy: string | null;
}

const upload = (orderNo: string, body: Buffer, type: string, token: string, name = '现场照片.png') =>
  fetch(`${h.base}/orders/${orderNo}/attachments?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
const list = async (orderNo: string, token: string) => ((await (await h.get(`/orders/${orderNo}/attachments`, token)).json()) as { attachments: File[] }).attachments;
const status = async (orderNo: string) => ((await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { status: string }).status;

async function dispatched(confidential = false): Promise<string> {
  const res = await h.post('/orders', { channel: 'phone', type: 'help', category: 'water-outage', title: '水管爆裂', description: '小区门口水管爆裂，路面积水', district: 'hexi', address: '河西区附件路1号', citizen: { name: '附件测试', phone: '13600136100', confidential }, ...(confidential ? { unitSummary: '河西区某小区水管爆裂' } : {}) }, fx.keys.role['call-taker']);
  expect(res.status).toBe(201);
  const { orderNo } = (await res.json()) as { orderNo: string };
  await h.until(() => status(orderNo), 'dispatched');
  return orderNo;
}

describe('附件', () => {
  it('takes the citizen\'s photo at intake and the unit\'s signed-off document with its answer; each is read back as sent by whom it is for, and never published', async () => {
    const orderNo = await dispatched();
    const added = await upload(orderNo, PNG, 'image/png', fx.keys.role['call-taker']);
    expect(added.status).toBe(201);
    const photo = (await added.json()) as File;
    expect(photo).toMatchObject({ kind: 'intake', name: '现场照片.png', size: PNG.length });

    // The unit reads it, byte for byte; another unit does not find the order.
    const unit = fx.keys.unit['water-group']!;
    expect((await list(orderNo, unit)).map((f) => f.id)).toEqual([photo.id]);
    const got = await h.get(`/orders/${orderNo}/attachments/${photo.id}`, unit);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toContain("filename*=UTF-8''%E7%8E%B0%E5%9C%BA");
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await h.get(`/orders/${orderNo}/attachments/${photo.id}`, fx.keys.unit['gas-group']!)).status).toBe(404);

    // Refused, and nothing kept: a script called a picture, a PDF said to be a PNG, too large, empty.
    expect(await h.codeOf(await upload(orderNo, Buffer.from('<script>alert(1)</script>'), 'image/png', unit))).toBe('422 FILE_TYPE_REFUSED');
    expect(await h.codeOf(await upload(orderNo, PDF, 'image/png', unit))).toBe('422 FILE_TYPE_MISMATCH');
    expect(await h.codeOf(await upload(orderNo, Buffer.concat([PNG, Buffer.alloc(70 * 1024)]), 'image/png', unit))).toBe('413 FILE_TOO_LARGE');
    expect(await h.codeOf(await upload(orderNo, Buffer.alloc(0), 'image/png', unit))).toBe('422 EMPTY_FILE');
    expect(await list(orderNo, fx.keys.role.supervisor)).toHaveLength(1);

    // The unit's document goes with its answer, signed off by its leader.
    const doc = (await (await upload(orderNo, PDF, 'application/pdf', unit, '维修记录.pdf')).json()) as File;
    expect(await h.codeOf(await h.post(`/orders/${orderNo}/reply`, { result: '已更换爆裂管段，恢复供水', handledBy: '供水所', attachments: [doc.id] }, unit)), 'signed off by the unit\'s leader').toBe('400 VALIDATION_FAILED');
    expect(await h.codeOf(await h.post(`/orders/${orderNo}/reply`, { result: '已更换爆裂管段，恢复供水', handledBy: '供水所', attachments: [photo.id], signedOffBy: '王科长' }, unit)), 'the citizen\'s photo is not the unit\'s to send').toBe('422 ATTACHMENT_NOT_FOUND');
    expect((await h.post(`/orders/${orderNo}/reply`, { result: '已更换爆裂管段，恢复供水', handledBy: '供水所', attachments: [doc.id], signedOffBy: '王科长' }, unit)).status).toBe(202);
    expect((await list(orderNo, fx.keys.role.supervisor)).find((f) => f.id === doc.id)).toMatchObject({ kind: 'reply', name: '维修记录.pdf', signedOffBy: '王科长', replyId: expect.any(String) as string });
    await h.until(() => status(orderNo), 'awaiting_callback');
    // Answered: the unit adds nothing more.
    expect(await h.codeOf(await upload(orderNo, PNG, 'image/png', unit))).toBe('409 NOT_OPEN_FOR_FILES');

    // Closed and published: the public reads the texts, never a file.
    expect((await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
    await h.until(() => status(orderNo), 'closed');
    expect((await h.post(`/orders/${orderNo}/publish`, { summary: '市民反映小区门口水管爆裂，已修复' }, fx.keys.role.supervisor)).status).toBe(200);
    const published = await (await fetch(`${h.hub.url}/public/v1/orders/${orderNo}`)).text();
    expect(published).toContain('已修复');
    expect(published).not.toMatch(/attachments|现场照片|维修记录/);
  });

  it('shows a unit no intake file of a confidential request (a photo may show who called), and keeps the limit of files on one order', async () => {
    const orderNo = await dispatched(true);
    expect((await upload(orderNo, PNG, 'image/png', fx.keys.role.supervisor)).status).toBe(201);
    expect(await list(orderNo, fx.keys.unit['water-group']!)).toEqual([]);
    for (let i = 0; i < 3; i++) expect((await upload(orderNo, PNG, 'image/png', fx.keys.role.dispatcher)).status).toBe(201);
    expect(await h.codeOf(await upload(orderNo, PNG, 'image/png', fx.keys.role.dispatcher))).toBe('422 TOO_MANY_FILES');
  });

  it('lets a unit attach a photo on the order\'s page and answer with it, signed off', async () => {
    const orderNo = await dispatched();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attach-'));
    const file = path.join(dir, '修复后.png');
    fs.writeFileSync(file, PNG);
    try {
      const page = await signIn(chromium.browser, h.hub.url!, fx.keys.unit['water-group']!);
      await page.goto(`${h.hub.url}/console/#/orders/${orderNo}`);
      await page.waitForSelector('#attachment-file');
      await page.setInputFiles('#attachment-file', file);
      await page.waitForSelector('#attachments li:has-text("修复后.png")');
      await page.fill('#reply-result', '已修复爆裂水管，照片见附件');
      await page.fill('#reply-handledBy', '供水所');
      await page.fill('#reply-signedOffBy', '王科长');
      await shot(page, 'attachments');
      await page.click('#reply button[type="submit"]');
      await page.waitForSelector('#reply-outcome:has-text("附件 1 个已报送")');
      expect((await list(orderNo, fx.keys.role.supervisor))[0]).toMatchObject({ name: '修复后.png', signedOffBy: '王科长' });
      expect(page.errors).toEqual([]);
      await page.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
