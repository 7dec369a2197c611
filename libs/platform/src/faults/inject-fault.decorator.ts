import { Inject } from '@nestjs/common';
import { FaultInjector } from './fault-injector';

/** The property where Nest puts the FaultInjector of a class with `@InjectFault` methods. */
const INJECTOR = Symbol('FaultInjector');

interface WithInjector {
  [INJECTOR]?: FaultInjector;
}

/** Classes whose FaultInjector property is declared already (one declaration per class). */
const declared = new WeakSet<object>();

/** Every operation an `@InjectFault` of this process names (the admin endpoint accepts these). */
const operations = new Set<string>();

export function faultOperations(): readonly string[] {
  return [...operations].sort();
}

/**
 * Injects the configured fault of `operation` before an adapter method runs: the lab feature that
 * shows what a slow or failing dependency does to each checkout path, kept out of the domain.
 * Put it on every adapter method that reaches the operation (payment's `charge`: the gRPC
 * `Charge` handler and the inventory.reserved consumer's `handle`), so each transport gets the
 * same fault:
 *
 *     @InjectFault('charge')
 *     async charge(request: unknown): Promise<paymentV1.ChargeResponse> { … }
 *
 * The method's class gets the FaultInjector by property injection, so the service's module must
 * import FaultsModule (or bind FaultInjector itself), or Nest refuses to start. What is injected
 * is config: nothing unless FAULT_INJECTION is true, then FAULT_LATENCY_MS / FAULT_ERROR_RATE and
 * the runtime settings of the admin endpoint (`npm run fault`; SharedFaultInjector); with none
 * set, the method runs as written. An
 * instance built without Nest (a unit test's `new`) has no injector and is never faulted.
 * The fault comes first, before the method parses its input. Only async methods can carry it.
 */
export function InjectFault(operation: string) {
  return <Method extends (...args: never[]) => Promise<unknown>>(
    prototype: object,
    name: string | symbol,
    descriptor: TypedPropertyDescriptor<Method>,
  ): TypedPropertyDescriptor<Method> => {
    const method = descriptor.value;
    if (method === undefined) throw new TypeError(`@InjectFault('${operation}') is for methods`);
    operations.add(operation);
    if (!declared.has(prototype)) {
      Inject(FaultInjector)(prototype, INJECTOR);
      declared.add(prototype);
    }
    async function faulted(this: WithInjector, ...args: Parameters<Method>): Promise<unknown> {
      await this[INJECTOR]?.inject(operation);
      return method?.apply(this, args);
    }
    keepIdentity(method, faulted);
    return { ...descriptor, value: faulted as Method };
  };
}

/**
 * The wrapper keeps the method's name (Nest's handler spans are named after it) and the metadata
 * that decorators applied before this one put on the function (routes, message patterns).
 */
function keepIdentity(method: object & { name: string }, wrapper: object): void {
  Object.defineProperty(wrapper, 'name', { value: method.name });
  for (const key of Reflect.getOwnMetadataKeys(method)) {
    Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, method), wrapper);
  }
}
