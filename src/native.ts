// Loads the napi-rs addon built into native/ (see `npm run build:native`).
import { createRequire } from 'node:module';
import type * as Binding from '../native/index.cjs';

const require = createRequire(import.meta.url);

export type NativeBinding = typeof Binding;
export type { ScanResult, PatternResult, Hit, ScanOptions as NativeScanOptions, JobProgress } from '../native/index.cjs';

export const native: NativeBinding = require('../native/index.cjs');
