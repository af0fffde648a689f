// The script engines by the name `_rift.script.engine` uses.
import type { ScriptEngine } from './engine.js';
import { javascriptEngine } from './javascriptEngine.js';
import { luaEngine } from './lua/luaEngine.js';
import { rhaiEngine } from './rhaiEngine.js';

export const scriptEngines: ReadonlyMap<string, ScriptEngine> = new Map([
  [javascriptEngine.name, javascriptEngine],
  ['js', javascriptEngine],
  [luaEngine.name, luaEngine],
  [rhaiEngine.name, rhaiEngine],
]);

/** Engines that run arbitrary JavaScript, allowed only with --allowInjection (as mountebank's inject). */
export const INJECTION_ENGINES: ReadonlySet<string> = new Set([javascriptEngine.name]);
