/** The CSV reader: spreadsheets saved as CSV, with the line each row starts on. */
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from '../../client/import/csv';

describe('parseCsv', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, and keeps each row\'s line', () => {
    const text = '\ufeffid,notes,kind\r\nyp-1,"a, b",young-person\r\nyp-2,"said ""hi""\nthen left",young-person\r\n\r\nyp-3,,volunteer\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['id', 'notes', 'kind'] },
      { line: 2, cells: ['yp-1', 'a, b', 'young-person'] },
      { line: 3, cells: ['yp-2', 'said "hi"\nthen left', 'young-person'] },
      { line: 6, cells: ['yp-3', '', 'volunteer'] },
    ]);
  });

  it('skips blank lines and lines of empty cells, and trims unquoted cells', () => {
    expect(parseCsv('a,b\n,,\n x , y \n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['x', 'y'] },
    ]);
  });

  it('reports an unclosed quote at the line it opens', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow('line 2: a quoted cell is never closed');
  });

  it('reports text after a closing quote', () => {
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow('line 2: text after a closing quote');
  });
});
