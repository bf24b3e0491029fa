/**
 * A unit system reached through an exchange table (中间库) in the unit's own database, as many
 * unit and sector hotline systems (a gas company's 96777, a 12319 city-construction hotline) are
 * connected: the hub writes dispatched orders into GD_XF (工单下发), the unit's system writes its
 * answers into GD_FK (办理反馈) and the adapter polls them, marking each row taken (CLZT 1) or
 * refused (CLZT 2, with the reason in CLSM). Column names are the pinyin initials such systems use;
 * times are China local time without a zone; the tables are GBK. The DDL is agreed with the unit
 * (TABLES_DDL); the adapter never creates or alters the unit's tables.
 */
export const TABLES_DDL = [
  `CREATE TABLE IF NOT EXISTS GD_XF (
    ID BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    SJID CHAR(36) NOT NULL COMMENT '枢纽事件ID：同一事件只写一次',
    GDBH VARCHAR(20) NOT NULL COMMENT '工单编号',
    LC INT NOT NULL COMMENT '派单轮次',
    BT VARCHAR(200) NOT NULL COMMENT '标题',
    NR TEXT NOT NULL COMMENT '内容',
    DZ VARCHAR(300) NOT NULL COMMENT '地址',
    LXR VARCHAR(50) NULL COMMENT '联系人',
    LXDH VARCHAR(30) NULL COMMENT '联系电话（保密件为空）',
    BLSX DATETIME NOT NULL COMMENT '办理时限',
    XFSJ DATETIME NOT NULL COMMENT '下发时间',
    DQZT CHAR(1) NOT NULL DEFAULT '0' COMMENT '读取状态 0未读 1已读',
    UNIQUE KEY UK_GD_XF_SJID (SJID)
  ) ENGINE=InnoDB DEFAULT CHARSET=gbk`,
  `CREATE TABLE IF NOT EXISTS GD_FK (
    ID BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    FKBH VARCHAR(40) NULL COMMENT '反馈编号（单位系统自编，重发时不变）',
    GDBH VARCHAR(20) NULL COMMENT '工单编号',
    FKLX CHAR(1) NULL COMMENT '反馈类型 1签收 2过程 3办结 4退回 5延期申请',
    FKNR VARCHAR(2000) NULL COMMENT '反馈内容',
    FKR VARCHAR(50) NULL COMMENT '反馈人',
    FKSJ DATETIME NULL COMMENT '反馈时间',
    YQSJ DATETIME NULL COMMENT '申请延期至',
    CLZT CHAR(1) NOT NULL DEFAULT '0' COMMENT '处理状态 0待处理 1已接收 2被拒',
    CLSM VARCHAR(500) NULL COMMENT '处理说明',
    KEY IX_GD_FK_CLZT (CLZT, ID)
  ) ENGINE=InnoDB DEFAULT CHARSET=gbk`,
];

/** A row the hub writes into GD_XF. */
export interface OrderRow {
  SJID: string;
  GDBH: string;
  LC: number;
  BT: string;
  NR: string;
  DZ: string;
  LXR: string | null;
  LXDH: string | null;
  BLSX: string;
  XFSJ: string;
}

/** A row of GD_FK as read (dates as the text the database gives, China time). */
export interface AnswerRow {
  ID: number | string;
  FKBH: string | null;
  GDBH: string | null;
  FKLX: string | null;
  FKNR: string | null;
  FKR: string | null;
  FKSJ: string | null;
  YQSJ: string | null;
}

export const KINDS = { '1': '签收', '2': '过程', '3': '办结', '4': '退回', '5': '延期申请' } as const;

/** China time as the tables hold it: "2026-11-26 20:30:00". */
export const chinaLocal = (d: Date): string => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/** A DATETIME text of the tables (China time) as an instant; null when empty or not a time. */
export function fromChinaLocal(text: string | null | undefined): Date | null {
  const m = text ? /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(text.trim()) : null;
  if (!m || m[1] === '0000-00-00') return null;
  const d = new Date(`${m[1]}T${m[2]}+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}
