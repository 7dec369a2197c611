// Loaded into each service the bench starts (NODE_OPTIONS=--import): on SIGUSR2 it prints the
// process's cumulative event-loop utilisation as one JSON line on stdout, which the bench reads
// from the service's output. Node measures ELU only inside the process (performance.
// eventLoopUtilization), so the probe has to live there; it adds no timer and no work otherwise.
import { performance } from 'node:perf_hooks';

process.on('SIGUSR2', () => {
  const { idle, active } = performance.eventLoopUtilization();
  process.stdout.write(`${JSON.stringify({ benchElu: { idle, active } })}\n`);
});
