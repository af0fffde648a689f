// CSV files for the lookup behavior: read when first needed and again only when the file changes
// (mountebank reads it on every request; a stat per request keeps edits visible for less).
// Quoted fields (with "" for a quote, and line breaks inside quotes) as RFC 4180 and csv-parse.
import { promises as fs } from 'node:fs';

export interface CsvTable {
  header: string[];
  rows: string[][];
}

interface Cached {
  mtimeMs: number;
  size: number;
  table: CsvTable;
}

const cache = new Map<string, Cached>();

export async function readCsv(path: string, delimiter: string): Promise<CsvTable> {
  const key = `${delimiter}\u0000${path}`;
  const stat = await fs.stat(path);
  const cached = cache.get(key);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.table;
  const records = parseCsv(await fs.readFile(path, 'utf8'), delimiter);
  const table = { header: records[0] ?? [], rows: records.slice(1) };
  cache.set(key, { mtimeMs: stat.mtimeMs, size: stat.size, table });
  return table;
}

export function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    field = '';
    // A blank line is no record.
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (text.startsWith(delimiter, i)) {
      record.push(field);
      field = '';
      i += delimiter.length;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}
