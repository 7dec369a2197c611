/**
 * Injected latency and errors, to show what a slow or failing dependency does to each checkout
 * path. Domain services call `await this.faults.inject('charge')` first thing in an operation.
 * This class injects nothing: it is what a domain service gets when constructed without one (unit
 * tests). Services that take faults provide `faultInjectorProvider`, i.e. SharedFaultInjector.
 */
export class FaultInjector {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- this one injects nothing
  inject(operation: string): Promise<void> {
    return Promise.resolve();
  }
}
