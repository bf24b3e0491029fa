// dmn-js in Chinese: its translate service, overridden with the words of the decision table as
// process owners see it (headers, the hit policy, the context menus and editing popups); a text
// not listed stays as dmn-js has it. Unit-tested in test/console/dmn-zh.unit.test.ts.

export const DMN_ZH = {
  When: '当', And: '且', Then: '则', Annotation: '说明', Annotations: '说明',
  'Hit policy': '命中策略', 'Hit policy:': '命中策略：',
  'Decision name': '决策名称', 'Decision name: ': '决策名称：',
  Input: '输入', Output: '输出', 'Input label': '输入标签', 'Input label: ': '输入标签：', 'Input expression': '输入表达式', 'Input expression: ': '输入表达式：',
  'Input type': '输入类型', 'Input values': '输入取值', 'Output label': '输出标签', 'Output label: ': '输出标签：', 'Output name': '输出名称', 'Output name: ': '输出名称：',
  'Output type': '输出类型', 'Output values': '输出取值', Expression: '表达式', 'Expression language': '表达式语言', 'Expression language: {expressionLanguageLabel}': '表达式语言：{expressionLanguageLabel}',
  'Enter expression': '输入表达式', 'Add rule': '添加规则', 'Add rule above': '在上方添加规则', 'Add rule below': '在下方添加规则', 'Remove rule': '删除规则',
  'Copy rule': '复制规则', 'Cut rule': '剪切规则', 'Paste rule above': '粘贴到上方', 'Paste rule below': '粘贴到下方', 'Move rule': '移动规则',
  'Add input': '添加输入', 'Add output': '添加输出', 'Add input column left': '在左侧添加输入列', 'Add input column right': '在右侧添加输入列',
  'Add output column left': '在左侧添加输出列', 'Add output column right': '在右侧添加输出列', 'Remove input column': '删除输入列', 'Remove output column': '删除输出列',
  'Copy input column': '复制输入列', 'Copy output column': '复制输出列', 'Cut input column': '剪切输入列', 'Cut output column': '剪切输出列',
  'Paste input column left': '粘贴到左侧', 'Paste input column right': '粘贴到右侧', 'Paste output column left': '粘贴到左侧', 'Paste output column right': '粘贴到右侧',
  'Add cell description': '添加单元格说明', 'Remove cell description': '删除单元格说明', 'Change cell expression language': '更改单元格表达式语言',
  'Edit string': '编辑文本', 'Edit number': '编辑数字', 'Edit boolean': '编辑布尔值', 'Edit date': '编辑日期', 'Edit input': '编辑输入', 'Edit output': '编辑输出', Edit: '编辑',
  'Match one': '匹配其一', 'Match none': '均不匹配', 'Custom values': '自定义取值', 'Predefined values': '预设取值', 'Add predefined values': '添加预设取值',
  'Clear predefined values': '清除预设取值', 'Add values': '添加取值', 'No values': '无取值', 'Set value': '设置值', 'String value': '文本值', 'Boolean value': '布尔值',
  Comparison: '比较', 'Comparison operator': '比较运算符', Range: '范围', Equals: '等于', Less: '小于', 'Less or equals': '小于等于', Greater: '大于', 'Greater or equals': '大于等于',
  Include: '包含', Exclude: '不包含', Yes: '是', No: '否', Resize: '调整宽度', 'View DRD': '查看决策关系图',
  First: '首个命中（FIRST）', Unique: '唯一命中（UNIQUE）', Any: '任一命中（ANY）', Priority: '优先级（PRIORITY）', Collect: '汇集（COLLECT）',
  'Rule order': '按规则顺序（RULE ORDER）', 'Output order': '按输出顺序（OUTPUT ORDER）',
};

/** dmn-js's translate service (`translate(template, replacements)`), in Chinese where DMN_ZH knows the text. */
export function translateZh(template, replacements = {}) {
  return (DMN_ZH[template] ?? template).replace(/{([^}]+)}/g, (_, key) => replacements[key] ?? `{${key}}`);
}

/** The module that puts translateZh in place of dmn-js's own. */
export const dmnZhModule = { translate: ['value', translateZh] };

/**
 * dmn-js's options giving each of its views the module: dmn-js gives `common` options to every
 * view, but a view's own `additionalModules` replace common ones, so each view is named.
 */
export const dmnZhOptions = { drd: { additionalModules: [dmnZhModule] }, decisionTable: { additionalModules: [dmnZhModule] }, literalExpression: { additionalModules: [dmnZhModule] } };
