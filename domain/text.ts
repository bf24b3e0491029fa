/** User-facing text (zh-CN), kept in one place. */
export const MODE_NAMES: Record<string, string> = {
  'answer-now': '当即答复',
  refer: '引导',
  forward: '转阅',
  coordinate: '协调办理',
  'phone-dispatch': '电话交办',
  'written-dispatch': '书面交办',
  urgent: '紧急件',
};

/** 诉求类型, as the intake form and the order page name them. */
export const TYPE_NAMES = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
} as const;

/** 受理渠道. */
export const CHANNEL_NAMES = {
  phone: '电话',
  web: '网站',
  wechat: '微信',
  app: '移动客户端',
  email: '电子邮件',
  sms: '短信',
} as const;

/** 紧急联动: the line an emergency goes to, and the three-way call's outcome when it was unclear whose it is. */
export const EMERGENCY_NAMES = {
  police: '110 公安',
  fire: '119 消防',
  medical: '120 急救',
  traffic: '122 交警',
  unclear: '归属不明（三方通话确定）',
  'partner-takes': '联动单位接办',
  'hotline-keeps': '热线继续办理（首接负责）',
} as const;

export const SATISFACTION_NAMES: Record<string, string> = {
  satisfied: '满意',
  'basically-satisfied': '基本满意',
  unsatisfied: '不满意',
};

