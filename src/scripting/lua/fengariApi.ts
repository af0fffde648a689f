// The parts of fengari the Lua engine uses, as live bindings: set when the first Lua script is
// compiled, not at startup (fengari takes ~75 ms to import and most runs have no Lua). fengari
// ships no types (fengari.d.ts), so these are `any` as the package itself is.
import { lazyModule } from '../../model/lazyModule.js';

const fengari = lazyModule<typeof import('fengari')>('fengari');

/* eslint-disable @typescript-eslint/no-explicit-any -- fengari ships no types */
export let lua: any;
export let lauxlib: any;
export let lualib: any;
export let to_luastring: any;
export let to_jsstring: any;

/** Binds the names above (the package is required once; later calls only re-read its exports). */
export function loadFengari(): void {
  ({ lua, lauxlib, lualib, to_luastring, to_jsstring } = fengari());
}
