/**
 * 重大事项 and 领导批示 (domain/instructions.ts): the city's list read and checked, a request naming a
 * major matter found by keyword or category (the first kind that matches), nothing found in an
 * ordinary one; the early warning and the instruction's mails name the matter, not the caller.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { earlyWarningMail, instructionMail, loadMajorIncidents, majorIncidentOf } from '../../domain/instructions.js';

const categories = [{ code: 'food' }, { code: 'noise' }];
const shipped = loadMajorIncidents(path.resolve(import.meta.dirname, '../../config/major-incidents.json'), [{ code: 'x' }]);

describe('major matters at intake', () => {
  it('finds a major matter by its words in the title or the description, the first kind that matches', () => {
    expect(majorIncidentOf(shipped, { title: '学校食堂', description: '多名学生集体腹泻，已送医', category: 'x' })).toEqual({ code: 'food-safety', name: '食品安全', matched: '集体腹泻' });
    expect(majorIncidentOf(shipped, { title: '河道水体发黑', description: '', category: 'x' })).toMatchObject({ code: 'pollution' });
    expect(majorIncidentOf(shipped, { title: '楼上噪声', description: '晚上装修声音太大', category: 'x' })).toBeNull();
  });

  it('finds one by category when the city lists categories, and refuses a list naming an unknown one or malformed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'major-'));
    try {
      const file = path.join(dir, 'm.json');
      fs.writeFileSync(file, JSON.stringify({ kinds: [{ code: 'food-safety', name: '食品安全', categories: ['food'] }] }));
      expect(majorIncidentOf(loadMajorIncidents(file, categories), { title: '饭菜变质', description: '', category: 'food' })).toMatchObject({ code: 'food-safety', matched: '类别 food' });
      fs.writeFileSync(file, JSON.stringify({ kinds: [{ code: 'x', name: 'x', categories: ['nope'] }] }));
      expect(() => loadMajorIncidents(file, categories)).toThrow(/not in the catalog: x: category "nope"/);
      fs.writeFileSync(file, JSON.stringify({ kinds: [] }));
      expect(() => loadMajorIncidents(file, categories)).toThrow(/kinds/);
      expect(() => loadMajorIncidents(path.join(dir, 'missing.json'), categories)).toThrow(/MAJOR_INCIDENTS_FILE .* cannot be read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the warning and the instruction\'s mails in Beijing time, naming the matter and the order', () => {
    const w = earlyWarningMail({ orderNo: 'GD20261207000001', kind: '食品安全', matched: '集体腹泻', title: '学校食堂', districtName: '和平区', at: new Date('2026-12-07T02:00:00Z') });
    expect(w.subject).toBe('【重大事项预警】食品安全：工单 GD20261207000001');
    expect(w.text).toContain('2026-12-07 10:00（北京时间）受理的工单 GD20261207000001（和平区）涉及食品安全（“集体腹泻”）');
    const i = instructionMail({ orderNo: 'GD20261207000001', unitName: '市燃气集团', leader: '王副市长', text: '抓紧解决', reportBy: new Date('2026-12-08T10:00:00Z'), title: '燃气泄漏' });
    expect(i.text).toContain('王副市长对工单 GD20261207000001（燃气泄漏）批示：“抓紧解决”');
    expect(i.text).toContain('请于 2026-12-08 18:00（北京时间） 前报告办理情况');
  });
});