export const STEP_NOTES = {
  accept: '受理',
  acceptTransfer: (partner: string, incidentId: string, why: string) => `受理：${partner}转来（接警编号 ${incidentId}），${why}`,
  merged: (into: string) => `重复来电，已并入工单 ${into}`,
  repeatCall: (from: string) => `诉求人重复来电（${from}），已并入本工单`,
  repeatOtherCaller: (from: string) => `其他市民反映同一事项（${from}），已并入本工单`,
  repeatSupervision: (repeats: number, unitName: string | null) => `同一事项已重复来电${repeats}次，转督办${unitName ? `：${unitName}` : ''}，已报值班领导`,
  repeatLeaders: (repeats: number) => `同一事项已重复来电${repeats}次，层级上报中心领导`,
  mergedByHand: (into: string, reason: string) => `经中心核实为同一事项，合并至工单 ${into}：${reason}`,
  mergedHere: (from: string, reason: string) => `工单 ${from} 经中心核实为同一事项，已合并至本工单：${reason}`,
  split: (from: string, reason: string) => `经中心核实与工单 ${from} 非同一事项，拆分为独立工单办理：${reason}`,
  splitOff: (orderNo: string, reason: string) => `工单 ${orderNo} 已拆分为独立工单：${reason}`,
  classify: (mode: string, unit: string | null) => `分类：${MODE_NAMES[mode] ?? mode}${unit ? `，承办单位 ${unit}` : ''}`,
  answer: '当即答复，办结条件已满足',
  refer: (advice: string) => `引导：${advice}`,
  forward: (unitName: string) => `转${unitName}参阅，无需答复`,
  convene: (unitNames: string[]) => `协调办理：召集${unitNames.join('、')}协调，待督办记录协调结果`,
  coordinated: (outcome: string) => `协调结果：${outcome}`,
  answerCiting: (id: string, title: string) => `当即答复，依据知识库条目 #${id}《${title}》，办结条件已满足`,
  recused: (complained: string, to: string | null) => (to ? `回避：诉求涉及${complained}，改由其主管单位${to}承办` : `回避：诉求涉及${complained}，且无主管单位，待派单员人工派单`),
  assign: (unitName: string, mode: string) => `人工派单：${unitName}，${MODE_NAMES[mode] ?? mode}`,
  dispatch: (unitName: string, due: string, round: number) => `派单至${unitName}，办理时限 ${due}${round > 1 ? `（第${round}次）` : ''}`,
  dueEstimated: (years: number[]) => `（时限按周末推算：${years.join('、')}年节假日安排尚未载入工作日历）`,
  acknowledge: (unitName: string) => `${unitName}签收`,
  unitNote: (unitName: string, note: string) => `${unitName}系统：${note}`,
  handOver: (partnerName: string, attempt: number, item?: string | null) => `紧急移交${partnerName}${item ? `（移交清单：${item}）` : ''}${attempt > 1 ? `（第${attempt}次）` : ''}`,
  handoverLate: (partnerName: string, attempt: number) => `${partnerName}未按时确认第${attempt}次移交，已告警值班领导并再次移交`,
  partnerAck: (partnerName: string, incidentId: string) => `${partnerName}已确认接收（接警编号 ${incidentId}）`,
  transferred: (partnerName: string) => `已移交${partnerName}，12345办理结束`,
  partnerConcluded: (partnerName: string, incidentId: string, result: string) => `${partnerName}反馈处置结果（接警编号 ${incidentId}）：${result}`,
  cancelled: (reason: string) => `已撤销：${reason}`,
  chaseAcknowledge: (unitName: string, by: string) => `催签收：${unitName}未在 ${by} 前签收`,
  remind: (unitName: string, due: string) => `提醒：${unitName}办理将于 ${due} 到期`,
  chase: (unitName: string) => `催办：${unitName}办理已到期`,
  chaseTask: (task: string, role: string, due: string) => `催办：${role}的${task}任务已超过时限（${due}），已报值班领导`,
  supervise: (unitName: string) => `再次催办未果，转督办：${unitName}超期未反馈，已报值班领导`,
  onSite: (unitName: string) => `${unitName}确认已到达现场`,
  onSiteOverdue: (unitName: string, by: string) => `紧急件督办：${unitName}未在 ${by} 前确认到场，已报值班领导`,
  progress: (unitName: string, note: string, expected: string | null) => `${unitName}报告进展：${note}${expected ? `（预计 ${expected} 办结）` : ''}`,
  chaseProgress: (unitName: string) => `催报进展：${unitName}到场后未按时报告办理进展`,
  returned: (unitName: string, reason: string) => `${unitName}退单：${reason}`,
  extensionRequested: (unitName: string, to: string, reason: string) => `${unitName}申请延期至 ${to}：${reason}`,
  extensionDecided: (approved: boolean, to: string) => (approved ? `延期申请已批准，新时限 ${to}` : '延期申请未批准，原时限不变'),
  extended: (due: string) => `办理时限延至 ${due}`,
  redispatch: (unitName: string, reason: string) => `改派至${unitName}：${reason}`,
  redispatchByRules: (reason: string) => `按派单目录重新派单${reason ? `：${reason}` : ''}`,
  disputeReturn: (reason: string) => `退单有争议，提交审核：${reason}`,
  returnToConsultation: (reason: string) => `退单审核：认定为疑难件，提请会诊：${reason}`,
  hardCase: (reason: string, units: string[]) => `疑难件：${reason}；召集${units.join('、')}会诊`,
  consultationDecided: (unitName: string, days: number, decision: string) => `会诊决定：由${unitName}牵头办理，办理时限 ${days} 个工作日：${decision}`,
  returnReviewed: (upheld: boolean, unitName: string, reason: string) => (upheld ? `退单审核：退单成立，改派至${unitName}：${reason}` : `退单审核：退单不成立，仍由${unitName}办理：${reason}`),
  reply: (unitName: string) => `${unitName}反馈办理结果`,
  subDispatch: (from: string, to: string, due: string) => `${from}下派至${to}办理，限${due}前反馈${from}`,
  streetReply: (street: string, district: string) => `${street}反馈办理结果，待${district}审核`,
  streetRejected: (district: string, street: string, reason: string) => `${district}审核未通过，退回${street}重新办理：${reason}`,
  reportedUp: (district: string, street: string) => `${district}审核${street}的办理结果并反馈`,
  helpers: (lead: string, helpers: string[]) => `主办/协办：${lead}主办，${helpers.join('、')}协办`,
  helperReply: (unitName: string) => `协办单位${unitName}反馈协办意见`,
  helperTimeout: (unitName: string, due: string) => `协办单位${unitName}未在${due}前反馈协办意见，主办单位的答复不再等待`,
  review: '审核通过',
  reviewRequested: '待中心人工审核答复',
  reviewed: (approved: boolean, reason: string) => (approved ? `人工审核通过${reason ? `：${reason}` : ''}` : `人工审核未通过，退回重办：${reason}`),
  superviseRedos: (redos: number) => `已重办${redos}次仍未办结，转督办，已报值班领导`,
  callbackRequested: '待回访',
  callback: (s: string, resolved: boolean | null = null) => `回访结果：${SATISFACTION_NAMES[s] ?? s}${resolved === null ? '' : resolved ? '，问题已解决' : '，问题未解决'}`,
  redo: '诉求人不满意，退回承办单位重办',
  close: '办结',
  spotCheckPassed: (note: string) => `质检合格${note ? `：${note}` : ''}`,
  spotCheckFailed: (failed: string[], unitName: string, note: string) => `质检不合格（${failed.join('、') || '其他'}）：${note}；重新打开，退回${unitName}重办`,
  reopenedRedo: '质检不合格，退回承办单位重办',
  published: '已在政务公开栏目公开（匿名）',
  unpublished: '已撤回公开',
} as const;

