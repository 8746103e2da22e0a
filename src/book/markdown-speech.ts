// What a listener hears of Markdown tokens. Read: headings, paragraphs, block quotes, lists (each
// item a sentence), tables (each row a sentence of "header: cell" pairs), link text, image alt
// text, emphasis and inline code as plain text, the text inside HTML. Skipped: code blocks (code
// read aloud helps no listener), HTML tags and comments, link definitions, rules, task checkboxes.
import type { Token, Tokens } from 'marked';
import { decodeCharacterReferences, htmlToText } from './html-text.js';
import { asSentence, foldWhitespace } from './speakable.js';

/** One top-level unit of a Markdown book: a heading (with its level) or a paragraph. */
export type MarkdownItem = { kind: 'heading'; depth: number; text: string } | { kind: 'paragraph'; text: string };

/** Appends what `token` says to `items`. */
export function speakBlock(token: Token, items: MarkdownItem[]): void {
  switch (token.type) {
    case 'heading': {
      const text = foldWhitespace(speakInline((token as Tokens.Heading).tokens));
      if (text !== '') items.push({ kind: 'heading', depth: (token as Tokens.Heading).depth, text });
      return;
    }
    case 'list':
      items.push({ kind: 'paragraph', text: speakList(token as Tokens.List) });
      return;
    case 'table':
      for (const row of speakTable(token as Tokens.Table)) items.push({ kind: 'paragraph', text: row });
      return;
    case 'blockquote':
      for (const inner of (token as Tokens.Blockquote).tokens) speakBlock(inner, items);
      return;
    case 'html':
      for (const paragraph of htmlToText((token as Tokens.HTML).text).paragraphs) items.push({ kind: 'paragraph', text: paragraph });
      return;
    case 'code':
    case 'space':
    case 'hr':
    case 'def':
      return;
    default: {
      const text = blockText(token);
      if (text !== '') items.push({ kind: 'paragraph', text });
    }
  }
}

/** Paragraph-like tokens (paragraph, text, extensions) as one line of text. */
function blockText(token: Token): string {
  const withTokens = token as { tokens?: Token[]; text?: string };
  if (withTokens.tokens) return foldWhitespace(speakInline(withTokens.tokens));
  return typeof withTokens.text === 'string' ? foldWhitespace(decodeCharacterReferences(withTokens.text)) : '';
}

/** A list as sentences: each item (and each nested item) ends as a sentence. */
function speakList(list: Tokens.List): string {
  const sentences: string[] = [];
  for (const item of list.items) {
    const own: string[] = [];
    for (const inner of item.tokens) {
      if (inner.type === 'list') {
        if (own.length > 0) sentences.push(asSentence(own.join(' ')));
        own.length = 0;
        sentences.push(speakList(inner as Tokens.List));
      } else if (inner.type !== 'code' && inner.type !== 'space' && inner.type !== 'checkbox') {
        const nested: MarkdownItem[] = [];
        speakBlock(inner, nested);
        for (const part of nested) own.push(part.text);
      }
    }
    if (own.length > 0) sentences.push(asSentence(own.join(' ')));
  }
  return sentences.filter((sentence) => sentence !== '').join(' ');
}

/** Each body row as "header: cell; header: cell." (empty cells left out). */
function speakTable(table: Tokens.Table): string[] {
  const headers = table.header.map((cell) => foldWhitespace(speakInline(cell.tokens)));
  const rows: string[] = [];
  for (const row of table.rows) {
    const pairs: string[] = [];
    row.forEach((cell, index) => {
      const text = foldWhitespace(speakInline(cell.tokens));
      if (text === '') return;
      const header = headers[index] ?? '';
      pairs.push(header === '' ? text : `${header}: ${text}`);
    });
    if (pairs.length > 0) rows.push(asSentence(pairs.join('; ')));
  }
  return rows;
}

/** Inline tokens as plain text. */
export function speakInline(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  const parts: string[] = [];
  for (const token of tokens) parts.push(inlineText(token));
  return parts.join('');
}

function inlineText(token: Token): string {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? speakInline(text.tokens) : decodeCharacterReferences(text.text);
    }
    case 'escape':
    case 'codespan':
      return (token as Tokens.Escape | Tokens.Codespan).text;
    case 'image':
      return decodeCharacterReferences((token as Tokens.Image).text);
    case 'br':
      return ' ';
    case 'html':
      // Tags are dropped; a line break or a tag between words must still part them.
      return ' ';
    case 'checkbox':
      return '';
    default: {
      const other = token as { tokens?: Token[]; text?: string };
      if (other.tokens) return speakInline(other.tokens);
      return typeof other.text === 'string' ? other.text : '';
    }
  }
}
