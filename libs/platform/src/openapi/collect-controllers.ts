import { type DynamicModule, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';

type ModuleRef = Type | DynamicModule | { forwardRef: () => Type } | Promise<DynamicModule>;

function isDynamic(ref: ModuleRef): ref is DynamicModule {
  return typeof ref === 'object' && 'module' in ref;
}

/**
 * The controllers of a module and of everything it imports, read from the `@Module` metadata
 * without creating the app — what `npm run openapi:generate` documents (the running service
 * reads the same controllers from its module container).
 */
export function collectControllers(root: Type | DynamicModule): Type[] {
  const seen = new Set<unknown>();
  const controllers: Type[] = [];
  const visit = (ref: ModuleRef | undefined): void => {
    if (!ref || ref instanceof Promise) return;
    const module = 'forwardRef' in ref ? ref.forwardRef() : ref;
    if (seen.has(module)) return;
    seen.add(module);
    const type = isDynamic(module) ? module.module : module;
    const read = <T>(key: string): T[] => (Reflect.getMetadata(key, type) as T[] | undefined) ?? [];
    for (const controller of [
      ...read<Type>(MODULE_METADATA.CONTROLLERS),
      ...(isDynamic(module) ? (module.controllers ?? []) : []),
    ]) {
      if (!controllers.includes(controller)) controllers.push(controller);
    }
    for (const imported of [
      ...read<ModuleRef>(MODULE_METADATA.IMPORTS),
      ...((isDynamic(module) ? (module.imports ?? []) : []) as ModuleRef[]),
    ]) {
      visit(imported);
    }
  };
  visit(root);
  return controllers;
}
