// The admin API under churn: creates N imposters of M path stubs one after another (each on a
// port the server picks), then deletes them, timing every call. Run by run.ts on the load core.
// Prints one JSON line: calls per second, p50/p99 per call, errors.
//   node apiChurn.js ADMIN_URL IMPOSTERS STUBS_EACH
import http from 'node:http';

const [adminUrl, impostersArg, stubsArg] = process.argv.slice(2);
const imposters = Number(impostersArg);
const stubsEach = Number(stubsArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = data === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)) };
    const req = http.request(`${adminUrl}${path}`, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const answer = { is: { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'hello' } };
const definition = (i: number) => ({
  protocol: 'http',
  name: `churn-${i}`,
  stubs: Array.from({ length: stubsEach }, (_, s) => ({ predicates: [{ equals: { method: 'GET', path: `/churn/${i}/${s}` } }], responses: [answer] })),
});

async function main(): Promise<void> {
  const latencies: number[] = [];
  let errors = 0;
  const timed = async (method: string, path: string, body?: unknown) => {
    const started = process.hrtime.bigint();
    const res = await call(method, path, body);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    return res;
  };
  const started = process.hrtime.bigint();
  const ports: number[] = [];
  for (let i = 0; i < imposters; i++) {
    const res = await timed('POST', '/imposters', definition(i));
    if (res.status !== 201) errors++;
    else ports.push((JSON.parse(res.text) as { port: number }).port);
  }
  for (const port of ports) {
    const res = await timed('DELETE', `/imposters/${port}`);
    if (res.status !== 200) errors++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  agent.destroy();
  console.log(JSON.stringify({ requestsPerSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), errors }));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
