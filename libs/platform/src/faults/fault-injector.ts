/**
 * Injected latency and errors, to show what a slow or failing dependency does to each checkout
 * path: a lab feature, never called from domain code. Adapter methods ask for it with
 * `@InjectFault('<operation>')` (inject-fault.decorator.ts); a service that has such methods binds
 * this token in its module: `{ provide: FaultInjector, useClass: SharedFaultInjector }`.
 */
export abstract class FaultInjector {
  /** Waits the operation's configured latency, then fails with its configured error rate. */
  abstract inject(operation: string): Promise<void>;
}
