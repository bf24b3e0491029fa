import { describe, expect, it } from 'vitest';
import { anonymise, leaks, narrow } from '../../domain/disclosure.js';

const subject = { name: '张三', phone: '13800138000', address: '河西区友谊路1号3单元502室' };

describe('政务公开: anonymising what is published', () => {
  // Texts as call-takers and units write them; what the public may read of each.
  it.each([
    // The citizen
    ['张三反映小区停水', '诉求人反映小区停水'],
    ['张先生来电称停水', '诉求人来电称停水'],
    ['张三先生来电称停水三天', '诉求人来电称停水三天'],
    ['来电人张三称楼道灯不亮', '来电人诉求人称楼道灯不亮'],
    ['张女士的家人也反映过此事', '诉求人的家人也反映过此事'],
    // Phones, ID numbers, e-mail, full width too
    ['请回电13800138000或022-23456789', '请回电***或***'],
    ['请回电１３８００１３８０００', '请回电***'],
    ['联系电话：+86 138 0013 8000', '联系电话：***'],
    ['固话（022）23456789转分机无人接', '固话***转分机无人接'],
    ['或拨(022)2345-6789', '或拨***'],
    ['身份证号12010119800101123X', '身份证号***'],
    ['身份证号１２０１０１１９８００１０１１２３Ｘ', '身份证号***'],
    ['老身份证号120101800101123已作废', '老身份证号***已作废'],
    ['邮箱zhang.san@example.com', '邮箱***'],
    ['邮箱ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ请回复', '邮箱***请回复'],
    // Licence plates
    ['车牌津A12345的车辆长期占用消防通道', '车牌***的车辆长期占用消防通道'],
    ['新能源车津AD12345在充电桩前停放', '新能源车***在充电桩前停放'],
    ['一辆京N·8K2Q1违停', '一辆***违停'],
    ['货车冀B 12345夜间鸣笛', '货车***夜间鸣笛'],
    // The address and house numbers
    ['河西区友谊路1号3单元502室停水', '（地址略）停水'],
    ['友谊路5号楼2单元漏水', '友谊路*号楼*单元漏水'],
    ['１２栋楼顶漏雨', '*栋楼顶漏雨'],
    ['三号院门口堆放垃圾', '*号院门口堆放垃圾'],
    // Staff named by title: only after a surname
    ['已由王工和李师傅上门修复', '已由工作人员和工作人员上门修复'],
    ['街道办刘主任到现场协调', '街道办工作人员到现场协调'],
    ['欧阳科长已答复', '工作人员已答复'],
    ['小区施工噪音扰民，施工单位已整改', '小区施工噪音扰民，施工单位已整改'],
    ['物业员工态度差', '物业员工态度差'],
    ['于工作日内处理完毕', '于工作日内处理完毕'],
    ['包工头拖欠工资', '包工头拖欠工资'],
    ['已安排电工维修', '已安排电工维修'],
    // Other people, by form of address or by who they are
    ['邻居李先生家漏水到楼下', '邻居某先生家漏水到楼下'],
    ['楼上王阿姨家装修', '楼上某阿姨家装修'],
    ['邻居王五家每天深夜唱歌', '邻居某某家每天深夜唱歌'],
    ['联系人：李四，物业经理', '联系人：某某，物业经理'],
    ['业主赵小明称车位被占', '业主某某称车位被占'],
    ['被投诉人陈大力已道歉', '被投诉人某某已道歉'],
    ['房东孙丽拒不退还押金', '房东某某拒不退还押金'],
    ['邻居反映情况属实', '邻居反映情况属实'],
    ['业主委员会已开会研究', '业主委员会已开会研究'],
    ['当事人称不知情', '当事人称不知情'],
    // Texts with nothing to remove stay as they were
    ['路灯不亮已修复，市民满意', '路灯不亮已修复，市民满意'],
    ['水务集团已恢复供水，并加强巡查', '水务集团已恢复供水，并加强巡查'],
    ['（补充）已于12月3日前完成整改。', '（补充）已于12月3日前完成整改。'],
  ])('%s → %s', (text, expected) => {
    expect(anonymise(text, subject)).toBe(expected);
  });

  it('takes a compound surname with its form of address for the citizen', () => {
    expect(anonymise('已为欧阳女士修复', { ...subject, name: '欧阳娜娜' })).toBe('已为诉求人修复');
  });

  it('does not break on a name with the signs of a pattern in it, and takes it as written', () => {
    for (const name of ['(', '张*', '李[三]', '王\\五', '赵?']) {
      expect(anonymise(`${name}反映噪音`, { ...subject, name })).toBe('诉求人反映噪音');
    }
  });

  it('reads full-width digits, letters and signs as ASCII, and leaves Chinese punctuation alone', () => {
    expect(narrow('１３８－Ａｂ＠ｘ．ｃｎ，（补充）')).toBe('138-Ab@x.cn，（补充）');
  });

  it('finds the citizen\'s name or phone left in a text, however the phone is written', () => {
    expect(leaks('诉求人反映停水', subject)).toEqual([]);
    expect(leaks('张三反映', subject)).toEqual(["the citizen's name"]);
    expect(leaks('电话 138 0013 8000', subject)).toEqual(["the citizen's phone"]);
    expect(leaks('电话１３８００１３８０００', subject)).toEqual(["the citizen's phone"]);
  });
});