/** 转阅: the e-mail that sends an order to a unit for reference. Never carries a confidential citizen's identity. */
export function forwardMail(p: { orderNo: string; unitName: string; title: string; description: string }): { subject: string; text: string } {
  return {
    subject: `【12345热线】转阅：工单 ${p.orderNo}（供参阅，无需答复）`,
    text: [`${p.unitName}：`, '', '以下市民诉求转贵单位参阅，无需答复。', `工单编号：${p.orderNo}`, `诉求标题：${p.title}`, `诉求内容：${p.description}`, '', '12345政务服务便民热线'].join('\n'),
  };
}

/** 协调办理: the notice convening a unit. No citizen data beyond what a unit may see. */
export function conveneMail(p: { orderNo: string; unitName: string; title: string; description: string; units: string[] }): { subject: string; text: string } {
  return {
    subject: `【12345热线】协调办理：工单 ${p.orderNo}`,
    text: [`${p.unitName}：`, '', `以下诉求由12345热线中心召集${p.units.join('、')}协调办理，请派员参加，协调时间另行通知。`, `工单编号：${p.orderNo}`, `诉求标题：${p.title}`, `诉求内容：${p.description}`, '', '12345政务服务便民热线'].join('\n'),
  };
}

/** 疑难件会诊: the units (and the duty leader) convened about a hard case; no citizen's identity, the title as a unit may read it. */
export function consultationMail(p: { orderNo: string; unitName: string; title: string; reason: string; units: string[] }): { subject: string; text: string } {
  return {
    subject: `【12345热线】疑难件会诊：工单 ${p.orderNo}`,
    text: [`${p.unitName}：`, '', `工单 ${p.orderNo}（${p.title}）经认定为疑难件（${p.reason}），12345热线中心召集${p.units.join('、')}会诊，确定牵头单位和办理时限，请派负责同志参加，会诊时间另行通知。`, '', '12345政务服务便民热线'].join('\n'),
  };
}

/** The e-mail to a unit about a dispatched order. Never carries a confidential citizen's identity. */
/** 协办: what a helper unit is asked, and by when. */
export function assistMail(p: { orderNo: string; unitName: string; lead: string; title: string; description: string; address: string; due: string }): { subject: string; text: string } {
  return {
    subject: `【12345热线】工单 ${p.orderNo} 请贵单位协办，请于 ${p.due} 前反馈协办意见`,
    text: [
      `${p.unitName}：`,
      '',
      `以下诉求由${p.lead}主办，请贵单位协办，并于 ${p.due} 前通过系统或接口反馈协办意见。`,
      `工单编号：${p.orderNo}`,
      `诉求标题：${p.title}`,
      `诉求内容：${p.description}`,
      `地址：${p.address}`,
      '',
      '12345政务服务便民热线',
    ].join('\n'),
  };
}

/** 撤单通知: the order the unit holds was ended by the hotline; it stops working on it. */
export function cancelMail(p: { orderNo: string; unitName: string; title: string; reason: string }): { subject: string; text: string } {
  return {
    subject: `【12345热线】工单 ${p.orderNo} 已撤销，请停止办理`,
    text: [`${p.unitName}：`, '', `工单编号：${p.orderNo}`, `诉求标题：${p.title}`, `撤销原因：${p.reason}`, '', '该工单已由热线撤销，无需继续办理和反馈。', '12345政务服务便民热线'].join('\n'),
  };
}

