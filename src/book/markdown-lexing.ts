// Markdown into marked's top-level tokens, a slice at a time. Lexing a whole 10 MB file at once
// holds every token of it (well over 150 MB), so a source longer than WHOLE_LEX_MAX_CHARS is
// lexed in windows of about LEX_WINDOW_CHARS that end at a blank line, and the last token of each
// window (which may have been cut) is lexed again at the start of the next. Small windows keep
// each one's tokens short-lived, so the garbage collector frees them young. Link reference
// definitions carry forward: in a windowed file a reference resolves when its definition came
// earlier. YAML (---) or TOML (+++) front matter at the very start is skipped.
import type { Lexer as MarkedLexer, Token, TokensList } from 'marked';

export type { Token };

type LexerClass = typeof MarkedLexer;

export const LEX_WINDOW_CHARS = 32 * 1024;
/** Up to this length a source is lexed at once (its tokens fit easily; references resolve anywhere). */
export const WHOLE_LEX_MAX_CHARS = 512 * 1024;

/** The source as marked sees it: no byte-order mark, "\n" line ends, no front matter. */
export function prepareMarkdown(source: string): string {
  const text = (source.charCodeAt(0) === 0xfeff ? source.slice(1) : source).replace(/\r\n?/g, '\n');
  return withoutFrontMatter(text);
}

function withoutFrontMatter(text: string): string {
  const fence = text.startsWith('---\n') ? '---' : text.startsWith('+++\n') ? '+++' : undefined;
  if (!fence) return text;
  let lineStart = 4;
  while (lineStart < text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).trimEnd();
    if (line === fence || (fence === '---' && line === '...')) return lineEnd === -1 ? '' : text.slice(lineEnd + 1);
    if (lineEnd === -1) break;
    lineStart = lineEnd + 1;
  }
  return text;
}

/** Top-level tokens of `source` (already prepared) in order, one window's worth at a time. */
export function* lexInWindows(Lexer: LexerClass, source: string, windowChars = LEX_WINDOW_CHARS, wholeMaxChars = WHOLE_LEX_MAX_CHARS): Generator<Token[]> {
  const links: TokensList['links'] = Object.create(null);
  let offset = 0;
  let window = source.length <= wholeMaxChars ? source.length : windowChars;
  while (offset < source.length) {
    const end = windowEnd(source, offset + window);
    const lexer = new Lexer({ gfm: true });
    Object.assign(lexer.tokens.links, links);
    const tokens = lexer.lex(source.slice(offset, end));
    Object.assign(links, tokens.links);
    if (end >= source.length) {
      yield tokens;
      return;
    }
    const kept = tokens.slice(0, lastContentIndex(tokens));
    const consumed = kept.reduce((length, token) => length + token.raw.length, 0);
    if (kept.length === 0 || consumed === 0 || !source.startsWith(kept.map((token) => token.raw).join(''), offset)) {
      // One token fills the window (a long code block or table): lex a wider one.
      window *= 2;
      continue;
    }
    yield kept;
    offset += consumed;
    window = windowChars;
  }
}

/** The end of the line after the next blank line at or after `from` (or the source's end). */
function windowEnd(source: string, from: number): number {
  if (from >= source.length) return source.length;
  const blank = source.indexOf('\n\n', from);
  return blank === -1 ? source.length : blank + 2;
}

/** The index of the last token that is not blank space: it may continue past the window. */
function lastContentIndex(tokens: Token[]): number {
  for (let index = tokens.length - 1; index >= 0; index--) if (tokens[index]!.type !== 'space') return index;
  return 0;
}
