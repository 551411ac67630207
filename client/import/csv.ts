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

/**
 * The file's text, which must be UTF-8 (with or without a byte-order mark). A spreadsheet's other
 * encodings are refused, saying how to save the file, rather than read with their accents, pound
 * signs and apostrophes turned into replacement characters: the first line with such a byte is named.
 */
export function decodeCsvFile(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CsvSyntaxError(1, 'the file is UTF-16 ("Unicode text"), not UTF-8: save it from the spreadsheet as "CSV UTF-8 (comma delimited)"');
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const bad = text.indexOf('\ufffd');
  if (bad >= 0 && !hasReplacementCharacterInSource(bytes)) {
    const line = text.slice(0, bad).split('\n').length;
    throw new CsvSyntaxError(line, 'a character that is not UTF-8 (the file may be Windows-1252 or Latin-1): save it from the spreadsheet as "CSV UTF-8 (comma delimited)"');
  }
  if (text.includes('\0')) throw new CsvSyntaxError(text.slice(0, text.indexOf('\0')).split('\n').length, 'a NUL byte: this is not a text file');
  return text;
}

/** Whether the bytes really hold U+FFFD (EF BF BD), rather than the decoder putting it for bad bytes. */
function hasReplacementCharacterInSource(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
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
