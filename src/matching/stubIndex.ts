// The stub index: which stubs can possibly match a request, so a request to the 100th of 100
// path stubs tries one stub instead of a hundred. The index never decides a match: it only
// skips stubs whose predicates cannot hold, then the candidates run their compiled matchers in
// stub order, so the first stub that matches still wins (mountebank's semantics, exactly).
//
// A stub is skipped only when its predicates *require* the request's method and/or path (as
// normalized by the predicate's caseSensitive/keyCaseSensitive) to be one of a few strings:
// - `equals`/`deepEquals` naming `method` or `path` with a string, without `except`,
//   `jsonpath` or `xpath` (those compare a transformed or selected value), not in binary mode;
// - `and` requires what any child requires; `or` what every child requires (values united);
//   `not`, `inject` and the other operators require nothing.
// Stubs with an `inject` predicate anywhere are never skipped (the function may have side
// effects, which must run exactly as often as without the index). When a request's method or
// path is not a string (another protocol's request), every stub is a candidate.
import { isPlainObject } from '../model/plainObject.js';
import type { MatchRequest } from './matchRequest.js';
import { forceStringsObject, normalizeExpectedObject } from './normalize.js';
import { resolveSides } from './parameters.js';

/** What the index needs of a stub: the predicates it was compiled from. */
export interface IndexableStub {
  readonly config: Record<string, unknown>;
}

