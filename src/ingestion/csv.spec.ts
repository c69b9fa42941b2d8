import { csvToObjects, CsvError, parseCsv } from './csv';

describe('CSV parser', () => {
  it('reads quoted commas, doubled quotes, line breaks in quotes, CRLF and a BOM', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n1,,3\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
    ]);
  });

  it('keeps Arabic text intact', () => {
    expect(parseCsv('name,nameAr\nAcme,"شركة الأفق"\n')[1]).toEqual(['Acme', 'شركة الأفق']);
  });

  it('reports the line of an unclosed quote', () => {
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(CsvError);
    expect(() => parseCsv('a,b\n1,"x"y\n')).toThrow(/line 2: unexpected text after a closing quote/);
  });

  it('turns rows into objects and leaves empty cells out', () => {
    const { records, lines } = csvToObjects('externalId,name,email\nC1,Acme,\nC2,Beta,b@x.sa\n');
    expect(records).toEqual([
      { externalId: 'C1', name: 'Acme' },
      { externalId: 'C2', name: 'Beta', email: 'b@x.sa' },
    ]);
    expect(lines).toEqual([2, 3]);
  });

  it('refuses a row with the wrong number of fields, naming its line', () => {
    expect(() => csvToObjects('a,b\n1,2\n3\n')).toThrow('line 3: has 1 fields, the header has 2');
  });

  it('refuses a duplicated header', () => {
    expect(() => csvToObjects('a,a\n1,2\n')).toThrow(/names "a" twice/);
  });
});
