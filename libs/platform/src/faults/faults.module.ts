import { Module } from '@nestjs/common';
import { FaultAdminController, FaultAdminGuard } from './fault-admin.controller';
import { FaultInjector } from './fault-injector';
import { SharedFaultInjector } from './shared-fault-injector';

/**
 * The lab's fault injection for a service with `@InjectFault` adapter methods: the injector they
 * use and the operator's endpoint /admin/faults. Off unless FAULT_INJECTION is true.
 */
@Module({
  controllers: [FaultAdminController],
  providers: [FaultAdminGuard, { provide: FaultInjector, useClass: SharedFaultInjector }],
  exports: [FaultInjector],
})
export class FaultsModule {}