export function dispatchMail(p: {
  orderNo: string;
  unitName: string;
  title: string;
  description: string;
  address: string;
  due: string;
  mode: string;
  citizen: { name: string; phone: string | null };
}): { subject: string; text: string } {
  return {
    subject: `【12345热线】工单 ${p.orderNo} 已派至贵单位，请于 ${p.due} 前办理反馈`,
    text: [
      `${p.unitName}：`,
      '',
      `工单编号：${p.orderNo}`,
      `处置方式：${MODE_NAMES[p.mode] ?? p.mode}`,
      `办理时限：${p.due}`,
      `诉求标题：${p.title}`,
      `诉求内容：${p.description}`,
      `地址：${p.address}`,
      `诉求人：${p.citizen.name}${p.citizen.phone ? `（${p.citizen.phone}）` : ''}`,
      '',
      '请登录系统或通过接口签收、办理并反馈结果。',
      '12345政务服务便民热线',
    ].join('\n'),
  };
}

/** The e-mail to the duty leader when redos are used up. No citizen data. */
export function redoSupervisionMail(p: { orderNo: string; unitName: string; title: string; redos: number }): { subject: string; text: string } {
  return {
    subject: `【12345热线】督办：工单 ${p.orderNo} 已重办${p.redos}次仍未办结（${p.unitName}）`,
    text: ['值班领导：', '', `工单 ${p.orderNo} 已退回${p.unitName}重办${p.redos}次，答复仍未通过审核或诉求人仍不满意，现转督办。`, `诉求标题：${p.title}`, '', '12345政务服务便民热线'].join('\n'),
  };
}

export const ALARM_NAMES = {
  'chase-acknowledge': '催签收',
  remind: '办理提醒',
  chase: '催办',
  supervise: '督办',
  'on-site-overdue': '紧急件未到场督办',
  'chase-progress': '催报进展',
  'repeat-supervision': '重复来电督办',
} as const;

/**
 * Every step an order's history can hold, by its code, as the centre's staff name it. The history
 * is written only with these codes (StepEntry.step is a StepCode), so a new step has no way onto a
 * screen without its name.
 */
export const STEP_NAMES = {
  accept: '受理',
  classify: '分类',
  'repeat-call': '重复来电',
  merged: '合并',
  split: '拆分',
  answer: '当即答复',
  refer: '引导',
  forward: '转阅',
  assign: '人工派单',
  dispatch: '派单',
  redispatch: '改派',
  acknowledge: '签收',
  // The alarms the timers raise (催签收, 提醒, 催办, 督办, …), named once.
  ...ALARM_NAMES,
  'chase-task': '任务催办',
  'on-site': '到场',
  progress: '进展',
  'unit-note': '单位说明',
  return: '退单',
  'return-disputed': '退单争议',
  'return-review': '退单审核',
  'hard-case': '疑难件',
  consultation: '会诊决定',
  'extension-request': '延期申请',
  'extension-decision': '延期审批',
  'sub-dispatch': '下派街道',
  'street-reply': '街道反馈',
  'street-review': '街道答复审核',
  'helper-reply': '协办答复',
  'helper-timeout': '协办超时',
  convene: '召集协调',
  coordination: '协调结果',
  reply: '反馈',
  'review-requested': '待审核',
  review: '审核',
  redo: '重办',
  'supervise-redos': '重办督办',
  'callback-requested': '待回访',
  callback: '回访',
  'contact-confirm': '联系方式确认',
  'hand-over': '移交',
  'handover-unacknowledged': '移交未确认',
  'partner-ack': '对方确认接收',
  transferred: '已移交',
  'partner-concluded': '联动单位处置结果',
  'supervision-notice': '督办单',
  instruction: '领导批示',
  'instruction-report': '批示办理情况',
  'major-incident': '重大事项预警',
  evaluation: '市民评价',
  circular: '通报',
  publish: '公开',
  unpublish: '撤回公开',
  cancel: '撤销',
  close: '办结',
  'spot-check': '质检',
  'repeat-leaders': '重复来电层级上报',
} as const;
export type StepCode = keyof typeof STEP_NAMES;

