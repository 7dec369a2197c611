import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROFILES, preparedCharts, profileArgs } from './charts.mts';
import { helm4, helmOk } from './helm.mts';
import { asKubeObjects, isRecord, parseYamlDocuments, type KubeObject } from './repo.mts';

const CHARTS = ['junction', 'junction-infra'] as const;

/**
 * The rendered objects, with the values of Secrets masked: the charts generate keys and
 * passwords at render time, so two renderings never agree on those (the keys must).
 */
function objects(rendered: string, source: string): KubeObject[] {
  return asKubeObjects(parseYamlDocuments(rendered, source), source).map((object) => {
    if (object.kind !== 'Secret') return object;
    const mask = (data: unknown): unknown =>
      isRecord(data)
        ? Object.fromEntries(Object.keys(data).map((key) => [key, '<generated>']))
        : data;
    return { ...object, data: mask(object['data']), stringData: mask(object['stringData']) };
  });
}

/**
 * The same charts under Helm 4 (built from helm.sh/helm/v4 by tools/toolchain): people run
 * either major version, so both must lint strictly and render the same objects.
 */
describe('Helm 4 lint --strict and helm template', () => {
  it('lints the library chart junction-common cleanly', () => {
    const result = helm4(['lint', '--strict', path.join(preparedCharts(), 'junction-common')]);
    assert.equal(result.status, 0, `helm lint failed:\n${result.stdout}\n${result.stderr}`);
  });

  for (const profile of PROFILES) {
    for (const chart of CHARTS) {
      const args = (): string[] => [
        path.join(preparedCharts(), chart),
        ...profileArgs(profile, chart),
      ];

      it(`lints ${chart} cleanly with the ${profile} profile`, () => {
        const result = helm4(['lint', '--strict', ...args()]);
        assert.equal(result.status, 0, `helm lint failed:\n${result.stdout}\n${result.stderr}`);
        assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      });

      it(`renders ${chart} with the ${profile} profile exactly as Helm 3 does`, () => {
        const result = helm4(['template', chart, ...args()]);
        assert.equal(result.status, 0, `helm template failed:\n${result.stderr}`);
        const helm3 = objects(helmOk(['template', chart, ...args()]), `helm 3 template ${chart}`);
        assert.deepEqual(objects(result.stdout, `helm 4 template ${chart}`), helm3);
      });
    }
  }
});
