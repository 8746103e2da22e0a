// The book library: readers that turn .txt, .md and .epub files into chapters, and the helpers
// `inworld book` uses to pick and list them.
export type { Book, BookChapter, BookFormat } from './book.js';
export { readBook, MAX_TEXT_BOOK_BYTES, type ReadBookOptions } from './read-book.js';
export { parseChapterSpec, selectChapters, type ChapterRange } from './chapter-selection.js';
export { describeChapters, countWords, type ChapterSummary } from './chapter-summary.js';
export { MAX_EPUB_ENTRY_BYTES, MAX_EPUB_TOTAL_BYTES } from './epub-archive.js';
