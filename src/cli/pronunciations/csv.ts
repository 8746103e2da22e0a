// A small strict CSV reader (RFC 4180) for dictionary imports: comma-separated fields, optional
// double quotes with "" for a quote inside, LF or CRLF line ends, a UTF-8 byte order mark ignored.
// It reports the line and column of the first thing it cannot read instead of guessing.

/** One record and the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Malformed CSV at a line and column (both 1-based). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${line}:${column}: ${problem}`);
  }
}

/** Every record of `text`; blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let column = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let recordLine = 1;
  let empty = true;
  let quoteAt = { line: 1, column: 1 };

  const endRecord = (): void => {
    fields.push(field);
    if (!(empty && fields.length === 1 && field === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    empty = true;
    afterQuote = false;
  };

  for (let i = 0; i < input.length; i += 1) {
    const char = input[i]!;
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i += 1;
        column += 1;
      } else if (char === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        field += char;
        if (char === '\n') {
          line += 1;
          column = 0;
        }
      }
    } else if (char === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
      empty = false;
    } else if (char === '\n' || (char === '\r' && input[i + 1] === '\n')) {
      if (char === '\r') i += 1;
      endRecord();
      line += 1;
      column = 0;
      recordLine = line;
    } else if (afterQuote) {
      throw new CsvSyntaxError(line, column, `unexpected ${JSON.stringify(char)} after a closing quote; put a comma after the quoted field`);
    } else if (char === '"') {
      if (field !== '') throw new CsvSyntaxError(line, column, 'a quote inside an unquoted field; quote the whole field and double the quote ("")');
      quoted = true;
      quoteAt = { line, column };
      empty = false;
    } else {
      field += char;
      empty = false;
    }
    column += 1;
  }
  if (quoted) throw new CsvSyntaxError(quoteAt.line, quoteAt.column, 'this quote is never closed; end the field with a quote');
  if (!empty || fields.length > 0 || field !== '') endRecord();
  return records;
}
