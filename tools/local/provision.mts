// `npm run provision [-- --remove] [--user-prefix <p>]`: each service's own Redis ACL user and
// RabbitMQ user on the local Redis and RabbitMQ, confined as the chart's are (service-access.mts).
// `npm start` runs the same before it starts the services.
import { parseArgs } from 'node:util';
import { serviceAccess } from '@junction/topology/access';
import { loadTopology } from '@junction/topology';
import {
  localPasswords,
  provisionServiceAccess,
  removeServiceAccess,
  vhostOf,
} from './service-access.mts';

const { values } = parseOrExit();

/** The command line, or exit 2 with what is wrong with it. */
function parseOrExit() {
  try {
    return parseArgs({
      options: {
        remove: { type: 'boolean', default: false },
        'user-prefix': { type: 'string', default: '' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : String(error)}\nsee: npm run provision -- --help`,
    );
    process.exit(2);
  }
}
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rabbitmqUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

if (values.help) {
  console.log(`usage: npm run provision [-- --remove] [--user-prefix <prefix>]

Creates (or resets to exactly its rules) each service's own user on the local Redis (ACL SETUSER)
and RabbitMQ (rabbitmqctl; in the vhost of RABBITMQ_URL), as the chart's Redis and RabbitMQ load
them (charts/junction-infra/files/service-access.json, generated from topology.yaml): a service's
Redis user touches only keys and channels under "<service>:", its broker user publishes only the
events it publishes and consumes only its own queues. Declares the broker topology first.
Passwords: generated once into .local/service-passwords.json (git-ignored). npm start runs this.

--remove              delete those users instead
--user-prefix <p>     put <p> before each user name (default: none, the user is the service)

Environment: REDIS_URL (an administrator, default redis://127.0.0.1:6379), RABBITMQ_URL (an
administrator, default amqp://guest:guest@127.0.0.1:5672; rabbitmqctl must reach that broker).`);
  process.exit(0);
}

const userPrefix = values['user-prefix'];
try {
  if (values.remove) {
    await removeServiceAccess({ redisUrl, userPrefix });
    console.log('removed the services’ Redis and RabbitMQ users');
  } else {
    await provisionServiceAccess({
      redisUrl,
      rabbitmqUrl,
      userPrefix,
      passwords: localPasswords(),
    });
    const access = serviceAccess(loadTopology());
    for (const service of new Set([
      ...Object.keys(access.redis),
      ...Object.keys(access.rabbitmq),
    ])) {
      const stores = [
        service in access.redis ? 'Redis' : undefined,
        service in access.rabbitmq ? `RabbitMQ (vhost ${vhostOf(rabbitmqUrl)})` : undefined,
      ].filter(Boolean);
      console.log(
        `  ${service.padEnd(10)} user ${userPrefix}${service} on ${stores.join(' and ')}`,
      );
    }
    console.log('passwords: .local/service-passwords.json');
  }
} catch (error) {
  console.error(`provisioning failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
