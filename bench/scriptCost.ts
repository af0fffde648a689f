// What one `_rift.script` call costs, in-process (no sockets), per engine, with the in-memory flow
// store: the same small script in Lua, Rhai and JavaScript, called with and without the stall
// limit. With it, each synchronous stretch runs under V8's watchdog (model/timeLimit.ts).
// Run: npm run build && node dist/bench/scriptCost.js
import { javascriptEngine } from '../src/scripting/javascriptEngine.js';
import { luaEngine } from '../src/scripting/lua/luaEngine.js';
import { rhaiEngine } from '../src/scripting/rhaiEngine.js';
import type { ScriptEngine } from '../src/scripting/engine.js';
import { MemoryFlowStore } from '../src/state/memoryFlowStore.js';

const store = new MemoryFlowStore(300);
const request = { method: 'GET', path: '/x', headers: { 'x-flow-id': 'f1' }, query: {}, pathParams: {}, body: null };
const scripts: [ScriptEngine, string][] = [
  [
    luaEngine,
    'function should_inject(request, flow_store)\n  local n = flow_store:increment(request.headers["x-flow-id"], "n")\n  if n % 3 == 0 then return { inject = true, fault = "error", status = 503 } end\n  return { inject = false }\nend',
  ],
  [
    rhaiEngine,
    'fn should_inject(request, flow_store) {\n  let n = flow_store.increment(request.headers["x-flow-id"], "n");\n  if n % 3 == 0 { return #{ inject: true, fault: "error", status: 503 }; }\n  #{ inject: false }\n}',
  ],
  [
    javascriptEngine,
    'function should_inject(request, flow_store) {\n  const n = flow_store.increment(request.headers["x-flow-id"], "n");\n  if (n % 3 === 0) return { inject: true, fault: "error", status: 503 };\n  return { inject: false };\n}',
  ],
];
const N = 20_000;

for (const stallMs of [0, 75]) {
  for (const [engine, source] of scripts) {
    const script = engine.compile(source, { timeoutMs: 5_000, stallMs });
    const call = () => script.run({ request, store, deadline: Date.now() + 5_000, stallMs });
    for (let i = 0; i < 3_000; i++) call();
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i++) call();
    const us = Number(process.hrtime.bigint() - started) / N / 1000;
    console.log(`${engine.name.padEnd(10)} --stallLimit ${String(stallMs).padEnd(3)} ${us.toFixed(1).padStart(8)} µs/call`);
  }
}
