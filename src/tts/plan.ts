// The checks and the split of one HTTP synthesis, before any request: the options validated and
// defaulted, the text cut into request-sized parts (tts/sentences.ts), the markup of each part
// checked as one request (tts/markup.ts), and the model warnings handed to the caller.
import { checkMarkup } from './markup.js';
import type { WarningListener } from './model-checks.js';
import { TTS_HTTP_MAX_TEXT_CHARS, synthesisWarnings, validateSynthesisOptions, type ResolvedSynthesisOptions, type SynthesisOptions } from './options.js';
import { chunkText } from './sentences.js';

/** Throws a ValidationError for anything a request would be refused for; returns the parts to request. */
export function planSynthesis(
  options: SynthesisOptions,
  maxTextChars: number = TTS_HTTP_MAX_TEXT_CHARS,
  onWarning?: WarningListener,
): { resolved: ResolvedSynthesisOptions; parts: string[] } {
  const resolved = validateSynthesisOptions(options);
  const parts = options.text.length <= maxTextChars ? [options.text] : chunkText(options.text, maxTextChars);
  parts.forEach((part, index) => checkMarkup(part, { subject: parts.length === 1 ? 'The text' : `Part ${index + 1} of ${parts.length} of the text` }));
  if (onWarning) for (const warning of synthesisWarnings(options)) onWarning(warning);
  return { resolved, parts };
}
