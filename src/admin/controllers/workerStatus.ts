// What GET / and GET /metrics show of each worker under --workers.
export interface WorkerStatus {
  /** 1..N; a restarted worker keeps its number. */
  readonly worker: number;
  readonly pid: number | null;
  /** False while it starts or catches up on the imposters. */
  readonly serving: boolean;
  /** Requests it answered (all imposters, restarts included, up to the last collection). */
  readonly requests: number;
  readonly restarts: number;
}
