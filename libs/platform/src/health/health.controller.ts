import { Controller, Get, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { type DependencyReport } from './dependency-status';
import { ObservedDependencies } from './observed-dependencies';
import { Readiness, type ReadinessReport } from './readiness';

export interface StatusReport {
  readonly service: string;
  readonly readiness: ReadinessReport;
  /** What this process observed on its real calls and connections (it sends no probes). */
  readonly dependencies: Record<string, DependencyReport>;
}

/**
 * Liveness, readiness and the diagnostic status, for probes, the local topology and people.
 * `/healthz` depends on nothing outside the process; `/readyz` on what this process needs to
 * serve its own requests (Redis), never on peers or the broker; `/statusz` always answers 200
 * with what was observed about every dependency. These produce no spans.
 */
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly observed: ObservedDependencies,
    private readonly identity: ServiceIdentity,
  ) {}

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessReport> {
    const report = await this.readiness.report();
    void reply.status(report.ready ? 200 : 503);
    return report;
  }

  @Get('statusz')
  async status(): Promise<StatusReport> {
    return {
      service: this.identity.name,
      readiness: await this.readiness.report(),
      dependencies: this.observed.report(),
    };
  }
}
