// The one way a command turns the config in effect into a LogAnalyzer: the config's catalog
// (built-in types and patterns plus its `catalog:` additions, merged when it was validated)
// and its `actionMap`, so that analyze, test, recover and the shell report the same things.
import { LogAnalyzer, type LogAnalyzerOptions } from '../diagnosis/analyzer.js';
import type { LogmedicConfig } from './types.js';

/** The analyzer options a config decides: its catalog and its actions per type. */
export function analyzerOptionsFromConfig(config: LogmedicConfig): Pick<LogAnalyzerOptions, 'catalog' | 'actionMap'> {
  return {
    ...(config.catalog ? { catalog: config.catalog } : {}),
    ...(Object.keys(config.actionMap).length > 0 ? { actionMap: config.actionMap } : {}),
  };
}

/** A LogAnalyzer for `config`; `options` add the command's own (engine, threads, time window…). */
export function analyzerFromConfig(config: LogmedicConfig, options: Omit<LogAnalyzerOptions, 'catalog' | 'actionMap'> = {}): LogAnalyzer {
  return new LogAnalyzer({ ...options, ...analyzerOptionsFromConfig(config) });
}
