/** Request bodies of the HTTP API, validated at runtime and turned into the OpenAPI document. */
import { z } from 'zod';
import { ROLES } from '../domain/access.js';
import { ORDER_STATUSES } from '../domain/order.js';
import { STAT_DIMENSIONS } from '../domain/statistics.js';
import { REPORT_PERIODS } from '../domain/assessment.js';

export const ORDER_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export const CHANNELS = ['phone', 'web', 'wechat', 'app', 'email', 'sms'] as const;

export const createOrderBody = z
  .strictObject({
  channel: z.enum(CHANNELS),
  type: z.enum(ORDER_TYPES),
  category: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(4000),
  district: z.string().min(1).max(64),
  address: z.string().trim().min(1).max(300),
  urgent: z.boolean().default(false),
  citizen: z.strictObject({
    name: z.string().trim().min(1).max(100),
    phone: z.string().regex(/^\+?[0-9-]{5,20}$/, 'digits, optionally with + and -'),
    confidential: z.boolean().default(false),
  }),
  /** 保密件: what the unit is told instead of the description and the exact address. */
  unitSummary: z.string().trim().min(1).max(2000).optional(),
  /** 回避: the unit the request complains about (a catalog code); it never receives or sees the order. */
  complainedUnit: z.string().regex(/^[a-z0-9-]+$/).max(64).optional(),
  /** 当即答复: the knowledge-base entry the call-taker answered from; the order closes citing it. */
  knowledgeEntryId: z.string().regex(/^\d{1,18}$/).optional(),
  /** Where it is on the map, when known (重复件 across callers within a radius). */
  location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
  /**
   * 紧急联动: an emergency for 110 (police), 119 (fire), 120 (medical) or 122 (traffic), handed
   * over at once (bpmn/emergency-transfer.dmn decides where). When it is unclear whose it is, the
   * three-way call decides: the partner takes it, or the hotline keeps it (首接负责).
   */
  emergency: z
    .strictObject({ kind: z.enum(['police', 'fire', 'medical', 'traffic', 'unclear']), threeWayCall: z.enum(['partner-takes', 'hotline-keeps']).optional() })
    .refine((e) => e.kind !== 'unclear' || e.threeWayCall !== undefined, { path: ['threeWayCall'], message: 'when it is unclear whose the matter is, record the three-way call\'s outcome: partner-takes or hotline-keeps' })
    .optional(),
})
  .refine((o) => !o.citizen.confidential || o.unitSummary !== undefined, {
    path: ['unitSummary'],
    message: 'a confidential request needs unitSummary: what the unit may be told (the description and exact address stay at the centre)',
  });

/** 重复件 before saving: the request's caller, matter and place, as the intake form has them. */
/** A point on the map (WGS-84), when the caller's app gave one. */
const location = z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });

export const repeatCheckBody = z.strictObject({
  phone: z.string().regex(/^\+?[0-9-]{5,20}$/, 'digits, optionally with + and -'),
  category: z.string().min(1).max(64),
  district: z.string().min(1).max(64),
  address: z.string().trim().min(1).max(300),
  location: location.optional(),
  /** The request's type: another caller's call is merged only for the types REPEATS_FILE lists. */
  type: z.enum(ORDER_TYPES).optional(),
});

export const unitReplyBody = z
  .strictObject({
    result: z.string().trim().min(1).max(4000),
    handledBy: z.string().trim().min(1).max(100),
    /** 附件: the unit's own files on the order (uploaded before) that go with this answer. */
    attachments: z.array(z.string().regex(/^\d{1,18}$/)).max(10).optional(),
    /** The unit leader who signed the answer and its files off (签发). */
    signedOffBy: z.string().trim().min(1).max(50).optional(),
  })
  .refine((b) => !b.attachments?.length || !!b.signedOffBy, { path: ['signedOffBy'], message: 'an answer with files is signed off by the unit\'s leader: name them (signedOffBy)' });

