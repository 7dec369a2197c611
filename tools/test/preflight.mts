// Before `npm test`: the integration and end-to-end tests need the machine's RabbitMQ (with
// rabbitmqctl, for the tests' own vhost) and Redis. Say clearly what is missing.
import { execFileSync } from 'node:child_process';
import { reachable } from '../local/topology.mts';

const problems: string[] = [];
if (!(await reachable('redis://127.0.0.1:6379'))) {
  problems.push('Redis is not reachable at 127.0.0.1:6379. Start it: redis-server --daemonize yes');
}
if (!(await reachable('amqp://127.0.0.1:5672'))) {
  problems.push('RabbitMQ is not reachable at 127.0.0.1:5672. Start it: rabbitmq-server -detached');
}
try {
  execFileSync('rabbitmqctl', ['-q', 'list_vhosts'], { stdio: 'pipe' });
} catch {
  problems.push(
    'rabbitmqctl does not work here; the end-to-end tests create their own vhost with it (install rabbitmq-server, run as a user allowed to use it).',
  );
}
if (problems.length > 0) {
  console.error(`npm test needs:\n  ${problems.join('\n  ')}\n(.ci/run starts or installs them.)`);
  process.exit(1);
}
