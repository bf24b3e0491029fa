/** 附件: what a file is by its bytes, which uploads are taken, how a name is kept, and who sees which. */
import { describe, expect, it } from 'vitest';
import { attachmentVisible, checkUpload, safeName, sniffType } from '../../domain/attachments.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1');
const policy = { maxBytes: 1024, types: ['image/jpeg', 'image/png', 'application/pdf'], maxPerOrder: 3 };

describe('附件', () => {
  it('knows a file by its first bytes, whatever it is called', () => {
    expect([sniffType(PNG), sniffType(JPEG), sniffType(PDF), sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))]).toEqual(['image/png', 'image/jpeg', 'application/pdf', null]);
  });

  it('takes a file within the limits whose declared type agrees (or is not said)', () => {
    expect(checkUpload(policy, PNG, 'image/png', 0)).toEqual({ type: 'image/png' });
    expect(checkUpload(policy, PDF, 'application/octet-stream', 2)).toEqual({ type: 'application/pdf' });
    expect(checkUpload(policy, JPEG, undefined, 0)).toEqual({ type: 'image/jpeg' });
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 'image/png', 0, 'EMPTY_FILE'],
    ['a file past the size', Buffer.concat([PNG, Buffer.alloc(2000)]), 'image/png', 0, 'FILE_TOO_LARGE'],
    ['a fourth file on the order', PNG, 'image/png', 3, 'TOO_MANY_FILES'],
    ['a script called a picture', Buffer.from('<script>alert(1)</script>'), 'image/png', 0, 'FILE_TYPE_REFUSED'],
    ['a PDF said to be a PNG', PDF, 'image/png', 0, 'FILE_TYPE_MISMATCH'],
    ['a PDF where the centre takes pictures only', PDF, 'application/pdf', 0, 'FILE_TYPE_REFUSED'],
  ])('refuses %s, saying why', (_what, bytes, declared, onOrder, code) => {
    const p = code === 'FILE_TYPE_REFUSED' && declared === 'application/pdf' ? { ...policy, types: ['image/jpeg', 'image/png'] } : policy;
    expect(checkUpload(p, bytes, declared, onOrder)).toMatchObject({ refused: code, reason: expect.any(String) as string });
  });

  it('keeps a name without folders or characters a file system or a header would trip on, and names a nameless one', () => {
    expect(safeName('C:\\fakepath\\现场照片.jpg', 'image/jpeg')).toBe('现场照片.jpg');
    expect(safeName('../../etc/"passwd"\r\n', 'application/pdf')).toBe('passwd');
    expect(safeName('', 'image/png')).toBe('附件.png');
    expect(safeName('x'.repeat(300), 'image/png')).toHaveLength(100);
  });

  it('shows the centre every file; a unit its own and the intake ones, never those of a confidential request nor another unit\'s', () => {
    const intake = { kind: 'intake' as const, unitCode: null };
    const water = { kind: 'reply' as const, unitCode: 'water-group' };
    const open = { citizenConfidential: false };
    expect(attachmentVisible({ centre: true }, water, { citizenConfidential: true })).toBe(true);
    expect(attachmentVisible({ centre: false, unit: 'water-group' }, intake, open)).toBe(true);
    expect(attachmentVisible({ centre: false, unit: 'water-group' }, intake, { citizenConfidential: true })).toBe(false);
    expect(attachmentVisible({ centre: false, unit: 'water-group' }, water, open)).toBe(true);
    expect(attachmentVisible({ centre: false, unit: 'gas-group' }, water, open)).toBe(false);
    expect(attachmentVisible({ centre: false }, intake, open)).toBe(false);
  });
});