/** 退单: why the order is not this unit's. */
export const returnBody = z.strictObject({
  reason: z.string().trim().min(2).max(1000),
});

/** 延期: the new deadline the unit asks for (ISO 8601 with an offset) and why. */
export const extensionBody = z.strictObject({
  dueAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  reason: z.string().trim().min(2).max(1000),
});

/** 紧急件 进展: how it goes, and when known the time the unit needs to finish. */
export const progressBody = z.strictObject({
  note: z.string().trim().min(2).max(2000),
  expectedAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
});

/** 下派: the district's street (a level-3 unit whose parent is the district), an optional earlier date, and what the district asks of it. */
export const subDispatchBody = z.strictObject({
  unit: z.string().regex(/^[a-z0-9-]+$/).max(64),
  dueAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  instructions: z.string().trim().max(2000).default(''),
});

const dispatchModes = z.enum(['phone-dispatch', 'written-dispatch', 'urgent']);
const unitCode = z.string().regex(/^[a-z0-9-]+$/).max(64);
const why = z.string().trim().min(1).max(1000);

/** A human task's decision, by the task's kind. */
export const completeTaskBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('extension-approval'), approved: z.boolean(), reason: z.string().trim().max(1000).default('') }),
  z.strictObject({ kind: z.literal('coordination'), outcome: z.string().trim().min(2).max(4000) }),
  z.discriminatedUnion('approved', [
    z.strictObject({ kind: z.literal('reply-review'), approved: z.literal(true), reason: z.string().trim().max(1000).default('') }),
    // A rejected answer goes back to the unit: say what is missing.
    z.strictObject({ kind: z.literal('reply-review'), approved: z.literal(false), reason: why }),
  ]),
  z.discriminatedUnion('approved', [
    // Approved, the street's answer goes up as the district's reply; the district may restate it (result).
    z.strictObject({ kind: z.literal('street-review'), approved: z.literal(true), result: z.string().trim().min(1).max(4000).optional(), reason: z.string().trim().max(1000).default('') }),
    z.strictObject({ kind: z.literal('street-review'), approved: z.literal(false), reason: why }),
  ]),
  z.discriminatedUnion('action', [
    z.strictObject({ kind: z.literal('redispatch'), action: z.literal('unit'), unit: unitCode, mode: dispatchModes.optional(), reason: why }),
    z.strictObject({ kind: z.literal('redispatch'), action: z.literal('rules'), reason: z.string().trim().max(1000).default('') }),
    z.strictObject({ kind: z.literal('redispatch'), action: z.literal('dispute'), reason: why }),
  ]),
  z.discriminatedUnion('decision', [
    z.strictObject({ kind: z.literal('return-review'), decision: z.literal('overrule'), reason: why }),
    z.strictObject({ kind: z.literal('return-review'), decision: z.literal('uphold'), unit: unitCode, mode: dispatchModes.optional(), reason: why }),
    // 疑难件: no unit can be told to take it; the units are convened for a consultation.
    z.strictObject({ kind: z.literal('return-review'), decision: z.literal('consult'), reason: why }),
  ]),
  // 会诊: the lead unit, the deadline in working days, the decision as recorded.
  z.strictObject({ kind: z.literal('consultation'), unit: unitCode, workingDays: z.number().int().min(1).max(60), decision: z.string().trim().min(2).max(4000) }),
  // 批示办理情况: the unit's report on a leader's instruction.
  z.strictObject({ kind: z.literal('instruction-report'), report: z.string().trim().min(2).max(4000) }),
  // 抽查: the three criteria; a check that fails one reopens the order, so it says why.
  z
    .strictObject({ kind: z.literal('spot-check'), relevant: z.boolean(), complete: z.boolean(), courteous: z.boolean(), note: z.string().trim().max(1000).default('') })
    .refine((v) => (v.relevant && v.complete && v.courteous) || v.note.length >= 2, { path: ['note'], message: 'a failed check reopens the order: say what the answer lacks (note, at least 2 characters)' }),
]);

