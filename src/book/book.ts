// What a book reader produces and the synthesis side consumes: chapters of speakable text, in
// reading order. Readers (plain text, Markdown, EPUB) turn markup into what a listener should
// hear; nothing downstream parses markup again.

/** One chapter, ready to speak. */
export interface BookChapter {
  /** 1-based position in the book, as `--chapters 3-5` counts. */
  number: number;
  /** The heading a player shows in its chapter list (never empty: "Chapter 3" when the source has none). */
  title: string;
  /**
   * The text to synthesize, markup removed; paragraphs separated by a blank line. It opens with
   * the chapter's heading as the source writes it (read aloud, as an audiobook announces its
   * chapters) when the source has one; a title taken from a file name or a TOC label is not added.
   */
  text: string;
}

export type BookFormat = 'txt' | 'md' | 'epub';

export interface Book {
  format: BookFormat;
  /** The book's title when the source names one (EPUB metadata, a Markdown title heading). */
  title?: string;
  author?: string;
  /** BCP-47 language from the EPUB metadata, when present. */
  language?: string;
  chapters: BookChapter[];
}
