import { describe, expect, it } from 'vitest';
import { anonymise, leaks } from '../../domain/disclosure.js';

const subject = { name: '张三', phone: '13800138000', address: '河西区友谊路1号3单元502室' };

describe('政务公开: anonymising what is published', () => {
  it.each([
    ['张三反映小区停水', '诉求人反映小区停水'],
    ['张先生来电称停水', '诉求人来电称停水'],
    ['请回电13800138000或022-23456789', '请回电***或***'],
    ['身份证号12010119800101123X', '身份证号***'],
    ['邮箱zhang.san@example.com', '邮箱***'],
    ['河西区友谊路1号3单元502室停水', '（地址略）停水'],
    ['友谊路5号楼2单元漏水', '友谊路*号楼*单元漏水'],
    ['已由王工和李师傅上门修复', '已由工作人员和工作人员上门修复'],
  ])('%s → %s', (text, expected) => {
    expect(anonymise(text, subject)).toBe(expected);
  });

  it('takes a compound surname with its form of address for the citizen', () => {
    expect(anonymise('已为欧阳女士修复', { ...subject, name: '欧阳娜娜' })).toBe('已为诉求人修复');
  });

  it('finds the citizen\'s name or phone left in a text, however the phone is written', () => {
    expect(leaks('诉求人反映停水', subject)).toEqual([]);
    expect(leaks('张三反映', subject)).toEqual(["the citizen's name"]);
    expect(leaks('电话 138 0013 8000', subject)).toEqual(["the citizen's phone"]);
  });
});
