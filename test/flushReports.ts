// Loaded into every test file's process: runTests passes it to node with --import, and node's
// runner hands its flags on to the process it starts for each file. That process reports its
// results to the runner through a pipe, and --test-force-exit ends it the moment its tests end.
// On Linux node writes to a pipe without blocking and keeps what the pipe cannot take yet in
// memory, which the exit throws away: on Node 22 and 24 the runner then never hears of the last
// tests of some files, failures included, and the run still passes (nodejs/node#64833; here up
// to 90 of 594 unit tests went unreported per run). Blocking writes are done before the exit.
for (const stream of [process.stdout, process.stderr]) {
  const handle: unknown = Reflect.get(stream, '_handle');
  if (typeof handle === 'object' && handle !== null) {
    const setBlocking: unknown = Reflect.get(handle, 'setBlocking');
    if (typeof setBlocking === 'function') setBlocking.call(handle, true);
  }
}
