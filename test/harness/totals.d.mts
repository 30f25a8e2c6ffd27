/** Types for totals.mjs (plain JavaScript so the runner needs no build). */
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface Verdict extends Counts {
  /** Why one extra failure was counted: no totals printed, a crash, a timeout. */
  problem?: string;
}

export interface FileRun {
  output: string;
  exitCode: number | null;
  signal?: NodeJS.Signals | null;
  timedOutAfterSeconds?: number;
}

export function stripAnsi(text: string): string;
export function parseTotals(output: string): Counts | undefined;
export function judgeFile(run: FileRun): Verdict;
export function describeCounts(counts: Counts): string;
export function summaryLine(counts: Counts): string;
