// What a doctor check reports: its status, what was found, and the fix.

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  label: string;
  status: CheckStatus;
  /** What was found, one line. */
  detail: string;
  /** What to do about it (absent when nothing needs doing). */
  fix?: string;
  /** A failure of a required check makes the command exit 1. */
  required: boolean;
  /** How long the thing measured took, where that is the point (network, voices call). */
  ms?: number;
}

/** A check that did not run because an earlier one failed or had nothing to give it. */
export function skipped(id: string, label: string, why: string): CheckResult {
  return { id, label, status: 'skip', detail: `skipped: ${why}`, required: false };
}
