// `npm start`: every service as a local process against RabbitMQ and Redis on localhost.
import { reachable, SERVICES, startTopology, stopAll } from './topology.mts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rabbitmqUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

if (process.argv.includes('--help')) {
  console.log(`usage: npm start

Builds and starts every service (${Object.keys(SERVICES).join(', ')}) as separate processes
on fixed ports, against RabbitMQ and Redis on localhost, waits until every /readyz is green and
prints the URLs. Ctrl-C stops them all (graceful shutdown).

Environment: REDIS_URL (default ${redisUrl}), RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672).`);
  process.exit(0);
}

const missing: string[] = [];
if (!(await reachable(redisUrl))) {
  missing.push(`Redis is not reachable at ${redisUrl}.
  Start it:  redis-server --daemonize yes        (Debian/Ubuntu: sudo apt-get install redis-server)
  or point REDIS_URL at a running one.`);
}
if (!(await reachable(rabbitmqUrl))) {
  missing.push(`RabbitMQ is not reachable at ${new URL(rabbitmqUrl).host}.
  Start it:  rabbitmq-server -detached           (Debian/Ubuntu: sudo apt-get install rabbitmq-server)
  or point RABBITMQ_URL at a running one.`);
}
if (missing.length > 0) {
  console.error(missing.join('\n\n'));
  process.exit(1);
}

console.log(`starting ${Object.keys(SERVICES).join(', ')} ...`);
const running = await startTopology({ redisUrl, rabbitmqUrl }).catch((error: unknown) => {
  console.error(
    `could not start the topology: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});

const rows = Object.entries(SERVICES).map(
  ([name, ports]) =>
    `  ${name.padEnd(10)} http://127.0.0.1:${String(ports.http)}${ports.grpc ? `   gRPC 127.0.0.1:${String(ports.grpc)}` : ''}`,
);
console.log(`
Junction is up (every /readyz is green):
${rows.join('\n')}

Try:  curl http://127.0.0.1:3005/inventory/items
Press Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping ...');
    void stopAll(running).then((codes) => {
      const failed = Object.entries(codes).filter(([, code]) => code !== 0);
      for (const [name, code] of failed) console.error(`${name} exited with ${String(code)}`);
      process.exit(failed.length === 0 ? 0 : 1);
    });
  });
}
for (const service of running) {
  void service.exited.then((code) => {
    if (!stopping) console.error(`${service.name} exited unexpectedly with code ${String(code)}`);
  });
}
