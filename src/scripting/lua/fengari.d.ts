// fengari ships no types; the Lua engine wraps the few C-API calls it uses.
declare module 'fengari';