/** Why an order or a message is on the operators' stuck board (infra/db/operations.ts StuckReason). */
export const STUCK_REASON_NAMES = {
  incident: '任务失败（事故）',
  'no-worker': '无处理程序',
  'message-waiting': '消息未被接收',
  'outbox-backlog': '发件积压',
  parked: '发件已搁置',
  'dead-letter': '死信',
  'timer-overdue': '定时器未触发',
  'no-progress': '流程无进展',
  'consumer-stopped': '消费者未运行',
  'kafka-unreachable': 'Kafka 不可达',
} as const;

/** A person's task, by its kind (usecases/ports.ts HumanTaskKind: the gateway checks every kind has its name). */
export const TASK_NAMES = {
  redispatch: '改派',
  'return-review': '退单审核',
  'extension-approval': '延期审批',
  'reply-review': '答复审核',
  coordination: '协调办理',
  'street-review': '街道答复审核',
  consultation: '疑难件会诊',
  'instruction-report': '批示办理情况报告',
  'spot-check': '办结质检',
} as const;

/** The e-mail to the duty leader about a person's task left open past its deadline. No citizen data. */
export function taskChaseMail(p: { orderNo: string; task: string; role: string; due: string; to?: string }): { subject: string; text: string } {
  return {
    subject: `【12345热线】催办：工单 ${p.orderNo} 的${p.task}任务已超时`,
    text: [`${p.to ?? '值班领导'}：`, '', `工单 ${p.orderNo} 的${p.task}任务（${p.role}）应于 ${p.due} 前完成，至今未办。`, '', '12345政务服务便民热线'].join('\n'),
  };
}


/** The e-mail to a unit (or to the duty leader) when an order it holds is chased. No citizen data: the order number is enough to find it. */
export function alarmMail(p: { kind: keyof typeof ALARM_NAMES; orderNo: string; unitName: string; title: string; due: string; to: 'unit' | 'leader' }): { subject: string; text: string } {
  const what = ALARM_NAMES[p.kind];
  const line = {
    'chase-acknowledge': `工单 ${p.orderNo} 已派至${p.unitName}，尚未签收，请即签收。`,
    remind: `工单 ${p.orderNo} 将于 ${p.due} 到期，请按时办理并反馈。`,
    chase: `工单 ${p.orderNo} 已于 ${p.due} 到期，尚未反馈办理结果，请即办理。`,
    supervise: `工单 ${p.orderNo} 已于 ${p.due} 到期，经催办仍未反馈，现转督办。`,
    'on-site-overdue': `紧急件 ${p.orderNo} 应于 ${p.due} 前到达现场，${p.unitName}尚未确认到场，现转督办。`,
    'chase-progress': `紧急件 ${p.orderNo} 到场后尚未报告办理进展，请即报告进展或反馈办理结果。`,
    'repeat-supervision': `工单 ${p.orderNo} 反映的事项市民反复来电，现转督办，请即办理。`,
  }[p.kind];
  return {
    subject: `【12345热线】${what}：工单 ${p.orderNo}${p.to === 'leader' ? `（${p.unitName}）` : ''}`,
    text: [`${p.to === 'leader' ? '值班领导' : p.unitName}：`, '', line, `诉求标题：${p.title}`, `承办单位：${p.unitName}`, `办理时限：${p.due}`, '', '12345政务服务便民热线'].join('\n'),
  };
}

/** 层级上报: a matter that keeps coming back — to the unit that has it (督办), or the duty leader (to bring it to the centre's leaders). No citizen data. */
export function repeatEscalationMail(p: { level: 'supervision' | 'leaders'; orderNo: string; repeats: number; unitName: string | null; title: string; to: 'unit' | 'leader' }): { subject: string; text: string } {
  const what = p.level === 'supervision' ? '重复来电督办' : '重复来电层级上报';
  const line =
    p.level === 'supervision'
      ? `工单 ${p.orderNo} 反映的事项已有${p.repeats}次重复来电，${p.unitName ? `承办单位${p.unitName}` : '该工单'}现转督办，请即办理并反馈。`
      : `工单 ${p.orderNo} 反映的事项已有${p.repeats}次重复来电，仍未解决，请报中心领导研究督办。`;
  return {
    subject: `【12345热线】${what}：工单 ${p.orderNo}`,
    text: [`${p.to === 'leader' ? '值班领导' : p.unitName}：`, '', line, `诉求标题：${p.title}`, ...(p.unitName ? [`承办单位：${p.unitName}`] : []), '', '12345政务服务便民热线'].join('\n'),
  };
}

