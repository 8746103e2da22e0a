// Which lines of a plain-text book are chapter headings. The rule (docs/books.md):
//   - a paragraph of one line that is a label and a number: "Chapter 3", "CHAPTER III",
//     "Chapter Three", "Part 2", "Book IV", "Volume 1", "Section 12", optionally followed by
//     ".", ":" or a dash and a title on the same line ("Chapter 3: The Storm", "CHAPTER I. LOOMINGS");
//   - or a named part alone: Prologue, Epilogue, Preface, Foreword, Introduction, Afterword,
//     Interlude, Appendix (also with a title after a separator);
//   - the heading line may be followed directly, with no blank line, by one short subtitle line;
//   - the paragraph has blank lines (or a page break, or the file's start or end) on both sides.
// Numbers are digits, valid Roman numerals, or English number words up to ninety-nine.

const MAX_HEADING_CHARS = 80;

const LABELS = 'chapter|part|book|volume|section';
const NAMED_PARTS = 'prologue|epilogue|preface|foreword|introduction|afterword|interlude|appendix';
const UNITS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const NUMBER_WORD = `(?:(?:${TENS.join('|')})(?:[- ](?:${UNITS.join('|')}))?|${TEENS.join('|')}|${UNITS.join('|')})`;
/** A title after the number or name needs a separator: ".", ":" or a dash (so "Part 2 of it" is text). */
const SEPARATED_TITLE = String.raw`\s*(?:[.:]\s*[-\u2013\u2014]?|[-\u2013\u2014])\s*(.*)`;

const NUMBERED = new RegExp(String.raw`^(${LABELS})\s+(\d{1,4}|[ivxlcdm]+|${NUMBER_WORD})(?:${SEPARATED_TITLE})?$`, 'iu');
const NAMED = new RegExp(String.raw`^(${NAMED_PARTS})(?:${SEPARATED_TITLE})?$`, 'iu');
const ROMAN = /^m{0,4}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/i;

/** A recognised heading: what a player lists and what is read aloud. */
export interface TextHeading {
  title: string;
  spoken: string;
}

/** The heading a paragraph (its lines, trimmed) stands for, or undefined when it is text. */
export function headingOf(lines: readonly string[]): TextHeading | undefined {
  if (lines.length === 0 || lines.length > 2) return undefined;
  const first = lines[0]!.replace(/\s+/g, ' ');
  if (first.length > MAX_HEADING_CHARS) return undefined;
  const heading = numberedHeading(first) ?? namedHeading(first);
  if (!heading) return undefined;
  const subtitle = lines[1]?.replace(/\s+/g, ' ');
  if (subtitle === undefined) return heading;
  if (subtitle.length > MAX_HEADING_CHARS || !/[\p{L}\p{N}]/u.test(subtitle)) return undefined;
  const label = heading.title.replace(/[\s.:\u2013\u2014-]+$/u, '');
  return { title: `${label}: ${subtitle}`, spoken: `${heading.spoken.replace(/[\s.:\u2013\u2014-]+$/u, '')}. ${subtitle}` };
}

function numberedHeading(line: string): TextHeading | undefined {
  const match = NUMBERED.exec(line);
  if (!match) return undefined;
  const [, label, number, title] = match as unknown as [string, string, string, string | undefined];
  const value = numberValue(number);
  if (value === undefined) return undefined;
  const spokenLabel = `${label} ${value}`;
  return { title: line, spoken: title ? `${spokenLabel}. ${title}` : spokenLabel };
}

function namedHeading(line: string): TextHeading | undefined {
  const match = NAMED.exec(line);
  if (!match) return undefined;
  const [, name, title] = match as unknown as [string, string, string | undefined];
  return { title: line, spoken: title ? `${name}. ${title}` : name };
}

/**
 * The number as it should be spoken: digits and number words as written, a Roman numeral as
 * digits (a voice reads "Chapter IV" as letters); undefined for letters that are not a numeral.
 */
function numberValue(number: string): string | undefined {
  if (/^\d+$/.test(number)) return number;
  if (/^[ivxlcdm]+$/i.test(number)) return ROMAN.test(number) ? String(romanValue(number)) : undefined;
  return number;
}

const ROMAN_DIGITS: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };

export function romanValue(numeral: string): number {
  let total = 0;
  const letters = numeral.toLowerCase();
  for (let index = 0; index < letters.length; index++) {
    const value = ROMAN_DIGITS[letters[index]!]!;
    const next = ROMAN_DIGITS[letters[index + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}
