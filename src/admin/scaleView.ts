// What the admin API shows and does differently when standin runs as several processes
// (--workers, --fleet); absent otherwise, so a single standin answers exactly as before.
import type { Exposition } from '../metrics/exposition.js';

export interface ScaleView {
  /** Runs before every routed admin request (collects what the other processes served; may refuse with a 503). */
  before(method: string, path: string): Promise<void>;
  /** Fields GET / adds (`workers`, or `fleet`). */
  home(): Promise<Record<string, unknown>>;
  /** Families GET /metrics adds. */
  metrics(out: Exposition): Promise<void>;
}
