// The `list_voices` tool: the voices this key can use, filtered by language, gender, age group and
// source, shortened to the fields an assistant needs to pick one.
import type { Voice } from '../../voices/types.js';
import { defineTool, type ToolContext, type Zod } from '../tool-kit.js';

/** Voices returned by default; the whole catalogue can be several hundred. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function summary(voice: Voice): Record<string, unknown> {
  return {
    id: voice.id,
    displayName: voice.displayName,
    languages: voice.languages,
    ...(voice.gender ? { gender: voice.gender } : {}),
    ...(voice.ageGroup ? { ageGroup: voice.ageGroup } : {}),
    ...(voice.description ? { description: voice.description } : {}),
    ...(voice.tags.length > 0 ? { tags: voice.tags } : {}),
    isCustom: voice.isCustom,
  };
}

export function listVoicesTool(z: Zod, context: ToolContext) {
  return defineTool({
    name: 'list_voices',
    title: 'List Inworld voices',
    description:
      'Lists the Inworld TTS voices available to this key (built-in and your cloned or designed ones), optionally filtered. Use a voice\'s id as the voice argument of speak.',
    inputSchema: z.strictObject({
      language: z.string().min(2).optional().describe('Only voices for this language: a base code (en, ja) or BCP-47 (en-US).'),
      gender: z.enum(['female', 'male', 'neutral']).optional().describe('Only voices of this gender.'),
      age_group: z.enum(['young', 'adult', 'middle_aged', 'elderly']).optional().describe('Only voices of this age group.'),
      source: z.enum(['system', 'custom']).optional().describe('Only built-in voices, or only your cloned and designed ones.'),
      limit: z.int().min(1).max(MAX_LIMIT).optional().describe(`Return at most this many voices; default ${DEFAULT_LIMIT}.`),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, signal) {
      const listing = await context.inworld.voices.listDetailed({ language: args.language, gender: args.gender, ageGroup: args.age_group, source: args.source, signal });
      const limit = args.limit ?? DEFAULT_LIMIT;
      const voices = listing.voices.slice(0, limit).map(summary);
      return {
        summary: `${listing.voices.length} voice(s)${listing.voices.length > limit ? `, first ${limit} shown` : ''}.`,
        result: {
          count: listing.voices.length,
          truncated: listing.voices.length > limit,
          voices,
          ...(listing.ignoredFilters.length > 0 ? { ignoredFilters: listing.ignoredFilters } : {}),
        },
        usage: { requests: 1 },
      };
    },
  });
}
