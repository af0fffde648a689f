// Why a stub did or did not match: its predicates compiled a second way, into clause reports.
// Never on the hot path: a stub compiles its explainer the first time someone asks (a miss to
// log, a dry run, verify), and the compiled matcher stays the only authority on what matches.
// A clause is one request field of a field operator (`equals.path`), or a not/and/or/inject with
// its children; each says whether it held, and what was expected against what the request had
// after caseSensitive, except and jsonpath/xpath selection.
import { isObjectLike, isPlainObject } from '../model/plainObject.js';
import { compileDeepEquals } from './deepEquals.js';
import { compileFieldPredicate } from './fieldPredicate.js';
import { fieldOperatorSides } from './compilePredicate.js';
import type { MatchRequest } from './matchRequest.js';
import { tryJSON, type PlainObject } from './normalize.js';
import { predicateShape, type FieldOperatorName } from './predicateShape.js';
import type { CompileOptions, RequestMatcher } from './types.js';
import { fieldKeys, topView } from './views.js';

export interface Clause {
  /** Where the clause is in the stub, e.g. `predicates[0].equals.path`. */
  readonly at: string;
  readonly operator: string;
  readonly held: boolean;
  /** The request field a field operator compares. */
  readonly field?: string;
  /** The predicate's value for the field, as the stub has it. */
  readonly expected?: unknown;
  /** The request's value after the predicate's parameters; absent when the request had none. */
  readonly actual?: unknown;
  readonly jsonpath?: string;
  readonly xpath?: string;
  readonly caseSensitive?: boolean;
  readonly except?: string;
  /** An `inject` clause that was not run again (the miss log line and the journal never rerun user code). */
  readonly skipped?: true;
  /** The error a clause threw (an inject predicate's), when it did. */
  readonly error?: string;
  /** The clauses of `not`, `and` and `or`. */
  readonly clauses?: readonly Clause[];
}

/** One clause compiled: whether it holds (cheap, for scoring many stubs), and its full report. */
interface CompiledClause {
  holds(request: MatchRequest): boolean;
  explain(request: MatchRequest): Clause;
}

/** A stub's predicates as clause reports: one per field of a field operator, one per not/and/or/inject. */
export interface Explainer {
  readonly total: number;
  /** How many clauses hold, without building their reports. */
  held(request: MatchRequest): number;
  explain(request: MatchRequest): Clause[];
}

function safely(holds: (request: MatchRequest) => boolean): (request: MatchRequest) => boolean {
  return (request) => {
    try {
      return holds(request);
    } catch {
      return false;
    }
  };
}

const SPACE = /[^A-Za-z0-9_$]/;

function fieldPath(base: string, field: string): string {
  return SPACE.test(field) ? `${base}[${JSON.stringify(field)}]` : `${base}.${field}`;
}

