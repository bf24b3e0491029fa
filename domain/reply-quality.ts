/**
 * 答非所问: before the citizen is called back, whether the unit's answer addresses the request —
 * offline, from the texts alone: its length, how many of the request's terms it names (the terms
 * come from word segmentation, handed in), and whether it leans on a template phrase (已转相关部门,
 * 高度重视, 将尽快处理…) without a concrete action. A low score sends the answer to a supervisor's
 * review with the reasons. The phrases and limits are the centre's (config/reply-quality.json).
 */
import { z } from 'zod';
import { readJsonFile } from './json-file.js';

export const replyQualitySchema = z.strictObject({
  $comment: z.string().optional(),
  minLength: z.number().int().min(0).max(200),
  minOverlap: z.number().min(0).max(1),
  threshold: z.number().min(0).max(1),
  templates: z.array(z.string().min(2)),
  actions: z.array(z.string().min(2)),
});
export type ReplyQualityPolicy = z.output<typeof replyQualitySchema>;

export const loadReplyQuality = (file: string): ReplyQualityPolicy => readJsonFile(file, 'REPLY_QUALITY_FILE', replyQualitySchema);

export interface ReplyVerdict {
  /** 0–1: 1 an answer that names the matter and what was done. */
  score: number;
  low: boolean;
  /** Why it is low, in the centre's words (答复过短, 答非所问, 套话). */
  reasons: string[];
  /** The share of the request's terms (at most 8) the answer names. */
  overlap: number;
}

/** The verdict on an answer to a request; `terms` segments a text into its terms (infra/text/terms.ts). */
export function judgeReply(request: string, answer: string, p: ReplyQualityPolicy, terms: (text: string) => Set<string>): ReplyVerdict {
  const reasons: string[] = [];
  let score = 1;
  const text = answer.trim();
  if ([...text].length < p.minLength) {
    score -= 0.6;
    reasons.push(`答复过短（${[...text].length}字）`);
  }
  const asked = [...terms(request)];
  const named = terms(text);
  const overlap = asked.length === 0 ? 1 : asked.filter((t) => named.has(t) || [...named].some((n) => n.includes(t) || t.includes(n))).length / Math.min(asked.length, 8);
  if (overlap < p.minOverlap) {
    score -= 0.6;
    reasons.push('答非所问：答复未涉及诉求内容');
  }
  const template = p.templates.find((t) => text.includes(t));
  const acted = p.actions.some((a) => text.includes(a)) || /\d/.test(text);
  if (template && !acted) {
    score -= 0.4;
    reasons.push(`套话：“${template}”，未说明办理措施`);
  }
  score = Math.max(0, Math.round(score * 100) / 100);
  return { score, low: score < p.threshold, reasons, overlap: Math.round(Math.min(1, overlap) * 100) / 100 };
}
