import { describe, expect, it } from 'vitest';
import { searchQuery, searchText, searchTokens } from '../../domain/knowledge.js';

describe('知识库 search tokens', () => {
  it('cuts Chinese into character pairs and keeps words, each at least three characters', () => {
    expect(searchTokens('小区停水')).toEqual(['小区q', '区停q', '停水q']);
    expect(searchTokens('水')).toEqual(['水qq']);
    expect(searchTokens('办理ETC卡，5G信号')).toEqual(['办理q', 'etc', '卡qq', '5gq', '信号q']);
    expect(searchTokens('１２３４５热线')).toEqual(['12345', '热线q']);
  });

  it('lets no boolean operator of the query through, and has nothing to search in punctuation alone', () => {
    expect(searchQuery('+停水 -"通知" *')).toBe('停水q 通知q');
    expect(searchQuery('？！…')).toBeNull();
    expect(searchText('居住证', '办理')).toBe('居住q 住证q 办理q');
  });
});
