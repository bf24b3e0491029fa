/**
 * 领导批示 and 重大事项 (DOMAIN.md §4): a leader's instruction on an order — its text, who gave it,
 * by when the unit must report back — recorded in the order's history, shown to the unit, chased
 * once its time passes without a report; and a major or public-safety matter found at intake by
 * the city's list (config/major-incidents.json), escalated at once to the duty leader with an
 * early-warning notice. Pure: the list checked, the texts written.
 */
import { z } from 'zod';
import { readJsonFile } from './json-file.js';
import { chinaTime } from './text.js';

const code = z.string().regex(/^[a-z0-9-]+$/);
export const majorIncidentsSchema = z.strictObject({
  $comment: z.string().optional(),
  kinds: z.array(z.strictObject({ code, name: z.string().min(1), keywords: z.array(z.string().min(2)).default([]), categories: z.array(code).default([]) })).min(1),
});
export type MajorIncidents = z.output<typeof majorIncidentsSchema>;

export function loadMajorIncidents(file: string, categories: ReadonlyArray<{ code: string }>): MajorIncidents {
  const list = readJsonFile(file, 'MAJOR_INCIDENTS_FILE', majorIncidentsSchema);
  const unknown = list.kinds.flatMap((k) => k.categories.filter((c) => !categories.some((x) => x.code === c)).map((c) => `${k.code}: category "${c}"`));
  if (unknown.length > 0) throw new Error(`MAJOR_INCIDENTS_FILE ${file}: not in the catalog: ${unknown.join(', ')}`);
  return list;
}

/** The major matter a request names, and the words that named it, or null: the first kind of the list that matches. */
export function majorIncidentOf(list: MajorIncidents, r: { title: string; description: string; category: string }): { code: string; name: string; matched: string } | null {
  const text = `${r.title}\n${r.description}`;
  for (const k of list.kinds) {
    if (k.categories.includes(r.category)) return { code: k.code, name: k.name, matched: `类别 ${r.category}` };
    const word = k.keywords.find((w) => text.includes(w));
    if (word) return { code: k.code, name: k.name, matched: word };
  }
  return null;
}

/** 预警通知: to the duty leader on duty, at intake. The matter, the place, the words that flagged it; not the caller. */
export function earlyWarningMail(p: { orderNo: string; kind: string; matched: string; title: string; districtName: string; at: Date }): { subject: string; text: string } {
  return {
    subject: `【重大事项预警】${p.kind}：工单 ${p.orderNo}`,
    text: [`值班领导：`, '', `${chinaTime(p.at)}受理的工单 ${p.orderNo}（${p.districtName}）涉及${p.kind}（“${p.matched}”）：${p.title}。`, '请立即研判，必要时启动应急预案并报总值班室。', '', '12345政务服务便民热线'].join('\n'),
  };
}

/** 领导批示: to the unit that must report back (its copy: no citizen's identity). */
export function instructionMail(p: { orderNo: string; unitName: string; leader: string; text: string; reportBy: Date; title: string }): { subject: string; text: string } {
  return {
    subject: `【领导批示】工单 ${p.orderNo}`,
    text: [`${p.unitName}：`, '', `${p.leader}对工单 ${p.orderNo}（${p.title}）批示：“${p.text}”`, `请于 ${chinaTime(p.reportBy)} 前报告办理情况（在平台工单页面“批示办理情况”中填报）。`, '', '12345政务服务便民热线'].join('\n'),
  };
}
