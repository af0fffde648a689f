// What `GET /` says of the workers of `standin start --workers N`, and a way to make sure every
// worker took part: each worker accepts connections for itself, and which one takes the next
// connection is up to the machine's scheduler (on a loaded machine one worker can take several in
// a row), so a test that is about several processes sends until each has answered some.
import assert from 'node:assert/strict';
import { get } from './http.js';

export interface WorkerInfo {
  worker: number;
  pid: number | null;
  serving: boolean;
  requests: number;
  restarts: number;
}

export const workersOf = async (adminUrl: string): Promise<WorkerInfo[]> => (await get(`${adminUrl}/`)).json().workers;

/**
 * Runs `round` (which sends requests and asserts their answers) once, then again until every
 * worker has answered at least one request since the call, at most `maxRounds` times in all.
 * Resolves with the number of rounds run.
 */
export async function untilEveryWorkerServed(adminUrl: string, round: () => Promise<void>, maxRounds = 30): Promise<number> {
  const before = await workersOf(adminUrl);
  let now = before;
  for (let rounds = 1; rounds <= maxRounds; rounds++) {
    await round();
    now = await workersOf(adminUrl);
    if (now.every((w, i) => w.requests > (before[i]?.requests ?? 0))) return rounds;
  }
  assert.fail(`not every worker answered in ${maxRounds} rounds: ${JSON.stringify(before)} -> ${JSON.stringify(now)}`);
}