/** 领导批示: who gave it, what it says, by when the unit reports back. */
export const instructionBody = z.strictObject({ leader: z.string().trim().min(1).max(50), text: z.string().trim().min(2).max(2000), reportBy: z.iso.datetime({ offset: true }) });

const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Statistics: grouped by one dimension, over orders accepted from `from` to `to` (a date counts whole, in China time). */
export const statisticsQuery = z.strictObject({
  by: z.enum(STAT_DIMENSIONS).default('unit'),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
});

/** 考核: a week, month, quarter or year (the one holding `of`, a China date; by default the last whole one), by unit or district. */
export const assessmentQuery = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('month'),
  of: z.iso.date().optional(),
  by: z.enum(['unit', 'district']).default('unit'),
});

/** 通报: a draft from the facts; `of`: a day of the month whose ranking it names the last of (default: last month). */
export const circularDraftBody = z.strictObject({ of: z.iso.date().optional() });
/** A supervisor's edit of a draft's text (the units and orders it names stay as drafted). */
export const circularEditBody = z.strictObject({ title: z.string().trim().min(4).max(200), body: z.string().trim().min(20).max(20_000) });
export const circularListQuery = z.strictObject({
  status: z.enum(['draft', 'sent', 'discarded']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.string().regex(/^\d{1,18}$/).optional(),
});
/** 督办单: the time the unit must answer by, and the supervisor's opinion. */
export const supervisionNoticeBody = z.strictObject({ replyBy: z.iso.datetime({ offset: true }), opinion: z.string().trim().min(2).max(1000) });

/** 值班表: a shift, its leader and how to reach them. */
export const shiftBody = z.strictObject({
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  leaderName: z.string().trim().min(1).max(50),
  leaderEmail: z.email().max(200),
  leaderPhone: z.string().trim().regex(/^[\d\-+ ]{3,30}$/).optional(),
});
export const rotaQuery = z.strictObject({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() });

/** 市民自助查询 and 一事一评: the order's number and the phone given at intake. */
const ownPhone = z.string().trim().min(5).max(20);
/** 市民自助查询: an order's number and the phone given, or (by SMS) a mobile and the one-time code sent to it. */
export const lookupBody = z.union([z.strictObject({ orderNo: z.string().trim().regex(/^GD\d{14}$/), phone: ownPhone }), z.strictObject({ phone: ownPhone, code: z.string().trim().regex(/^\d{6}$/, 'the six digits of the code') })]);
export const codeBody = z.strictObject({ phone: z.string().trim().regex(/^(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}$/, 'a mobile number: the code goes to it by SMS') });
const rating = { rating: z.coerce.number().int().min(1).max(5), comment: z.string().trim().max(500).optional() };
/** 一事一评: by the order's number and phone, or by the token of the closing SMS's link. */
export const evaluationBody = z.union([z.strictObject({ orderNo: z.string().trim().regex(/^GD\d{14}$/), phone: ownPhone, ...rating }), z.strictObject({ token: z.string().trim().regex(/^[0-9A-Za-z]{8}$/), ...rating })]);

/** A role's task queue, oldest first; `after` is the last id of the previous page. */
export const taskQuery = z.strictObject({
  status: z.enum(['open', 'done']).default('open'),
  kind: z.enum(['redispatch', 'return-review', 'extension-approval', 'reply-review', 'coordination', 'street-review', 'consultation', 'instruction-report', 'spot-check']).optional(),
  orderNo: z.string().regex(/^GD\d{14}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().regex(/^\d{1,18}$/).optional(),
});

export const assignBody = z.strictObject({
  unit: z.string().regex(/^[a-z0-9-]+$/).max(64),
  mode: z.enum(['phone-dispatch', 'written-dispatch', 'urgent']),
  reason: z.string().trim().min(1).max(500),
});

export const callbackBody = z.strictObject({
  satisfaction: z.enum(['satisfied', 'basically-satisfied', 'unsatisfied']),
  /** 问题是否解决: asked apart from the satisfaction (the resolution rate, 解决率); absent when not asked. */
  resolved: z.boolean().nullable().default(null),
  note: z.string().max(1000).default(''),
});

/** 政务公开: the summary the centre writes for the public, and the unit's answer as published (default: its last reply), both anonymised by the hub. */
export const publishBody = z.strictObject({
  summary: z.string().trim().min(4).max(2000),
  answer: z.string().trim().min(1).max(4000).optional(),
});

export const publicListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.string().regex(/^\d{1,18}$/).optional(),
});

