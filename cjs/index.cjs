'use strict';
// CommonJS entry: `require('standin')`. standin itself is an ES module, which Node 20 cannot
// require(), so each function here loads it on first call (one dynamic import, then cached).
let core;
const load = () => (core ??= import('../dist/src/library/index.js'));

/** Starts a standin in this process; see docs/library.md. */
exports.start = async function start(options) {
  return (await load()).start(options);
};
