/** One CSV cell: a string (neutralised and quoted as needed) or a number (written as is). */
export type CsvCell = string | number;

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Escapes one cell (RFC 4180): quotes around cells holding a comma, quote or line break, quotes
 * doubled. A text cell that a spreadsheet would run as a formula (starting with = + - @, tab or
 * carriage return) gets a leading apostrophe, as OWASP advises against CSV injection.
 */
export function csvCell(value: CsvCell): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document with CRLF line ends. */
export function toCsv(rows: ReadonlyArray<readonly CsvCell[]>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
