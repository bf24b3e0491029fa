/** The decision table's editor in Chinese (console/dmn-zh.js): dmn-js's texts translated, replacements kept. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DMN_ZH, translateZh } from '../../console/dmn-zh.js';
import { projectRoot } from '../../infra/config.js';

describe('dmn-js in Chinese', () => {
  it('translates the table\'s headers and keeps a replacement', () => {
    expect(['When', 'And', 'Then', 'Hit policy:', 'Add rule'].map((t) => translateZh(t))).toEqual(['当', '且', '则', '命中策略：', '添加规则']);
    expect(translateZh('Expression language: {expressionLanguageLabel}', { expressionLanguageLabel: 'FEEL' })).toBe('表达式语言：FEEL');
    expect(translateZh('Some text dmn-js added later')).toBe('Some text dmn-js added later');
  });

  it('translates only texts this dmn-js version has', () => {
    const lib = ['dmn-js-decision-table/lib', 'dmn-js-shared/lib'].map((d) => path.join(projectRoot, 'node_modules', d));
    const sources: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (e.name.endsWith('.js')) sources.push(fs.readFileSync(path.join(dir, e.name), 'utf8'));
      }
    };
    for (const d of lib) walk(d);
    const all = sources.join('\n');
    expect(Object.keys(DMN_ZH).filter((t) => !all.includes(`'${t}'`) && !all.includes(`"${t}"`))).toEqual([]);
  });
});
