// The `lookup` behavior: a key selected from the request (as copy selects, `key.index` choosing
// among the matches) finds the first CSV row whose `keyColumn` equals it, and
// `${TOKEN}["column"]`, `${TOKEN}['column']` and `${TOKEN}[column]` become that row's values.
// A missing file or column is logged and replaces nothing, as in mountebank.
import type { Log } from '../logging/logger.js';
import { BehaviorFields } from './behaviorFields.js';
import type { BehaviorStep } from './behaviorStep.js';
import { readCsv } from './csvTable.js';
import { replaceAll, replaceEverywhere } from './replaceTokens.js';
import { compileRequestSelection, validateRequestSelection, type RequestSelectionShape } from './requestSelection.js';
import { errorMessage } from '../model/caughtError.js';

/** A `lookup` after validation. */
export interface LookupShape {
  readonly key: RequestSelectionShape;
  /** Which of the selected values is the key. */
  readonly index: number;
  readonly csv: { readonly path: string; readonly keyColumn: string; readonly delimiter: string };
  readonly into: string;
}

export function validateLookup(value: unknown, source: unknown, stallMs: number): LookupShape {
  const fields = new BehaviorFields('lookup', source);
  const config = fields.object(value, 'lookup');
  const key = fields.object(config.key, 'key');
  const selection = validateRequestSelection(fields, { from: key.from, using: key.using }, 'key.', source, stallMs);
  const index = key.index === undefined ? 0 : fields.nonNegativeInteger(key.index, 'key.index');
  const dataSource = fields.object(config.fromDataSource, 'fromDataSource');
  const kinds = Object.keys(dataSource);
  if (kinds.length !== 1) fields.oneOf(undefined, 'fromDataSource', ['csv']);
  fields.oneOf(kinds[0], 'fromDataSource', ['csv']);
  const csv = fields.object(dataSource.csv, 'fromDataSource.csv');
  const path = fields.requiredString(csv.path, 'fromDataSource.csv.path', 'the path to the CSV file');
  const keyColumn = fields.requiredString(csv.keyColumn, 'fromDataSource.csv.keyColumn', 'the column header to select against the "key" field');
  const delimiter = fields.string(csv.delimiter, 'fromDataSource.csv.delimiter', 'the delimiter separator values') ?? ',';
  const into = fields.requiredString(config.into, 'into', 'the token to replace in response fields');
  return { key: selection, index, csv: { path, keyColumn, delimiter }, into };
}

export function compileLookup({ key, index, csv, into }: LookupShape, log: Log): BehaviorStep {
  const select = compileRequestSelection(key);
  const { path, keyColumn, delimiter } = csv;
  return async (request, response) => {
    const keyValue = select(request)[index];
    const row = await findRow(path, delimiter, keyColumn, keyValue === undefined ? undefined : String(keyValue), log);
    if (row === undefined) return response;
    const tokens: [string, string][] = [];
    for (const [column, cell] of Object.entries(row)) {
      for (const quote of ['"', "'", '']) tokens.push([`${into}[${quote}${column}${quote}]`, cell]);
    }
    replaceEverywhere(response, (text) => {
      if (!text.includes(into)) return text;
      let result = text;
      for (const [token, cell] of tokens) result = replaceAll(result, token, cell);
      return result;
    });
    return response;
  };
}

async function findRow(path: string, delimiter: string, keyColumn: string, key: string | undefined, log: Log): Promise<Record<string, string> | undefined> {
  let table;
  try {
    table = await readCsv(path, delimiter);
  } catch (err) {
    log.error(`Cannot read ${path}: ${errorMessage(err)}`);
    return undefined;
  }
  const column = table.header.indexOf(keyColumn);
  if (column === -1) {
    log.error(`CSV headers "${table.header.join(',')}" with delimiter "${delimiter}" does not contain keyColumn:"${keyColumn}"`);
    return undefined;
  }
  const found = table.rows.find((r) => r[column] === key);
  if (!found) return undefined;
  const row: Record<string, string> = {};
  table.header.forEach((name, i) => (row[name] = found[i] ?? ''));
  return row;
}
