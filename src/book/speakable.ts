// Small text helpers every reader shares: whitespace folded the way a listener hears it, lines
// that carry no words (scene breaks such as "* * *"), sentence ends for headings and list items,
// and a builder that collects paragraphs without quadratic string concatenation.

/** Any run of whitespace (newlines, tabs, no-break spaces) folded into one space, ends trimmed. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** True when the text has nothing a voice would say: no letter and no digit ("* * *", "---", "§"). */
export function isWordless(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}

/**
 * The text ending in a sentence mark, so a heading or a list item is spoken as its own sentence
 * (with the pause that goes with it) instead of running into the next one.
 */
export function asSentence(text: string): string {
  const folded = foldWhitespace(text);
  if (folded === '' || /[.!?…:;。！？]["'”’)\]»]*$/u.test(folded)) return folded;
  return `${folded}.`;
}

/** Collects paragraphs in order; the chapter text is joined once at the end. */
export class ParagraphList {
  private readonly paragraphs: string[] = [];
  private characters = 0;

  /** Adds a paragraph; blank and wordless ones are dropped. */
  add(paragraph: string): void {
    const folded = foldWhitespace(paragraph);
    if (folded === '' || isWordless(folded)) return;
    this.paragraphs.push(folded);
    this.characters += folded.length;
  }

  get isEmpty(): boolean {
    return this.paragraphs.length === 0;
  }

  /** The paragraphs separated by a blank line, as BookChapter.text holds them. */
  text(): string {
    return this.paragraphs.join('\n\n');
  }

  get length(): number {
    return this.characters;
  }
}

/** The file name without its folder and extension, as a title: "my-book.md" -> "my-book". */
export function titleFromFileName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.replace(/\.[^.]+$/, '');
  return foldWhitespace(stem) || base || 'Book';
}
