/**
 * 政务公开: what of a closed order the public may read. The centre decides which orders are
 * published and writes the summary; this removes what must never be published whatever was
 * written: the citizen's name (and "Mr/Ms <surname>"), any phone, ID or e-mail, house and flat
 * numbers, and people named by their title (王工, 李师傅, 张科长). Pure: no I/O.
 */

const NAMED_BY_TITLE = /[\u4e00-\u9fa5](?:先生|女士|小姐|师傅|阿姨|大爷|大妈|老师|工|经理|主任|科长|处长|队长|站长|所长|书记|局长|警官)/gu;
const PHONE = /(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8})(?!\d)/g;
const ID_NUMBER = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** A number before a building part: 3号楼, 12栋, 2单元, 501室, 7层. */
const HOUSE_NUMBER = /[0-9０-９一二三四五六七八九十百]+(?=\s*(?:号楼|号院|号|栋|幢|单元|室|户|楼|层))/gu;

export interface Subject {
  name: string;
  phone: string;
  address: string;
}

export function anonymise(text: string, subject: Subject): string {
  let out = text;
  const name = subject.name.trim();
  if (name) {
    out = out.split(name).join('诉求人');
    // 张先生, 欧阳女士: the surname (one character, or two for a compound one) with a form of address.
    const surnames = name.length >= 3 ? [name.slice(0, 2), name[0]!] : [name[0]!];
    for (const surname of surnames) out = out.replace(new RegExp(`${surname}(?:先生|女士|小姐|阿姨|大爷|大妈)`, 'gu'), '诉求人');
  }
  if (subject.address.trim()) out = out.split(subject.address.trim()).join('（地址略）');
  return out
    .replace(ID_NUMBER, '***')
    .replace(PHONE, '***')
    .replace(EMAIL, '***')
    .replace(NAMED_BY_TITLE, '工作人员')
    .replace(HOUSE_NUMBER, '*');
}

/** What a published text must not contain, checked after anonymising: the citizen's name and phone. */
export function leaks(text: string, subject: Subject): string[] {
  const found: string[] = [];
  if (subject.name.trim() && text.includes(subject.name.trim())) found.push('the citizen\'s name');
  const digits = subject.phone.replace(/\D/g, '');
  if (digits.length >= 7 && text.replace(/\D/g, '').includes(digits)) found.push('the citizen\'s phone');
  return found;
}
