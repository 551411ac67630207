/**
 * A CSV reader for spreadsheets saved as CSV (RFC 4180): quoted fields with commas, doubled
 * quotes and line breaks, CRLF or LF, an optional byte-order mark. Every row keeps the line it
 * starts on, so a bad row is reported where the spreadsheet shows it.
 */
export interface CsvRow {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  readonly code = 'IMPORT.CSV_SYNTAX';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

export function parseCsv(text: string): CsvRow[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let wasQuoted = false;

  const endCell = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    cell = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endCell();
    // A blank line (or a line of empty cells, as spreadsheets save them) is not a row.
    if (cells.some((c) => c !== '')) rows.push({ line: rowLine, cells });
    cells = [];
  };

  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"') {
      if (cell.trim() !== '') throw new CsvSyntaxError(line, 'a quote in the middle of an unquoted cell (quote the whole cell)');
      cell = '';
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
    } else if (c === ',') {
      endCell();
    } else if (c === '\r' && input[i + 1] === '\n') {
      continue;
    } else if (c === '\n' || c === '\r') {
      endRow();
      line++;
      rowLine = line;
    } else {
      if (wasQuoted && c.trim() !== '') throw new CsvSyntaxError(line, 'text after a closing quote');
      cell += c;
    }
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, 'a quoted cell is never closed');
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}
