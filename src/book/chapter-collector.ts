// Gathers chapters as a reader walks its source, in reading order. A heading with no text of its
// own before the next heading ("Part One" straight before "Chapter 1") is not a chapter a player
// should list: its spoken heading opens the next chapter instead. A chapter with no speakable text
// at the end is dropped. Numbers are given last, so they count only the chapters that remain.
import type { BookChapter } from './book.js';
import { asSentence, foldWhitespace, ParagraphList } from './speakable.js';

interface DraftChapter {
  title: string;
  /** Spoken headings that open the chapter (its own, and any carried from empty ones before it). */
  headings: string[];
  body: ParagraphList;
}

export class ChapterCollector {
  private readonly drafts: DraftChapter[] = [];
  private current: DraftChapter | undefined;

  /**
   * Opens a chapter. `spokenHeading` is read aloud as its first line (a heading in the source);
   * omit it when the title is only for the player (a file name, a table-of-contents label).
   */
  startChapter(title: string, spokenHeading?: string): void {
    const carried = this.current && this.current.body.isEmpty ? this.current.headings : [];
    if (this.current && !this.current.body.isEmpty) this.drafts.push(this.current);
    const headings = [...carried];
    if (spokenHeading !== undefined && foldWhitespace(spokenHeading) !== '') headings.push(asSentence(spokenHeading));
    this.current = { title: foldWhitespace(title), headings, body: new ParagraphList() };
  }

  /** Adds a paragraph to the open chapter (opening an untitled one first if none is open). */
  addParagraph(paragraph: string): void {
    if (!this.current) this.startChapter('');
    this.current!.body.add(paragraph);
  }

  /** True while no chapter has any text yet (nothing but headings so far). */
  get hasText(): boolean {
    return this.drafts.length > 0 || (this.current !== undefined && !this.current.body.isEmpty);
  }

  /** The chapters with text, numbered from 1; a chapter without a title is called "Chapter N". */
  finish(): BookChapter[] {
    if (this.current && !this.current.body.isEmpty) this.drafts.push(this.current);
    this.current = undefined;
    return this.drafts.map((draft, index) => {
      const number = index + 1;
      const body = draft.body.text();
      const text = draft.headings.length > 0 ? `${draft.headings.join('\n\n')}\n\n${body}` : body;
      return { number, title: draft.title || `Chapter ${number}`, text };
    });
  }
}
