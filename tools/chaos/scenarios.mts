// Every chaos scenario, in the order `npm run chaos` runs them.
import { redisRestart, rabbitmqRestart } from './infrastructure-scenarios.mts';
import { duplicateDeliveries, poison } from './message-scenarios.mts';
import { killAndRestart, sigtermDrain } from './process-scenarios.mts';
import { queueDeleted } from './queue-scenarios.mts';
import { consumerCancelled, parkedSaga } from './saga-scenarios.mts';
import { type Scenario } from './scenario.mts';
import { slowConsumer } from './slow-consumer-scenario.mts';

/** Nothing breaks: what the books look like on a calm day (and the control for the others). */
export const baseline: Scenario = {
  name: 'baseline',
  title: 'no fault (baseline)',
  inCi: false,
  disrupt: () => Promise.resolve(),
};

export const SCENARIOS: readonly Scenario[] = [
  baseline,
  killAndRestart('inventory', false),
  killAndRestart('payment', true),
  killAndRestart('orders', false),
  sigtermDrain,
  rabbitmqRestart,
  redisRestart,
  slowConsumer,
  duplicateDeliveries,
  poison,
  queueDeleted('payment', true),
  queueDeleted('orders', false),
  parkedSaga,
  consumerCancelled('payment'),
  consumerCancelled('inventory'),
];

export const CI_SCENARIOS: readonly Scenario[] = SCENARIOS.filter((scenario) => scenario.inCi);
