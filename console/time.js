// Instants as the centre's staff read them: in the centre's time zone (CENTRE_TIME_ZONE, Beijing
// time by default), never the API's UTC. The API sends ISO 8601 instants; a period is [from, to),
// so the last day shown is the one before `to`. No I/O: test/console/time.unit.test.ts runs it.

const formats = new Map();
function partsIn(timeZone, at) {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(at).filter((p) => p.type !== 'literal').map((p) => [p.type, p.value]));
}

const parse = (iso) => {
  if (iso === null || iso === undefined || iso === '') return null;
  const at = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
};

/** "2026-11-01 00:00" (with `seconds`, "2026-11-01 00:00:00"); "" for no instant. */
export function formatInstant(iso, timeZone, { seconds = false } = {}) {
  const at = parse(iso);
  if (!at) return '';
  const p = partsIn(timeZone, at);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/** The calendar date of an instant in the zone: "2026-11-01". */
export function formatDay(iso, timeZone) {
  const at = parse(iso);
  if (!at) return '';
  const p = partsIn(timeZone, at);
  return `${p.year}-${p.month}-${p.day}`;
}

/** A period [from, to) as its first and last day in the zone: "2026-11-01 至 2026-11-30". */
export function formatPeriod(from, to, timeZone) {
  const end = parse(to);
  return `${formatDay(from, timeZone)} 至 ${end ? formatDay(new Date(end.getTime() - 1), timeZone) : ''}`;
}

/** The zone's name as the staff say it. */
export const zoneName = (timeZone) => ({ 'Asia/Shanghai': '北京时间', 'Asia/Urumqi': '乌鲁木齐时间', 'Asia/Hong_Kong': '香港时间', 'Asia/Macau': '澳门时间' })[timeZone] ?? timeZone;

/** The zone's offset from UTC at instant t (ms since the epoch), in ms. */
function offsetAt(timeZone, t) {
  const p = partsIn(timeZone, new Date(t));
  return Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}Z`) - t;
}

/** The instant a wall-clock time ("2026-11-01T08:30" or "…T08:30:00") is in the zone. */
function wallToInstant(wall, timeZone) {
  const guess = Date.parse(`${wall.length === 16 ? `${wall}:00` : wall}Z`);
  if (Number.isNaN(guess)) return null;
  const first = guess - offsetAt(timeZone, guess);
  // Once more at the result: a zone whose offset changes between the guess and that time (daylight saving).
  return new Date(guess - offsetAt(timeZone, first));
}

/** The instant a calendar date ("2026-11-01") begins in the zone. */
export const startOfDay = (date, timeZone) => wallToInstant(`${date}T00:00:00`, timeZone);

/**
 * A datetime-local field's value ("2026-12-10T17:00"), read as the zone's wall clock, as the API
 * takes it: ISO 8601 with the zone's offset ("2026-12-10T17:00:00+08:00"); "" for no or a bad value.
 */
export function fromLocalInput(value, timeZone) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value ?? '')) return '';
  const at = wallToInstant(value, timeZone);
  if (!at) return '';
  const off = Math.round(offsetAt(timeZone, at.getTime()) / 60_000);
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${value}:00${off < 0 ? '-' : '+'}${pad(off / 60)}:${pad(off % 60)}`;
}

/** An instant as a datetime-local field shows it in the zone: "2026-12-10T17:00". */
export function toLocalInput(iso, timeZone) {
  const shown = formatInstant(iso, timeZone);
  return shown ? shown.replace(' ', 'T') : '';
}

/** This month in the zone, as the period [first day 00:00, next month's first day 00:00) of ISO instants. */
export function monthOf(now, timeZone) {
  const [y, m] = formatDay(now, timeZone).split('-').map(Number);
  const pad = (n) => String(n).padStart(2, '0');
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
  return { from: startOfDay(`${y}-${pad(m)}-01`, timeZone).toISOString(), to: startOfDay(next, timeZone).toISOString() };
}
