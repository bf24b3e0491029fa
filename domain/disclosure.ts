/**
 * 政务公开: what of a closed order the public may read. The centre decides which orders are
 * published and writes the summary; this removes what must never be published whatever was
 * written: the citizen's name (and "Mr/Ms <surname>"), any phone, ID number (18 or 15 digits),
 * e-mail or licence plate, house and flat numbers, people named by their title (王工, 李师傅,
 * 张科长) and people named after a word that says who they are (邻居王五, 联系人李四). Full-width
 * digits and letters (１３８…) are read as the ASCII ones first. Pure: no I/O.
 */

/** The common surnames (百家姓, the most frequent), compound ones first: a person named by a title or a cue starts with one. */
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '南宫', '西门', '独孤', '轩辕'];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤穆农卓古吉缪';
const SURNAME = `(?:${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])`;
/** The given name after a surname: one or two characters that are not a word that usually follows a name. */
const GIVEN = '[\\u4e00-\\u9fa5](?:(?![家的说称在和及与等向到对把被是了也都就又将从给跟让请拒不没未已曾总常一多因经要])[\\u4e00-\\u9fa5])?';

/** Forms of address: 李先生 is somebody, said as 某先生. */
const ADDRESS = '先生|女士|小姐|阿姨|大爷|大妈';
/** Work titles: 王工, 李师傅, 张科长 are staff, said as 工作人员. "工" is a title only where no word goes on (施工, 工作, 包工头 are not people). */
const WORK_TITLES = '工(?![作人厂程地期具资业艺头委种序段会钱友])|师傅|老师|经理|主任|科长|处长|队长|站长|所长|书记|局长|警官';
const NAMED_BY_ADDRESS = new RegExp(`${SURNAME}(${ADDRESS})`, 'gu');
const NAMED_BY_TITLE = new RegExp(`${SURNAME}(?:${WORK_TITLES})`, 'gu');
/** A name after a word that says who the person is: 邻居王五, 联系人：李四, 业主张小明. */
const NAMED_BY_CUE = new RegExp(`((?:联系人|业主|邻居|房东|租户|住户|家属|同事|当事人|被投诉人|姓名|户主|楼上|楼下|对门)[：:\\s]*)${SURNAME}${GIVEN}`, 'gu');
const PHONE = /(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|(?:0\d{2,3}|\(0\d{2,3}\)|（0\d{2,3}）)[- ]?\d{3,4}[- ]?\d{4})(?!\d)/g;
/** An ID number: 18 digits (the last may be X), or the first generation's 15. */
const ID_NUMBER = /(?<![\dA-Za-z])(?:\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** A licence plate: the province, the authority's letter, five or six (new energy) letters and digits. */
const PLATE = /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·•\s]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])/g;
/** A number before a building part: 3号楼, 12栋, 2单元, 501室, 7层. */
const HOUSE_NUMBER = /[0-9一二三四五六七八九十百]+(?=\s*(?:号楼|号院|号|栋|幢|单元|室|户|楼|层))/gu;

export interface Subject {
  name: string;
  phone: string;
  address: string;
}

/** Full-width digits, letters and the signs of numbers and addresses (１３８, ＠, －) as ASCII; Chinese punctuation stays. */
export function narrow(text: string): string {
  return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20\uff0e\uff0d\uff0b\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function anonymise(text: string, subject: Subject): string {
  let out = narrow(text);
  const name = narrow(subject.name).trim();
  if (name) {
    // The whole name, with a form of address after it if any (张三先生 is one person, not 诉求人先生).
    out = out.replace(new RegExp(`${escapeRegExp(name)}(?:${ADDRESS})?`, 'gu'), '诉求人');
    // 张先生, 欧阳女士: the surname (one character, or two for a compound one) with a form of address.
    const surnames = COMPOUND_SURNAMES.some((s) => name.startsWith(s)) ? [name.slice(0, 2)] : [name.slice(0, 1)];
    for (const surname of surnames) out = out.replace(new RegExp(`${escapeRegExp(surname)}(?:${ADDRESS})`, 'gu'), '诉求人');
  }
  const address = narrow(subject.address).trim();
  if (address) out = out.split(address).join('（地址略）');
  return out
    .replace(ID_NUMBER, '***')
    .replace(PHONE, '***')
    .replace(EMAIL, '***')
    .replace(PLATE, '***')
    .replace(NAMED_BY_TITLE, '工作人员')
    .replace(NAMED_BY_ADDRESS, '某$1')
    .replace(NAMED_BY_CUE, '$1某某')
    .replace(HOUSE_NUMBER, '*');
}

/** What a published text must not contain, checked after anonymising: the citizen's name and phone. */
export function leaks(text: string, subject: Subject): string[] {
  const found: string[] = [];
  const plain = narrow(text);
  if (subject.name.trim() && plain.includes(narrow(subject.name).trim())) found.push('the citizen\'s name');
  const digits = narrow(subject.phone).replace(/\D/g, '');
  if (digits.length >= 7 && plain.replace(/\D/g, '').includes(digits)) found.push('the citizen\'s phone');
  return found;
}