/** A China-time rendering of an instant for people: 2026-11-27 24:00 style is avoided. */
export const chinaTime = (d: Date): string =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') + '（北京时间）';

/** 任务: what each job type does, as operators read it on a trace (the BPMN names the element; this names its worker). */
export const JOB_NAMES = {
  'alert-emergency': '告警值班领导',
  'answer-now': '当即答复',
  'chase-acknowledge': '催签收',
  'chase-order': '催办',
  'chase-progress': '催报进展',
  'classify-order': '分类',
  'close-order': '办结',
  'close-transferred': '移交办结',
  'convene-units': '召集协调单位',
  'convene-consultation': '召集疑难件会诊',
  'open-redispatch': '开立改派任务',
  'dispatch-order': '派单',
  'escalate-on-site': '未到场督办',
  'extend-deadline': '延期',
  'forward-order': '转阅',
  'hand-over-emergency': '移交联动单位',
  'helper-timeout': '协办逾期',
  'plan-progress': '下次进展时限',
  'redo-order': '重办',
  'refer-order': '引导',
  'remind-unit': '提醒',
  'request-callback': '请求回访',
  'review-reply': '审核答复',
  'supervise-order': '督办',
  'supervise-redos': '重办督办',
} as const;

/**
 * What each refusal of the API says to the centre's staff (`error.text`; `error.code` stays the
 * stable key for programs, `error.message` the English detail for integrators). One sentence per
 * code: a screen that shows `text` never shows a code or English.
 */
