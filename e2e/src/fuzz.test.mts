// The fuzzer's CI-sized run: thousands of generated malformed requests to every public route and
// every gRPC method; not one may be answered with a 5xx / INTERNAL, and no service may die.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fuzz, login } from '../../tools/fuzz/fuzz.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

const REQUESTS = 6_000;

describe('input fuzzer', () => {
  let topology: E2eTopology;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      env: { auth: { LOGIN_LIMIT_PER_IP: '1000000', REGISTER_LIMIT_PER_IP: '1000000' } },
    });
  });

  after(async () => {
    const codes = await topology.stop();
    assert.ok(
      Object.values(codes).every((code) => code === 0),
      JSON.stringify(codes),
    );
    await removeInfrastructure();
  });

  it(`answers ${String(REQUESTS)} hostile requests without a 5xx, INTERNAL or crash`, async () => {
    const token = await login(topology.url('auth', ''));
    const seed = Number(process.env.FUZZ_SEED ?? 20261121);
    const report = await fuzz(
      {
        httpUrl: (service) => topology.url(service, ''),
        grpcTarget: (service) => topology.grpcTarget(service),
        token,
      },
      { requests: REQUESTS, seed },
    );
    assert.deepEqual(
      report.findings,
      [],
      `seed ${String(seed)}: ${JSON.stringify(report.findings.slice(0, 10))}`,
    );
    assert.ok(report.http + report.grpc >= 5_000, JSON.stringify(report.byStatus));
    assert.ok(report.grpc >= 1_000, 'every gRPC method gets its share');
    assert.ok((report.byStatus['grpc INVALID_ARGUMENT'] ?? 0) > 0, 'gRPC validation was reached');
    for (const service of topology.services)
      assert.equal(service.process.exitCode, null, `${service.name} died`);
  });
});
