// Splits text into `send_text` pieces no longer than the per-message limit, at word boundaries,
// so a long sentence never draws the server's length error (LiveKit's TypeScript plugin does not split; we do).
import { SEND_TEXT_MAX_CHARS } from './ws-protocol.js';

/**
 * Pieces concatenate back to exactly `text`. Each piece ends after whitespace when there is any in
 * range; a single word longer than the limit is cut hard, never inside a surrogate pair.
 */
export function splitForSendText(text: string, maxChars: number = SEND_TEXT_MAX_CHARS): string[] {
  if (maxChars < 2) throw new RangeError('maxChars must be at least 2');
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    let cut = -1;
    for (let i = maxChars; i > 0; i--) {
      if (/\s/.test(rest[i - 1]!)) {
        cut = i;
        break;
      }
    }
    if (cut <= 0) {
      cut = maxChars;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep a surrogate pair together
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}
