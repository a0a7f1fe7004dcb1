// The strings `analyze` and `test` print, in English and Chinese (the original description's
// report reads 发现错误 / 推荐的恢复操作). The language comes from --lang, else the locale (LC_ALL,
// LC_MESSAGES, LANG: zh_* is Chinese), else English.

export type Lang = 'en' | 'zh';

export interface Strings {
  lang: Lang;
  foundError: string;
  recommended: string;
  noAutomaticAction: string;
  noFailures: string;
  records: (n: number) => string;
  span: string;
  at: string;
  topMessages: string;
  innermostFrame: string;
  timeline: string;
  line: string;
  summary: (types: number, records: number, files: number, lines: number, ms: number) => string;
  changed: (file: string) => string;
  justifiedBy: string;
  unrecognised: (lines: number, templates: number) => string;
  moreTemplates: (lines: number) => string;
  inferred: (type: string, confidence: number) => string;
  notInferred: string;
  // logmedic test
  selfTestOk: (patterns: number, samples: number, engines: string) => string;
  selfTestFailed: (problems: number, patterns: number, samples: number) => string;
  matchedLines: string;
  unmatchedErrors: (n: number) => string;
  linesMatched: (n: number) => string;
  noPatternMatched: string;
}

const en: Strings = {
  lang: 'en',
  foundError: 'Found error',
  recommended: 'Recommended recovery actions:',
  noAutomaticAction: 'No safe automatic action:',
  noFailures: 'No failure found.',
  records: (n) => (n === 1 ? '1 record' : `${n} records`),
  span: 'time span',
  at: 'at',
  topMessages: 'Top messages:',
  innermostFrame: 'Innermost frame',
  timeline: 'Per minute',
  line: 'line',
  summary: (types, records, files, lines, ms) =>
    `${types} error type${types === 1 ? '' : 's'}, ${records} record${records === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${lines} line${lines === 1 ? '' : 's'}, ${ms.toFixed(0)} ms)`,
  changed: (file) => `warning: ${file} changed while it was read; results cover what was read`,
  justifiedBy: 'because of',
  unrecognised: (lines, templates) =>
    `Unrecognised: ${lines} error-level line${lines === 1 ? '' : 's'} that no pattern matched, ${templates} template${templates === 1 ? '' : 's'} (types inferred by the model, not matched):`,
  moreTemplates: (lines) => `… ${lines} more line${lines === 1 ? '' : 's'} in other templates (--json lists more)`,
  inferred: (type, confidence) => `inferred ${type} (${Math.round(confidence * 100)}%)`,
  notInferred: 'no confident type',
  selfTestOk: (patterns, samples, engines) => `catalog self-test passed: ${patterns} patterns, ${samples} samples (${engines})`,
  selfTestFailed: (problems, patterns, samples) => `catalog self-test FAILED: ${problems} problem(s) in ${patterns} patterns, ${samples} samples`,
  matchedLines: 'Records matched per pattern:',
  unmatchedErrors: (n) => `Error-level lines that no pattern matched: ${n}`,
  linesMatched: (n) => (n === 1 ? '1 record' : `${n} records`),
  noPatternMatched: 'No pattern matched any record.',
};

const zh: Strings = {
  lang: 'zh',
  foundError: '发现错误',
  recommended: '推荐的恢复操作:',
  noAutomaticAction: '没有安全的自动操作:',
  noFailures: '未发现故障。',
  records: (n) => `${n} 条记录`,
  span: '时间范围',
  at: '时间',
  topMessages: '主要消息:',
  innermostFrame: '最内层帧',
  timeline: '每分钟',
  line: '行',
  summary: (types, records, files, lines, ms) => `${types} 种错误类型, ${records} 条记录, ${files} 个文件 (${lines} 行, ${ms.toFixed(0)} 毫秒)`,
  changed: (file) => `警告: ${file} 在读取时发生了变化; 结果仅涵盖已读取的内容`,
  justifiedBy: '依据',
  unrecognised: (lines, templates) => `未识别: ${lines} 条没有任何模式匹配的错误级别行, ${templates} 个模板 (类型由模型推断, 非模式匹配):`,
  moreTemplates: (lines) => `… 其他模板中还有 ${lines} 行 (--json 列出更多)`,
  inferred: (type, confidence) => `推断为 ${type} (${Math.round(confidence * 100)}%)`,
  notInferred: '无可信类型',
  selfTestOk: (patterns, samples, engines) => `模式库自检通过: ${patterns} 个模式, ${samples} 个样例 (${engines})`,
  selfTestFailed: (problems, patterns, samples) => `模式库自检失败: ${patterns} 个模式, ${samples} 个样例中有 ${problems} 个问题`,
  matchedLines: '每个模式匹配的记录:',
  unmatchedErrors: (n) => `没有任何模式匹配的错误级别行: ${n}`,
  linesMatched: (n) => `${n} 条记录`,
  noPatternMatched: '没有任何模式匹配。',
};

/** The language for `--lang` (if given) or the locale. */
export function pickLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag !== undefined) return flag.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  // POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG.
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh([_-]|$)/i.test(locale) ? 'zh' : 'en';
}

export function strings(lang: Lang): Strings {
  return lang === 'zh' ? zh : en;
}
