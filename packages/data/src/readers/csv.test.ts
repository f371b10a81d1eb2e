import { describe, expect, it } from 'vitest';
import { DataFormatError, parseCsv, readCsv, readCsvSync, splitCsv } from '../index.js';
import { tempDir, writeFile } from '../test-utils/temp-dir.js';

const iris = `sepal,petal,species
5.1,1.4,setosa
6.3,4.9,virginica
5.8,4.0,versicolor
`;

describe('CSV reader', () => {
  it('splits quoted fields and CRLF lines', () => {
    expect(splitCsv('a,"b,c"\r\n"say ""hi""",2\n\n')).toEqual([
      ['a', 'b,c'],
      ['say "hi"', '2'],
    ]);
  });

  it('reads numeric features and a categorical label column', () => {
    const d = parseCsv(iris, { labelColumn: 'species' });
    expect(d.columns).toEqual(['sepal', 'petal']);
    expect(d.features.shape).toEqual([3, 2]);
    expect(d.features.toArray()).toEqual([
      [Math.fround(5.1), Math.fround(1.4)],
      [Math.fround(6.3), Math.fround(4.9)],
      [Math.fround(5.8), 4],
    ]);
    expect(d.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.labels!.toArray()).toEqual([0, 2, 1]);
  });

  it('gives int32 labels for integers and float32 for reals; reads headerless files by index', () => {
    expect(parseCsv('x,y\n1,0\n2,1', { labelColumn: 'y' }).labels!.dtype).toBe('int32');
    expect(parseCsv('x,y\n1,0.5\n2,1', { labelColumn: 1 }).labels!.dtype).toBe('float32');
    const d = parseCsv('1;2;3\n4;5;6', {
      header: false,
      delimiter: ';',
      labelColumn: 0,
      featureColumns: [2],
    });
    expect(d.columns).toEqual(['column2']);
    expect(d.features.toArray()).toEqual([[3], [6]]);
  });

  it('reports missing values by row and column, or drops or fills them', () => {
    const text = 'a,b,y\n1,,0\n2,3,1\nNA,4,\n';
    expect(() => parseCsv(text, { labelColumn: 'y' })).toThrow(DataFormatError);
    expect(() => parseCsv(text, { labelColumn: 'y' })).toThrow(
      "parseCsv: <text>: 3 missing values: row 1 (line 2), column 'b'; row 3 (line 4), column 'a'; row 3 (line 4), column 'y' (label)",
    );
    const dropped = parseCsv(text, { labelColumn: 'y', onMissing: 'drop' });
    expect(dropped.rows).toEqual([2]);
    const filled = parseCsv(text, { labelColumn: 'y', onMissing: -1 });
    expect(filled.features.toArray()).toEqual([
      [1, -1],
      [2, 3],
    ]);
  });

  it('names the cell that is not a number and rows of the wrong width', () => {
    expect(() => parseCsv('a,b\n1,x\n')).toThrow("row 1 (line 2), column 'b': 'x' is not a number");
    expect(() => parseCsv('a,b\n1\n')).toThrow('row 1 (line 2) has 1 fields, expected 2');
    expect(() => parseCsv('a,b\n1,2', { labelColumn: 'c' })).toThrow('no column "c" (columns: a, b)');
  });

  it('reads files', async () => {
    const path = writeFile(tempDir(), 'iris.csv', new TextEncoder().encode(iris));
    expect(readCsvSync(path, { labelColumn: 'species' }).features.shape).toEqual([3, 2]);
    expect((await readCsv(path, { featureColumns: [0, 1] })).columns).toEqual(['sepal', 'petal']);
    await expect(readCsv(path)).rejects.toThrow(`parseCsv: ${path}: row 1 (line 2), column 'species'`);
  });
});
