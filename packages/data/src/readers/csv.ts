import type { Tensor } from '@torchlet/tensor';
import { wrapArray } from '../tensor-data.js';
import { readBytes, readBytesSync } from './files.js';
import { DataFormatError } from './format-error.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** Field separator (default `,`). */
  delimiter?: string;
  /** Whether the first line names the columns (default true; otherwise `column0`, `column1`, …). */
  header?: boolean;
  /** The column holding labels, by name or index; left out of the features. */
  labelColumn?: string | number;
  /** Feature columns by name or index (default: every column but the label). */
  featureColumns?: (string | number)[];
  /** What to do with missing values (empty, NA, NaN, null, ?): report them (default), drop their rows, or fill. */
  onMissing?: 'error' | 'drop' | number;
}

/** A parsed CSV table: numeric features and, when a label column was chosen, labels. */
export interface CsvData {
  /** Names of the feature columns, in order. */
  columns: string[];
  /** float32 `[rows, features]`. */
  features: Tensor;
  /** int32 for integer or categorical labels, float32 for real-valued ones. */
  labels?: Tensor;
  /** For a non-numeric label column: the class names, sorted; labels index into it. */
  classes?: string[];
  /** 1-based data row numbers kept (rows with missing values may be dropped). */
  rows: number[];
}

const MISSING = new Set(['', 'na', 'nan', 'null', 'none', '?']);

/** Splits CSV text into records of fields (RFC 4180 quoting: `"a,b"` and `""` for a quote). */
export function splitCsv(text: string, delimiter = ','): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') field += text[i++];
      else quoted = false;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  record.push(field);
  if (record.length > 1 || record[0] !== '') records.push(record);
  return records;
}

/**
 * Parses CSV text into numeric features and optional labels. Every missing value is reported by
 * row and column unless `onMissing` drops or fills them; a non-numeric feature is an error naming
 * its row and column.
 *
 * @example const { features, labels } = parseCsv(text, { labelColumn: 'species' });
 */
export function parseCsv(text: string, options: CsvOptions = {}, source = '<text>'): CsvData {
  const fail = (why: string) => new DataFormatError(`parseCsv: ${source}: ${why}`);
  const records = splitCsv(text, options.delimiter ?? ',');
  const hasHeader = options.header ?? true;
  if (records.length === 0 || (hasHeader && records.length === 1)) throw fail('no data rows');
  const width = records[0]!.length;
  const names = hasHeader
    ? records[0]!.map((s) => s.trim())
    : Array.from({ length: width }, (_, i) => `column${i}`);
  const body = hasHeader ? records.slice(1) : records;
  const lineOf = (r: number) => r + 1 + (hasHeader ? 1 : 0);
  const colIndex = (c: string | number): number => {
    const i = typeof c === 'number' ? c : names.indexOf(c);
    if (i < 0 || i >= width) throw fail(`no column ${JSON.stringify(c)} (columns: ${names.join(', ')})`);
    return i;
  };
  const label = options.labelColumn === undefined ? -1 : colIndex(options.labelColumn);
  const featureCols =
    options.featureColumns?.map(colIndex) ?? names.map((_, i) => i).filter((i) => i !== label);

  const missing: string[] = [];
  const kept: number[] = [];
  const values: number[] = [];
  const rawLabels: string[] = [];
  body.forEach((rec, r) => {
    if (rec.length !== width)
      throw fail(`row ${r + 1} (line ${lineOf(r)}) has ${rec.length} fields, expected ${width}`);
    let rowMissing = false;
    const rowValues = featureCols.map((c) => {
      const cell = rec[c]!.trim();
      if (MISSING.has(cell.toLowerCase())) {
        rowMissing = true;
        missing.push(`row ${r + 1} (line ${lineOf(r)}), column '${names[c]}'`);
        return typeof options.onMissing === 'number' ? options.onMissing : Number.NaN;
      }
      const v = Number(cell);
      if (Number.isNaN(v)) {
        throw fail(`row ${r + 1} (line ${lineOf(r)}), column '${names[c]}': '${cell}' is not a number`);
      }
      return v;
    });
    const labelMissing = label >= 0 && MISSING.has(rec[label]!.trim().toLowerCase());
    if (labelMissing) {
      rowMissing = true;
      missing.push(`row ${r + 1} (line ${lineOf(r)}), column '${names[label]}' (label)`);
    }
    // A missing label cannot be filled: its row is dropped unless missing values are errors.
    if (rowMissing && (options.onMissing === 'drop' || labelMissing)) return;
    kept.push(r + 1);
    values.push(...rowValues);
    if (label >= 0) rawLabels.push(rec[label]!.trim());
  });
  const mode = options.onMissing ?? 'error';
  if (missing.length > 0 && mode === 'error') {
    const shown = missing.slice(0, 10).join('; ');
    throw fail(
      `${missing.length} missing value${missing.length > 1 ? 's' : ''}: ${shown}${missing.length > 10 ? '; …' : ''} (pass onMissing: 'drop' or a fill value)`,
    );
  }
  const out: CsvData = {
    columns: featureCols.map((c) => names[c]!),
    features: wrapArray(Float32Array.from(values), [kept.length, featureCols.length]),
    rows: kept,
  };
  if (label >= 0) Object.assign(out, encodeLabels(rawLabels));
  return out;
}

function encodeLabels(raw: string[]): { labels: Tensor; classes?: string[] } {
  const numbers = raw.map(Number);
  if (numbers.every((v) => !Number.isNaN(v))) {
    const ints = numbers.every(Number.isInteger);
    return { labels: wrapArray(ints ? Int32Array.from(numbers) : Float32Array.from(numbers), [raw.length]) };
  }
  const classes = [...new Set(raw)].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  return {
    labels: wrapArray(
      Int32Array.from(raw, (s) => index.get(s)!),
      [raw.length],
    ),
    classes,
  };
}

/** Reads and parses a CSV file synchronously (Node). */
export function readCsvSync(path: string, options: CsvOptions = {}): CsvData {
  return parseCsv(new TextDecoder().decode(readBytesSync(path, 'readCsv')), options, path);
}

/** Reads and parses a CSV file or URL. */
export async function readCsv(location: string, options: CsvOptions = {}): Promise<CsvData> {
  return parseCsv(new TextDecoder().decode(await readBytes(location, 'readCsv')), options, location);
}
