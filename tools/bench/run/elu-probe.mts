// Loaded into each service the bench starts (NODE_OPTIONS=--import): on SIGUSR2 it prints the
// process's cumulative event-loop utilisation as one JSON line on stdout, which the bench reads
// from the service's output. Node measures ELU only inside the process (performance.
// eventLoopUtilization), so the probe has to live there. It reads it every 50 ms in a timer
// (unref'd): read in the signal handler itself, it misses the idle time of the poll the signal
// interrupted (an idle process then shows ~20 % busy), so the last timer's reading is reported.
import { performance } from 'node:perf_hooks';

const EVERY_MS = 50;
let latest = performance.eventLoopUtilization();
setInterval(() => {
  latest = performance.eventLoopUtilization();
}, EVERY_MS).unref();

process.on('SIGUSR2', () => {
  const { idle, active } = latest;
  process.stdout.write(`${JSON.stringify({ benchElu: { idle, active } })}\n`);
});
