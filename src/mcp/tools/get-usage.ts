// The `get_usage` tool: what this server session has used so far (usage.ts keeps the books).
import { RECENT_CALLS_KEPT } from '../usage.js';
import { defineTool, type ToolContext, type Zod } from '../tool-kit.js';

export function getUsageTool(z: Zod, context: ToolContext) {
  return defineTool({
    name: 'get_usage',
    title: 'Usage of this session',
    description:
      'Reports what this MCP server session has used since it started: characters synthesized, seconds of audio produced or transcribed, API requests, calls and errors, in total and per tool, and the last calls one by one (this call not included).',
    inputSchema: z.strictObject({
      last: z.int().min(0).max(RECENT_CALLS_KEPT).optional().describe(`How many of the last calls to list, 0..${RECENT_CALLS_KEPT}; default 20.`),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args) {
      const report = context.usage.report(args.last ?? 20);
      return { summary: `${report.totals.calls} call(s) since ${report.since}.`, result: { ...report } };
    },
  });
}
