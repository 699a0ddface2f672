// Preloaded (node --import) into a process profiled with --cpu-prof or perf, and inherited by its cluster
// workers through execArgv. V8 writes a CPU profile (and flushes --perf-basic-prof maps) only when the
// process exits by itself, never when a signal kills it: so on SIGINT or SIGTERM a process without a
// handler of its own exits normally, and one with a handler gets 10 s to close before it is made to exit.

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(0);
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}

export {};
