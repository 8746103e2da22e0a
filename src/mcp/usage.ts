// What this server session has used, for the `get_usage` tool: totals since the server started,
// per tool, and the last calls one by one. Kept in memory only; a new session starts at zero.

/** What one tool call used (the fields a tool does not use are absent). */
export interface CallUsage {
  /** Characters of text synthesized: the count the service billed when it sent one, else the text's length. */
  characters?: number;
  /** Seconds of audio produced (speak, design previews) or transcribed. */
  audioSeconds?: number;
  /** Requests made to the Inworld API (retries not counted). */
  requests?: number;
}

/** One finished call. */
export interface CallRecord extends CallUsage {
  tool: string;
  /** ISO time the call started. */
  at: string;
  ms: number;
  ok: boolean;
  /** The error message, for calls that failed. */
  error?: string;
}

export interface UsageTotals {
  calls: number;
  errors: number;
  characters: number;
  audioSeconds: number;
  requests: number;
}

export interface UsageReport {
  since: string;
  totals: UsageTotals;
  byTool: Record<string, UsageTotals>;
  recent: CallRecord[];
}

/** Calls kept one by one; older ones still count in the totals. */
export const RECENT_CALLS_KEPT = 100;

function emptyTotals(): UsageTotals {
  return { calls: 0, errors: 0, characters: 0, audioSeconds: 0, requests: 0 };
}

function add(totals: UsageTotals, call: CallRecord): void {
  totals.calls += 1;
  if (!call.ok) totals.errors += 1;
  totals.characters += call.characters ?? 0;
  totals.audioSeconds += call.audioSeconds ?? 0;
  totals.requests += call.requests ?? 0;
}

function rounded(totals: UsageTotals): UsageTotals {
  return { ...totals, audioSeconds: Math.round(totals.audioSeconds * 1000) / 1000 };
}

export class UsageLedger {
  private readonly since = new Date().toISOString();
  private readonly totals = emptyTotals();
  private readonly byTool = new Map<string, UsageTotals>();
  private readonly recent: CallRecord[] = [];

  record(call: CallRecord): void {
    add(this.totals, call);
    let tool = this.byTool.get(call.tool);
    if (!tool) this.byTool.set(call.tool, (tool = emptyTotals()));
    add(tool, call);
    this.recent.push(call);
    if (this.recent.length > RECENT_CALLS_KEPT) this.recent.shift();
  }

  /** The totals, and the last `last` calls, newest last. */
  report(last = 20): UsageReport {
    const byTool: Record<string, UsageTotals> = {};
    for (const [name, totals] of this.byTool) byTool[name] = rounded(totals);
    return { since: this.since, totals: rounded(this.totals), byTool, recent: last > 0 ? this.recent.slice(-last) : [] };
  }
}