/** 知识库: a new entry (process owners keep the knowledge base). */
export const knowledgeBody = z.strictObject({
  title: z.string().trim().min(2).max(200),
  body: z.string().trim().min(2).max(20_000),
  category: z.string().regex(/^[a-z0-9-]+$/).max(64).optional(),
  source: z.string().trim().max(300).optional(),
});

export const knowledgeQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  category: z.string().regex(/^[a-z0-9-]+$/).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/**
 * 工单查询: every filter given holds; `category` may be a group (its leaves); `from`/`to` are
 * instants (the console sends the centre's midnights). `phone` is the centre's only.
 */
const orderFilters = {
  status: z.enum(ORDER_STATUSES).optional(),
  unit: z.string().regex(/^[a-z0-9-]+$/).max(64).optional(),
  category: z.string().regex(/^[a-z0-9-]+$/).max(64).optional(),
  district: z.string().regex(/^[a-z0-9-]+$/).max(64).optional(),
  phone: z.string().regex(/^\+?[0-9-]{5,20}$/, 'digits, optionally with + and -').optional(),
  address: z.string().trim().min(2).max(100).optional(),
  from: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
};
const fromBeforeTo = (q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from.getTime() < q.to.getTime();
export const orderSearchBody = z
  .strictObject({ ...orderFilters, limit: z.number().int().min(1).max(200).default(50), before: z.string().regex(/^\d{1,18}$/).optional() })
  .refine(fromBeforeTo, { path: ['to'], message: 'to must be after from' });
export const orderExportBody = z.strictObject(orderFilters).refine(fromBeforeTo, { path: ['to'], message: 'to must be after from' });

/** Paging of the lists (orders, audit): newest first, `before` is the smallest id of the last page. */
export const listQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().regex(/^\d{1,18}$/).optional(),
});

export const createKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  unit: z.string().max(64).optional(),
  adapter: z.string().max(64).optional(),
  /** 90d, 12h, 30m or never. */
  expires: z.string().default('90d'),
});

/** A model to deploy, as JSON (XML bodies are taken as they are, with ?note= and ?dryRun=true). */
export const deployModelBody = z.strictObject({
  xml: z.string().min(1).max(2_000_000),
  note: z.string().trim().max(500).optional(),
  dryRun: z.boolean().default(false),
});

/** 撤销: why the order is cancelled, for its history. */
export const cancelBody = z.strictObject({ reason: z.string().trim().min(2, 'say why the order is cancelled').max(500) });
/** 合并: the open order this one is the same matter as, and why the centre says so. */
export const mergeBody = z.strictObject({ into: z.string().trim().regex(/^GD\d{14}$/, 'an order number (GD + 14 digits)'), reason: z.string().trim().min(2, 'say why it is the same matter').max(500) });
/** 拆分: why a merged call is a matter of its own. */
export const splitBody = z.strictObject({ reason: z.string().trim().min(2, 'say why it is a matter of its own').max(500) });

/** A dead letter's replay: as it was, or (one message) an operator's mended copy, JSON. */
export const replayDeadLetterBody = z.strictObject({ value: z.string().min(2).max(1_000_000).optional() });
