// A plain text table that fits the terminal: the last column is cut with an ellipsis instead of
// wrapping, so each row stays on one line and remains greppable.

export interface Column<Row> {
  header: string;
  value(row: Row): string;
}

export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], width = 0): string {
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((row) => row[index]!.length)));
  const lines = [columns.map((column) => column.header), ...cells].map((row) => {
    const line = row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  ');
    return width > 0 && line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
  });
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
