/** The CSV reader: spreadsheets saved as CSV, with the line each row starts on. */
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, decodeCsvFile, parseCsv } from '../../client/import/csv';

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

describe('decodeCsvFile', () => {
  it('reads UTF-8, with or without a byte-order mark, keeping real replacement characters', () => {
    expect(decodeCsvFile(Buffer.from('id,area\nyp-1,Bryn Môr £\n', 'utf8'))).toBe('id,area\nyp-1,Bryn Môr £\n');
    expect(parseCsv(decodeCsvFile(Buffer.from('\ufeffid\nyp-1\n', 'utf8')))).toEqual([
      { line: 1, cells: ['id'] },
      { line: 2, cells: ['yp-1'] },
    ]);
    expect(decodeCsvFile(Buffer.from('id\n\ufffd\n', 'utf8'))).toBe('id\n\ufffd\n');
  });

  it('refuses Windows-1252 (Excel\'s plain "CSV"), naming the line and how to save the file', () => {
    const latin1 = Buffer.concat([Buffer.from('id,area\nyp-1,north\nyp-2,Bryn M'), Buffer.from([0xf4]), Buffer.from('r\n')]);
    expect(() => decodeCsvFile(latin1)).toThrow(CsvSyntaxError);
    expect(() => decodeCsvFile(latin1)).toThrow(/^line 3: a character that is not UTF-8 .*CSV UTF-8/);
  });

  it('refuses UTF-16 and binary files', () => {
    expect(() => decodeCsvFile(Buffer.from('\ufeffid\n', 'utf16le'))).toThrow('line 1: the file is UTF-16');
    expect(() => decodeCsvFile(Buffer.from('id\nyp-1\0\n'))).toThrow('line 2: a NUL byte');
  });
});