export const ERROR_TEXT = {
  VALIDATION_FAILED: '填写的内容不符合要求，请检查标出的项目',
  MALFORMED_JSON: '请求内容不是有效的 JSON',
  BODY_TOO_LARGE: '提交的内容过长',
  UNSUPPORTED_ENCODING: '提交内容的编码不受支持，请使用 UTF-8',
  BAD_IDEMPOTENCY_KEY: '请求的幂等键格式不正确',
  IDEMPOTENCY_KEY_REUSED: '同一幂等键已用于内容不同的请求，请刷新页面后重新提交',
  UNAUTHENTICATED: '密钥无效或已过期，请重新登录',
  FORBIDDEN: '您的角色无权进行此操作',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  TOO_MANY_BAD_KEYS: '本机输入错误密钥次数过多，请稍后再试',
  KEY_INVALID: '密钥的设置不正确（角色、名称或有效期）',
  KEY_NOT_FOUND: '没有这个有效的密钥',
  NOT_FOUND: '没有这个接口',
  EXPORT_TOO_LARGE: '符合条件的工单超过 10000 件，请缩小查询范围（如受理日期）后再导出',
  ORDER_NOT_FOUND: '没有这个工单（工单号形如 GD20261125000001）',
  NOT_YOUR_ORDER: '没有这个工单（工单号形如 GD20261125000001）',
  UNIT_NOT_FOUND: '您所在的单位已不在单位目录中，请向热线中心申请新的密钥',
  UNKNOWN_CATEGORY: '没有这个诉求分类',
  UNKNOWN_DISTRICT: '没有这个行政区',
  UNKNOWN_UNIT: '没有这个承办单位',
  UNKNOWN_KNOWLEDGE_ENTRY: '没有这条知识库条目，或它已停用',
  KNOWLEDGE_ENTRY_NOT_FOUND: '没有这条知识库条目',
  NOT_AWAITING_REPLY: '工单当前不在办理中，不能反馈或退单',
  RETURN_ALREADY_USED: '本单位已退过一次此工单，每个单位只能退单一次；请办理，或致电热线中心',
  EXTENSION_ALREADY_REQUESTED: '本次派单已申请过一次延期',
  EXTENSION_TOO_LATE: '工单已到期，延期须在办理时限之前申请',
  EXTENSION_PENDING: '延期申请正在等待热线中心审批，审批后再操作',
  EXTENSION_NOT_LATER: '申请的新时限须晚于现有办理时限',
  NOT_YOUR_STREET: '只能下派给本区的街道（乡镇）',
  SUB_DUE_NOT_WITHIN: '下派时限不能晚于本区的办理时限',
  HELPER_ANSWERED: '本单位已就协办部分答复过',
  HELPER_TIMED_OUT: '协办答复期限已过',
  NOT_URGENT: '只有紧急件需要确认到场和报告进展',
  NOT_ON_SITE: '请先确认到场，再报告进展',
  TASK_NOT_FOUND: '没有这个待办任务，或它不属于您的角色',
  TASK_DONE: '这个任务已经办结',
  TASK_BODY_MISMATCH: '提交的处理方式与任务类型不符',
  SAME_UNIT: '改派的单位与原承办单位相同',
  CONFLICT_OF_INTEREST: '不能派给被投诉的单位（回避）',
  NOT_AWAITING_CALLBACK: '工单当前不在待回访状态',
  NOT_AWAITING_ASSIGNMENT: '工单当前不在待人工派单状态',
  NOT_CLOSED: '只有已办结的工单才能公开',
  CONFIDENTIAL: '保密件不能公开',
  PERSONAL_DATA_LEFT: '公开内容中仍含有个人信息（如电话号码、证件号），请改写后再提交',
  NOT_PUBLISHED: '这个工单没有公开',
  TRANSITION_REFUSED: '工单当前的状态不允许此操作，请刷新页面查看最新状态',
  ORDER_DONE: '工单已经结束，无需撤销',
  SAME_ORDER: '不能把工单合并到它自己',
  NOT_CONFIGURED: '本平台未启用此功能',
  NOT_OPEN_FOR_FILES: '工单已结束（或不在本单位办理中），不能再添加附件',
  EMPTY_FILE: '文件是空的',
  FILE_TOO_LARGE: '文件过大',
  FILE_TYPE_REFUSED: '只接收 JPEG、PNG 图片和 PDF 文件',
  FILE_TYPE_MISMATCH: '文件的实际类型与声明的不符',
  TOO_MANY_FILES: '该工单的附件已达上限',
  ATTACHMENT_NOT_FOUND: '没有这个附件',
  TARGET_NOT_OPEN: '要并入的工单已经结束，请并入在办工单，或撤销本工单',
  TARGET_MERGED: '要并入的工单本身已合并到其他工单，请并入那张工单',
  NOT_MERGED: '该工单不是重复件，无需拆分',
  OUTBOX_ROW_NOT_FOUND: '没有这条待发消息',
  DEAD_LETTER_INVALID: '修改后的消息不是有效内容',
  DEAD_LETTER_NOT_FOUND: '没有这条死信',
  MODEL_NOT_FOUND: '没有这个模型',
  MODEL_INVALID: '模型检查未通过，未部署；请按列出的问题修改',
  MODELS_UNAVAILABLE: '本服务未启用模型管理',
  OPERATIONS_UNAVAILABLE: '本服务未启用运维功能',
  UNAVAILABLE: '平台暂时无法连接所需的服务，本次操作未保存；请稍后原样再提交一次',
  REPLY_BY_PASSED: '回复期限须晚于现在',
  NOTHING_TO_CIRCULATE: '没有需要通报的情况：没有催办达到规定次数仍未办理的工单，也没有考核排名末位的单位',
  CIRCULAR_NOT_FOUND: '没有这份通报',
  CIRCULAR_NOT_DRAFT: '这份通报已发出或已作废，不能再修改、发出或作废',
  DIGEST_NOT_FOUND: '这一天没有摘报（每天早晨生成前一天的摘报）',
  PROGRESS_NOT_FOUND: '没有找到：请核对工单号和受理时留下的联系电话',
  EVALUATION_NOT_OPEN: '诉求办结后才能评价',
  ALREADY_EVALUATED: '这件诉求已经评价过（一事一评）',
  CODE_NOT_VALID: '验证码不正确、已使用或已过期，请重新获取',
  NO_UNIT_YET: '工单尚未派给承办单位，不能批示；请派单后再录入',
  SHIFT_INVALID: '值班时段不正确：结束须晚于开始，且一个班次最长 7 天',
  SHIFT_OVERLAPS: '该时段与已排的班次重叠，同一时间只能有一位值班领导',
  SHIFT_NOT_FOUND: '没有这个班次',
  INTERNAL: '平台内部错误，已记录；请联系运维人员',
} as const;

/** The stable code of every refusal the API gives. */
export type ApiErrorCode = keyof typeof ERROR_TEXT;
