// The flow state a request's matching reads (Rift's script predicates, `_rift.script` with
// `matches(ctx)`): each flow's keys read once per request, then answered at once, since a
// predicate answers synchronously. A flow kept in memory is read on the spot; one kept in Redis
// answers later, so the predicate that asked is matched again once it has arrived.

/** What a flow store keeps: JSON values (numbers stay numbers, maps stay maps). */
export type FlowValue = null | boolean | number | string | FlowValue[] | { [key: string]: FlowValue };

/** Most flows one request's predicates may read (a script reading ever new flows would never settle). */
export const MAX_FLOWS_READ = 32;

export class FlowReads {
  private readonly flows = new Map<string, ReadonlyMap<string, FlowValue>>();
  private readonly reading = new Map<string, Promise<void>>();
  private failure: unknown;

  constructor(
    /** The request's own flow (`_rift.flowState.flowIdSource`). */
    readonly flowId: string,
    private readonly read: (flowId: string) => ReadonlyMap<string, FlowValue> | Promise<ReadonlyMap<string, FlowValue>>,
  ) {}

  /** The flow's keys and values, or undefined while they are being read (then `waiting` is true). */
  keys(flowId: string): ReadonlyMap<string, FlowValue> | undefined {
    const known = this.flows.get(flowId);
    if (known !== undefined || this.reading.has(flowId)) return known;
    if (this.flows.size + this.reading.size >= MAX_FLOWS_READ) {
      throw new Error(`the predicates of one request may read at most ${MAX_FLOWS_READ} flows' state`);
    }
    const read = this.read(flowId);
    if (!(read instanceof Promise)) {
      this.flows.set(flowId, read);
      return read;
    }
    this.reading.set(
      flowId,
      read.then(
        (keys) => {
          this.flows.set(flowId, keys);
          this.reading.delete(flowId);
        },
        (err: unknown) => {
          this.failure ??= err;
          this.reading.delete(flowId);
        },
      ),
    );
    return undefined;
  }

  /** Whether a flow is still being read: what was matched since must be matched again after `settled()`. */
  get waiting(): boolean {
    return this.reading.size > 0;
  }

  /** Once every flow asked for is read; rejects with the store's error when one could not be. */
  async settled(): Promise<void> {
    while (this.reading.size > 0) await Promise.all(this.reading.values());
    if (this.failure !== undefined) throw this.failure;
  }
}

/** Thrown by a predicate that read a flow still being read: the imposter waits for it and matches that stub again. */
export class FlowNotRead extends Error {
  constructor(flowId: string) {
    super(`the state of flow ${JSON.stringify(flowId)} was not read for this request`);
    this.name = 'FlowNotRead';
  }
}

/**
 * A predicate that failed in a way that decides the request's answer (Rift's script predicate:
 * a 500, or a 504 when it ran out of time). `answer` is given the stub's label and returns an
 * `is` response; it logs the failure.
 */
export class AnsweringError extends Error {
  constructor(
    message: string,
    readonly answer: (stub: string) => { statusCode: number; headers: Record<string, string>; body: string },
  ) {
    super(message);
    this.name = 'AnsweringError';
  }
}
