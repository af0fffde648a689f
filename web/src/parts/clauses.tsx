// A stub report (why a stub did or did not match a request): the clauses that failed, each with
// where it is in the stub, what the stub expected and what the request had. All as text.

export interface Clause {
  at: string;
  operator: string;
  held: boolean;
  field?: string;
  expected?: unknown;
  actual?: unknown;
  jsonpath?: string;
  xpath?: string;
  error?: string;
  skipped?: boolean;
  clauses?: Clause[];
}

export interface StubReport {
  index: number;
  id?: string;
  matched: boolean;
  held: number;
  total: number;
  failed: Clause[];
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value));

/** Nested clauses (not/and/or) flattened with their depth, so one table shows them all. */
function rows(clauses: Clause[], depth = 0): Array<{ clause: Clause; depth: number }> {
  return clauses.flatMap((clause) => [
    { clause, depth },
    ...rows(
      (clause.clauses ?? []).filter((c) => !c.held),
      depth + 1,
    ),
  ]);
}

export const stubName = (report: { index: number; id?: string }): string => `stub ${report.index}${report.id === undefined ? '' : ` “${report.id}”`}`;

export function NearMiss({ report, onEdit }: { report: StubReport; onEdit?: (index: number) => void }) {
  return (
    <div class="near-miss" data-testid="near-miss">
      <p>
        <span class="missed">No stub matched.</span> Closest: <strong>{stubName(report)}</strong> ({report.held} of {report.total} clauses held)
        {onEdit ? (
          <>
            {' '}
            <button type="button" class="small secondary" onClick={() => onEdit(report.index)}>
              Edit {stubName(report)}
            </button>
          </>
        ) : null}
      </p>
      <ClauseTable clauses={report.failed} />
    </div>
  );
}

export function ClauseTable({ clauses }: { clauses: Clause[] }) {
  if (clauses.length === 0) return null;
  return (
    <div class="table">
      <table class="clauses">
        <thead>
          <tr>
            <th scope="col">Failed clause</th>
            <th scope="col">Expected</th>
            <th scope="col">Request had</th>
          </tr>
        </thead>
        <tbody>
          {rows(clauses).map(({ clause, depth }, i) => (
            <tr key={i}>
              <td>
                <code style={depth > 0 ? { marginLeft: `${depth}rem` } : undefined}>{clause.at}</code>
                {clause.jsonpath ? <span class="muted"> (jsonpath {clause.jsonpath})</span> : null}
                {clause.xpath ? <span class="muted"> (xpath {clause.xpath})</span> : null}
              </td>
              <td>{clause.field !== undefined ? <code>{show(clause.expected)}</code> : <span class="muted">{clause.operator}</span>}</td>
              <td>
                {clause.skipped ? (
                  <span class="muted">not run again (inject)</span>
                ) : clause.error ? (
                  <span class="missed">{clause.error}</span>
                ) : clause.field !== undefined ? (
                  <code>{show(clause.actual)}</code>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
