/**
 * The terms of a request, for the daily digest's hot topics (热点): Chinese word segmentation by
 * jieba (@node-rs/jieba, its own dictionary), words of two characters or more, without numbers,
 * punctuation and the words every request says (请, 反映, 问题, 小区…). A request counts once per term.
 */
import { createRequire } from 'node:module';

type JiebaLike = { cut(text: string, hmm?: boolean): string[] };
let jieba: JiebaLike | undefined;
const load = (): JiebaLike => {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): JiebaLike } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
};

/** Words that say nothing about the matter: how citizens and call-takers phrase any request. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  '反映 问题 市民 来电 诉求 希望 要求 请求 请问 咨询 相关 部门 处理 解决 一直 现在 目前 已经 没有 不能 可以 需要 情况 表示 称 自己 我们 他们 这个 那个 什么 怎么 为什么 时候 今天 昨天 每天 多次 经常 非常 比较 严重 影响 生活 附近 这里 那里 地方 小区 居民 业主 工作 人员 联系 电话 立即 尽快 及时 协调 核实 督促 进行 以上 以下 一下 一些 几天 好几天 至今 没人 无人 有人 还是 但是 因为 所以 如果 然后 并且 而且 以及 或者 其他 其它'.split(' '),
);

/** The distinct terms of a text. */
export function termsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of load().cut(text, true)) {
    const t = w.trim();
    if ([...t].length < 2 || [...t].length > 16 || STOP_WORDS.has(t) || !/\p{Script=Han}/u.test(t)) continue;
    out.add(t);
  }
  return out;
}