function guarded(at: string, operator: string, evaluate: () => Clause): Clause {
  try {
    return evaluate();
  } catch (err) {
    return { at, operator, held: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The parameters worth repeating beside a clause: those that change what either side is. */
function parameters(predicate: Record<string, unknown>): Partial<Clause> {
  const out: { -readonly [K in keyof Clause]?: Clause[K] } = {};
  if (isPlainObject(predicate.jsonpath) && typeof predicate.jsonpath.selector === 'string') out.jsonpath = predicate.jsonpath.selector;
  else if (isPlainObject(predicate.xpath) && typeof predicate.xpath.selector === 'string') out.xpath = predicate.xpath.selector;
  if (predicate.caseSensitive !== undefined) out.caseSensitive = Boolean(predicate.caseSensitive);
  if (typeof predicate.except === 'string' && predicate.except !== '') out.except = predicate.except;
  return out;
}

/** The request's value shown beside an expected value: JSON text read as JSON, objects cut to the keys expected. */
function shownActual(view: unknown, expected: unknown, text: Parameters<typeof tryJSON>[1]): unknown {
  let actual = view;
  if (isObjectLike(expected) && typeof actual === 'string' && actual !== '') actual = tryJSON(actual, text);
  if (isPlainObject(expected) && isObjectLike(actual) && !Array.isArray(actual)) {
    const cut: PlainObject = {};
    for (const key of Object.keys(expected)) {
      if (Object.hasOwn(actual, key)) cut[key] = actual[key];
    }
    return cut;
  }
  return actual;
}

function compileFieldClauses(
  operator: FieldOperatorName,
  written: PlainObject,
  predicate: Record<string, unknown>,
  at: string,
  options: CompileOptions,
): CompiledClause[] {
  const { sides, expected } = fieldOperatorSides(operator, written, predicate, options);
  const spec = sides.actual;
  const extra = parameters(predicate);
  return Object.keys(expected).map((field) => {
    // The key as the stub wrote it (keys may have been lower-cased), for display.
    const writtenKey =
      Object.keys(written)
        .reverse()
        .find((key) => (spec.lowerKeys ? key.toLowerCase() : key) === field) ?? field;
    const one: PlainObject = { [field]: expected[field] };
    const check: RequestMatcher =
      operator === 'deepEquals' ? compileDeepEquals(one, spec) : compileFieldPredicate(operator, one, sides, predicate, { fastPaths: true });
    const keys = fieldKeys(spec, field);
    const clauseAt = fieldPath(at, writtenKey);
    return {
      holds: safely(check),
      explain: (request) =>
        guarded(clauseAt, operator, () => {
          const held = check(request);
          const actual = shownActual(topView(request, spec, keys), expected[field], spec);
          const shown = actual === undefined ? {} : { actual };
          return { at: clauseAt, operator, held, field: writtenKey, expected: written[writtenKey], ...shown, ...extra };
        }),
    };
  });
}

const allHold = (clauses: readonly CompiledClause[], request: MatchRequest): boolean => clauses.every((c) => c.holds(request));

function compileClauses(predicate: unknown, at: string, options: CompileOptions): CompiledClause[] {
  // Already accepted by compilePredicates: an inject predicate without a compiler is not refused but skipped.
  const shape = predicateShape(predicate, false);
  const operator = shape.operator;
  const here = `${at}.${operator}`;
  switch (shape.operator) {
    case 'not': {
      const inner = compileClauses(shape.inner, here, options);
      return [
        {
          holds: (request) => !allHold(inner, request),
          explain: (request) =>
            guarded(here, operator, () => {
              const clauses = inner.map((c) => c.explain(request));
              return { at: here, operator, held: !clauses.every((c) => c.held), clauses };
            }),
        },
      ];
    }
    case 'and':
    case 'or': {
      // A child with several fields holds when all of them do.
      const children = shape.children.map((child, i) => compileClauses(child, `${here}[${i}]`, options));
      const holds =
        shape.operator === 'and'
          ? (request: MatchRequest) => children.every((child) => allHold(child, request))
          : (request: MatchRequest) => children.some((child) => allHold(child, request));
      return [
        {
          holds,
          explain: (request) =>
            guarded(here, operator, () => {
              const groups = children.map((child) => child.map((c) => c.explain(request)));
              const groupHolds = (group: Clause[]) => group.every((c) => c.held);
              const held = operator === 'and' ? groups.every(groupHolds) : groups.some(groupHolds);
              return { at: here, operator, held, clauses: groups.flat() };
            }),
        },
      ];
    }
    case 'inject': {
      // Without a compiler the user's function is not run again (it may keep state): not evaluated.
      const check = options.compileInject?.(shape.source, shape.predicate);
      if (check === undefined) return [{ holds: () => false, explain: () => ({ at: here, operator, held: false, skipped: true }) }];
      const holds = (request: MatchRequest) => Boolean(check(request.request));
      return [{ holds: safely(holds), explain: (request) => guarded(here, operator, () => ({ at: here, operator, held: holds(request) })) }];
    }
    case '_rift': {
      // Read-only (it may read flow state, never write it), so it is run again to explain it.
      const check = options.compileExtension?.(shape.value, shape.predicate, true);
      if (check === undefined) return [{ holds: () => false, explain: () => ({ at: here, operator, held: false, skipped: true }) }];
      return [{ holds: safely(check), explain: (request) => guarded(here, operator, () => ({ at: here, operator, held: check(request) })) }];
    }
    default:
      return compileFieldClauses(shape.operator, shape.fields, shape.predicate, here, options);
  }
}

function explainerOf(clauses: readonly CompiledClause[]): Explainer {
  return {
    total: clauses.length,
    held: (request) => {
      let held = 0;
      for (const clause of clauses) if (clause.holds(request)) held++;
      return held;
    },
    explain: (request) => clauses.map((clause) => clause.explain(request)),
  };
}

/** One explainer per predicate of a `predicates` array (already accepted by compilePredicates). */
export function compilePredicateExplainers(predicates: unknown, options: CompileOptions): Explainer[] {
  if (!Array.isArray(predicates)) return [];
  return predicates.map((predicate, i) => explainerOf(compileClauses(predicate, `predicates[${i}]`, options)));
}

/**
 * Compiles a stub's `predicates` (already accepted by compilePredicates) into an explainer; the
 * stub's predicates all hold exactly when every clause it reports holds.
 */
export function compileExplainer(predicates: unknown, options: CompileOptions): Explainer {
  if (!Array.isArray(predicates)) return explainerOf([]);
  return explainerOf(predicates.flatMap((predicate, i) => compileClauses(predicate, `predicates[${i}]`, options)));
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/** One line for a clause that did not hold, for the log: `equals path: expected "/x", got "/y"`. */
export function describeClause(clause: Clause): string {
  if (clause.error !== undefined) return `${clause.at}: ${clause.error}`;
  if (clause.skipped) return `${clause.at}: not run again`;
  if (clause.clauses !== undefined) {
    if (clause.operator === 'not') return `${clause.at}: the predicate inside held`;
    const failed = clause.clauses.find((c) => !c.held);
    if (clause.operator === 'or') return `${clause.at}: none of ${clause.clauses.length} held${failed ? `; ${describeClause(failed)}` : ''}`;
    return failed ? describeClause(failed) : `${clause.at}: did not hold`;
  }
  if (clause.field === undefined) return `${clause.at}: did not hold`;
  const selector = clause.jsonpath !== undefined ? ` (jsonpath ${clause.jsonpath})` : clause.xpath !== undefined ? ` (xpath ${clause.xpath})` : '';
  const actual = clause.actual === undefined ? 'nothing' : show(clause.actual);
  return `${clause.at}${selector}: expected ${show(clause.expected)}, got ${actual}`;
}
