import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  hasLoadGenerator,
  hasMesh,
  PROFILES,
  preparedCharts,
  profileArgs,
  render,
} from './charts.mts';
import { helm } from './helm.mts';
import { LOAD_GENERATOR } from './load-generator.mts';
import { chartServices, chartWebApps } from './values.mts';

describe('helm lint --strict and helm template', () => {
  for (const profile of PROFILES) {
    for (const chart of ['junction', 'junction-infra'] as const) {
      it(`lints ${chart} cleanly with the ${profile} profile`, () => {
        const result = helm([
          'lint',
          '--strict',
          path.join(preparedCharts(), chart),
          ...profileArgs(profile, chart),
        ]);
        assert.equal(result.status, 0, `helm lint failed:\n${result.stdout}\n${result.stderr}`);
        assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      });
    }

    it(`renders both charts with the ${profile} profile`, () => {
      const { app, infra } = render(profile);
      const kinds = (objects: typeof app): string[] =>
        [...new Set(objects.map((o) => o.kind))].sort();
      assert.deepEqual(kinds(infra), [
        'ConfigMap',
        'Deployment',
        'PodDisruptionBudget',
        'Secret',
        'Service',
        'ServiceAccount',
        'StatefulSet',
      ]);
      const deployments = app.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
      assert.deepEqual(
        deployments.sort(),
        [
          ...Object.keys(chartServices()),
          ...Object.keys(chartWebApps()),
          ...(hasLoadGenerator(profile) ? [LOAD_GENERATOR] : []),
        ].sort(),
      );
      const istioKinds = app.filter((o) => o.apiVersion.includes('istio.io')).map((o) => o.kind);
      if (!hasMesh(profile)) assert.deepEqual(istioKinds, []);
      else {
        for (const kind of [
          'PeerAuthentication',
          'AuthorizationPolicy',
          'DestinationRule',
          'VirtualService',
          'Gateway',
          'Telemetry',
        ]) {
          assert.ok(istioKinds.includes(kind), `${profile}: no ${kind} rendered`);
        }
      }
    });
  }
});