const INDEXED_FIELDS = ['method', 'path'] as const;
type IndexedField = (typeof INDEXED_FIELDS)[number];
const OPERATORS: readonly string[] = ['equals', 'deepEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'exists', 'not', 'or', 'and', 'inject'];
/** Above this many method/path combinations, a stub is keyed on its path alone. */
const MAX_COMBINATIONS = 64;

/** How a request field is read and normalized before it is compared. */
interface FieldSpec {
  readonly field: IndexedField;
  readonly lowerKeys: boolean;
  readonly lowerValues: boolean;
}

const specId = (s: FieldSpec) => `${s.field}:${+s.lowerKeys}${+s.lowerValues}`;

/** Per field spec (by specId), the values one of which the field must have. */
type Requirements = Map<string, { spec: FieldSpec; values: Set<string> }>;

function operatorOf(predicate: Record<string, unknown>): string | undefined {
  const found = Object.keys(predicate).filter((key) => OPERATORS.includes(key));
  return found.length === 1 ? found[0] : undefined;
}

function hasInject(predicate: unknown): boolean {
  if (!isPlainObject(predicate)) return false;
  if (predicate.inject !== undefined) return true;
  for (const key of ['and', 'or'] as const) {
    const children = predicate[key];
    if (Array.isArray(children) && children.some(hasInject)) return true;
  }
  return hasInject(predicate.not);
}

/** A = A ∧ B: a spec required by either; both required means the values common to both. */
function requireBoth(into: Requirements, other: Requirements): void {
  for (const [id, entry] of other) {
    const mine = into.get(id);
    if (mine === undefined) into.set(id, { spec: entry.spec, values: new Set(entry.values) });
    else for (const value of mine.values) if (!entry.values.has(value)) mine.values.delete(value);
  }
}

/** A ∨ B: only specs both require, with the values of either. */
function requireEither(a: Requirements, b: Requirements): Requirements {
  const result: Requirements = new Map();
  for (const [id, entry] of a) {
    const theirs = b.get(id);
    if (theirs !== undefined) result.set(id, { spec: entry.spec, values: new Set([...entry.values, ...theirs.values]) });
  }
  return result;
}

function fieldRequirements(operator: 'equals' | 'deepEquals', predicate: Record<string, unknown>): Requirements {
  const result: Requirements = new Map();
  const value = predicate[operator];
  if (!isPlainObject(value) || predicate.except || predicate.jsonpath !== undefined || predicate.xpath !== undefined) return result;
  // The same normalization the compiler applies (compilePredicate.ts), so keys and values agree.
  const sides = resolveSides(predicate, operator, false, 0);
  const expected = normalizeExpectedObject(operator === 'deepEquals' ? forceStringsObject(value) : value, sides.expected);
  for (const field of INDEXED_FIELDS) {
    const wanted = Object.hasOwn(expected, field) ? expected[field] : undefined;
    if (typeof wanted !== 'string') continue;
    const spec: FieldSpec = { field, lowerKeys: sides.actual.lowerKeys, lowerValues: sides.actual.lowerValues };
    result.set(specId(spec), { spec, values: new Set([wanted]) });
  }
  return result;
}

/** What a predicate requires of the request's method and path (necessary, not sufficient). */
function requirementsOf(predicate: unknown): Requirements {
  if (!isPlainObject(predicate)) return new Map();
  const operator = operatorOf(predicate);
  if (operator === 'equals' || operator === 'deepEquals') return fieldRequirements(operator, predicate);
  const children = operator === 'and' || operator === 'or' ? predicate[operator] : undefined;
  if (!Array.isArray(children) || children.length === 0) return new Map();
  if (operator === 'and') return allRequirements(children);
  return children.map(requirementsOf).reduce(requireEither);
}

function allRequirements(predicates: readonly unknown[]): Requirements {
  const result: Requirements = new Map();
  for (const predicate of predicates) requireBoth(result, requirementsOf(predicate));
  return result;
}

/** A stub's place in the index: the specs it is keyed on and its keys; null = always a candidate. */
interface StubKeys {
  readonly specs: readonly FieldSpec[];
  readonly keys: readonly string[];
}

function keyOf(values: readonly string[]): string {
  // Length-prefixed, so no two value lists share a key whatever characters they hold.
  return values.length === 1 ? values[0]! : values.map((v) => `${v.length}:${v}`).join('');
}

function smallest(entries: { spec: FieldSpec; values: Set<string> }[]) {
  return entries.reduce<(typeof entries)[number] | undefined>((best, e) => (best === undefined || e.values.size < best.values.size ? e : best), undefined);
}

function stubKeys(stub: IndexableStub): StubKeys | null {
  const predicates = stub.config.predicates;
  if (!Array.isArray(predicates) || predicates.some(hasInject)) return null;
  const required = [...allRequirements(predicates).values()];
  const method = smallest(required.filter((r) => r.spec.field === 'method'));
  const path = smallest(required.filter((r) => r.spec.field === 'path'));
  if (method === undefined && path === undefined) return null;
  if (method !== undefined && path !== undefined && method.values.size * path.values.size <= MAX_COMBINATIONS) {
    const keys: string[] = [];
    for (const m of method.values) for (const p of path.values) keys.push(keyOf([m, p]));
    return { specs: [method.spec, path.spec], keys };
  }
  const only = (path ?? method)!;
  return { specs: [only.spec], keys: [...only.values] };
}

/** Stubs keyed the same way, by their key. */
interface Dimension {
  readonly specs: readonly FieldSpec[];
  readonly byKey: Map<string, number[]>;
}

const EMPTY: readonly number[] = [];

/** Merges ascending lists of stub positions (each already free of duplicates) into one. */
function mergeSorted(lists: readonly (readonly number[])[]): number[] {
  let result = lists[0]!.slice();
  for (let l = 1; l < lists.length; l++) {
    const other = lists[l]!;
    const merged: number[] = [];
    let i = 0;
    let j = 0;
    while (i < result.length || j < other.length) {
      const a = i < result.length ? result[i]! : Infinity;
      const b = j < other.length ? other[j]! : Infinity;
      if (a <= b) {
        merged.push(a);
        i++;
        if (a === b) j++;
      } else {
        merged.push(b);
        j++;
      }
    }
    result = merged;
  }
  return result;
}

// A stub's keys depend only on its predicates, which never change: computed once per stub.
const keysCache = new WeakMap<IndexableStub, StubKeys | null>();

function cachedStubKeys(stub: IndexableStub): StubKeys | null {
  let keys = keysCache.get(stub);
  if (keys === undefined) {
    keys = stubKeys(stub);
    keysCache.set(stub, keys);
  }
  return keys;
}

export class StubIndex<S extends IndexableStub> {
  private readonly dimensions: Dimension[] = [];
  /** Positions of stubs that are candidates for every request. */
  private readonly always: number[] = [];
  /** With a single dimension: per key, its stubs merged with `always`, ready to use. */
  private readonly single: Map<string, readonly number[]> | null;

  constructor(
    readonly stubs: S[],
    encoding: 'utf8' | 'base64' = 'utf8',
  ) {
    const byDimension = new Map<string, Dimension>();
    stubs.forEach((stub, position) => {
      // Binary mode (tcp) compares base64-decoded text: nothing is keyed there.
      const keys = encoding === 'utf8' ? cachedStubKeys(stub) : null;
      if (keys === null) {
        this.always.push(position);
        return;
      }
      const id = keys.specs.map(specId).join('|');
      let dimension = byDimension.get(id);
      if (dimension === undefined) {
        dimension = { specs: keys.specs, byKey: new Map() };
        byDimension.set(id, dimension);
        this.dimensions.push(dimension);
      }
      for (const key of keys.keys) {
        const list = dimension.byKey.get(key);
        if (list === undefined) dimension.byKey.set(key, [position]);
        else if (list[list.length - 1] !== position) list.push(position);
      }
    });
    this.single = null;
    if (this.dimensions.length === 1) {
      const single = new Map<string, readonly number[]>();
      for (const [key, list] of this.dimensions[0]!.byKey) single.set(key, this.always.length === 0 ? list : mergeSorted([list, this.always]));
      this.single = single;
    }
  }

  /** True when the index can skip stubs at all (some stub is keyed). */
  get isSelective(): boolean {
    return this.dimensions.length > 0;
  }

  /**
   * Ascending positions in `stubs` of the stubs that may match; every stub that matches the
   * request is among them. null means every stub (nothing to skip, or fields that are not strings).
   */
  candidates(request: MatchRequest): readonly number[] | null {
    const dimensions = this.dimensions;
    if (dimensions.length === 0) return null;
    if (this.single !== null) {
      const key = this.keyFor(dimensions[0]!, request);
      if (key === null) return null;
      return this.single.get(key) ?? this.always;
    }
    const found: (readonly number[])[] = [];
    for (const dimension of dimensions) {
      const key = this.keyFor(dimension, request);
      if (key === null) return null;
      const list = dimension.byKey.get(key);
      if (list !== undefined) found.push(list);
    }
    if (this.always.length > 0) found.push(this.always);
    return found.length === 0 ? EMPTY : found.length === 1 ? found[0]! : mergeSorted(found);
  }

  private keyFor(dimension: Dimension, request: MatchRequest): string | null {
    const specs = dimension.specs;
    const first = this.valueOf(specs[0]!, request);
    if (first === null || specs.length === 1) return first;
    const second = this.valueOf(specs[1]!, request);
    if (second === null) return null;
    return `${first.length}:${first}${second.length}:${second}`;
  }

  private valueOf(spec: FieldSpec, request: MatchRequest): string | null {
    const value = request.field(spec.field, spec.lowerKeys);
    if (typeof value !== 'string') return null;
    return spec.lowerValues ? value.toLowerCase() : value;
  }
}
