// Who took a step (or deployed a model), as the centre's staff read it: the history's actor codes (hub, unit:<code>,
// <role>:<key>, partner:<line>, dmn:<table>, cli:<user>) in words. No I/O:
// test/console/actors.unit.test.ts runs it.

/**
 * `roles`: the role names (names.js ROLE); `unitName`: a unit's name by its code, when the page
 * knows it (else the code is shown).
 */
export function actorName(actor, roles, unitName = () => undefined) {
  if (!actor) return '';
  // A model version the hub deployed from the repository as it started.
  if (actor === 'hub start') return '平台启动时部署';
  const at = actor.indexOf(':');
  const kind = at < 0 ? actor : actor.slice(0, at);
  const rest = at < 0 ? '' : actor.slice(at + 1);
  if (kind === 'hub') return rest === 'auto-review' ? '系统（自动审核）' : rest ? `系统（${rest}）` : '系统';
  if (kind === 'dmn') return rest === 'dispatch' ? '派单规则' : `规则（${rest}）`;
  if (kind === 'partner') return `联动单位 ${rest}`;
  if (kind === 'cli') return `命令行（${rest}）`;
  if (kind === 'integration') return `对接系统 ${rest}`;
  if (kind === 'unit') {
    // unit:<code>, or unit:<code>（<who> 更正） for a step replayed from a mended dead letter.
    const m = /^([^（]+)(（.*）)?$/.exec(rest);
    const code = m?.[1] ?? rest;
    return `${unitName(code) ?? code}${m?.[2] ?? ''}`;
  }
  // <role>:<key id>: the role; which key it was is the audit log's to say (the page keeps it in the cell's title).
  if (roles[kind]) return roles[kind];
  return actor;
}
