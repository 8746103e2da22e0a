// HTML and XHTML to speakable paragraphs, with htmlparser2's tokenizer (for EPUB content
// documents and HTML inside Markdown). Block elements end paragraphs; headings and list items end
// as sentences; table rows are read one per paragraph with their cells separated by commas.
// Dropped: the head, scripts, styles, SVG and MathML, ruby annotations, hidden elements, images,
// footnote bodies (asides marked as footnotes or endnotes) and footnote markers (links marked as
// note references, or in-page links whose text is only a marker such as "1", "[2]" or "*").
import type { Parser as HtmlParser } from 'htmlparser2';
import { asSentence, foldWhitespace } from './speakable.js';

type ParserClass = typeof HtmlParser;

const DROPPED = new Set(['head', 'title', 'script', 'style', 'svg', 'math', 'rt', 'rp', 'template', 'noscript', 'nav', 'img', 'object', 'iframe']);
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'blockquote', 'figure', 'pre', 'address',
  'ul', 'ol', 'dl', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'hr', 'body', 'html', 'center', 'hgroup', 'details', 'summary', 'caption',
]);
const SENTENCE_BLOCKS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'figcaption', 'caption', 'summary']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const CELLS = new Set(['td', 'th']);
const NOTE_TYPES = /\b(footnote|endnote|rearnote|note)\b/;
const NOTE_ROLES = /\bdoc-(footnote|endnote)\b/;
const NOTE_MARKER = /^\s*[[(]?\s*(\d{1,4}|[*†‡§¶]{1,3}|[a-z])\s*[\])]?\s*$/i;

/** What an HTML document says: its paragraphs, and its first heading (a title when the TOC has none). */
export interface HtmlText {
  paragraphs: string[];
  firstHeading?: string;
}

let parserClass: ParserClass | undefined;

/** Loads htmlparser2 once, when a book first needs it (it is not part of the CLI's start-up). */
export async function loadHtmlParser(): Promise<ParserClass> {
  parserClass ??= (await import('htmlparser2')).Parser;
  return parserClass;
}

/** The speakable paragraphs of `html`; call loadHtmlParser() first. */
export function htmlToText(html: string): HtmlText {
  const reader = new HtmlSpeechReader();
  const parser = new (requireParser())(reader.handlers(), { decodeEntities: true, recognizeSelfClosing: true, lowerCaseAttributeNames: true });
  parser.write(html);
  parser.end();
  return reader.result();
}

/** `text` with its character references decoded ("&amp;" -> "&"), for Markdown text tokens. */
export function decodeCharacterReferences(text: string): string {
  if (!text.includes('&')) return text;
  const parts: string[] = [];
  const parser = new (requireParser())({ ontext: (chunk) => parts.push(chunk) }, { decodeEntities: true });
  parser.write(text.replace(/</g, '&lt;'));
  parser.end();
  return parts.join('');
}

function requireParser(): ParserClass {
  if (!parserClass) throw new Error('htmlToText needs loadHtmlParser() first');
  return parserClass;
}

/** The event handlers' state: what is being collected and what is being skipped. */
class HtmlSpeechReader {
  private readonly paragraphs: string[] = [];
  private parts: string[] = [];
  private firstHeading: string | undefined;
  /** Open elements inside a dropped one (0 when reading). */
  private skipDepth = 0;
  /** Text of an in-page link, held back until it is known whether it is a footnote marker. */
  private anchorParts: string[] | undefined;
  private anchorDepth = 0;
  private headingStart: number | undefined;

  handlers(): Partial<ConstructorParameters<ParserClass>[0]> & object {
    return {
      onopentag: (name: string, attributes: Record<string, string>) => this.open(name, attributes),
      onclosetag: (name: string) => this.close(name),
      ontext: (text: string) => this.text(text),
    };
  }

  result(): HtmlText {
    this.flush(false);
    return { paragraphs: this.paragraphs, firstHeading: this.firstHeading };
  }

  private open(name: string, attributes: Record<string, string>): void {
    if (this.skipDepth > 0 || isDropped(name, attributes)) {
      this.skipDepth++;
      return;
    }
    if (this.anchorParts) this.anchorDepth++;
    else if (name === 'a' && (attributes.href ?? '').includes('#')) {
      this.anchorParts = [];
      this.anchorDepth = 1;
      return;
    }
    if (BLOCKS.has(name) || SENTENCE_BLOCKS.has(name)) this.flush(false);
    if (HEADINGS.has(name)) this.headingStart = this.paragraphs.length;
    if (CELLS.has(name) && this.parts.length > 0) this.parts.push(', ');
    if (name === 'br') this.parts.push(' ');
  }

  private close(name: string): void {
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    if (this.anchorParts) {
      if (--this.anchorDepth > 0) return;
      const text = this.anchorParts.join('');
      this.anchorParts = undefined;
      if (!NOTE_MARKER.test(text)) this.parts.push(text);
      return;
    }
    if (SENTENCE_BLOCKS.has(name)) this.flush(true);
    else if (BLOCKS.has(name)) this.flush(false);
    if (HEADINGS.has(name) && this.firstHeading === undefined && this.headingStart !== undefined) {
      const heading = this.paragraphs.slice(this.headingStart).join(' ');
      if (heading !== '') this.firstHeading = heading.replace(/[.]$/, '');
    }
  }

  private text(text: string): void {
    if (this.skipDepth > 0) return;
    (this.anchorParts ?? this.parts).push(text);
  }

  private flush(asSentenceEnd: boolean): void {
    if (this.parts.length === 0) return;
    const folded = foldWhitespace(this.parts.join(''));
    this.parts = [];
    if (folded === '' || !/[\p{L}\p{N}]/u.test(folded)) return;
    this.paragraphs.push(asSentenceEnd ? asSentence(folded) : folded);
  }
}

function isDropped(name: string, attributes: Record<string, string>): boolean {
  if (DROPPED.has(name)) return true;
  if ('hidden' in attributes || attributes['aria-hidden'] === 'true') return true;
  const type = attributes['epub:type'] ?? '';
  const role = attributes.role ?? '';
  if (name === 'a' && (/\bnoteref\b/.test(type) || role === 'doc-noteref')) return true;
  return name === 'aside' && (NOTE_TYPES.test(type) || NOTE_ROLES.test(role));
}
