/** The public API of configuration: load, types, ingest rules, redaction for logs. */
export { loadConfig, loadConfigOrExit } from './load-config.js';
export type { ExitIo } from './load-config.js';
export type { Config, BusKind, AuthMode, LogLevel } from './config-types.js';
export type { Env } from './env-reader.js';
export { DEFAULT_INGEST_RULES, parseIngestRules, placeholdersOf } from './ingest-rules.js';
export type { IngestRule, ZipRule, ReportRule } from './ingest-rules.js';
export { redactConfig } from './redact-config.js';
export { deepFreeze } from './deep-freeze.js';
export { parseSourceGrants, internalPrefixProblems } from './source-grants.js';
