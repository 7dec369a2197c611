// Helm releases left `pending-install` / `pending-upgrade` / `pending-rollback` by an
// interrupted deploy block every later `helm upgrade` ("another operation is in progress").
// cluster:up finds them in its namespaces before it starts and after an interrupted skaffold,
// and puts them back: a release that never got installed is uninstalled, an interrupted
// upgrade or rollback is rolled back to the revision before it.
import { parseJson, type Run } from './run.mts';

/** The namespaces whose releases skaffold.yaml deploys. */
export const RELEASE_NAMESPACES = ['junction', 'istio-system', 'istio-ingress'] as const;

export interface Release {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  readonly status: string;
}

/** The releases of the namespaces in a `pending-*` state (`helm list -a -o json`). */
export function pendingReleases(
  run: Run,
  context: string,
  namespaces: readonly string[] = RELEASE_NAMESPACES,
): Release[] {
  return namespaces.flatMap((namespace) => {
    const listed = parseJson(
      run('helm', ['list', '-a', '-o', 'json', '-n', namespace, '--kube-context', context]),
    );
    const rows = Array.isArray(listed)
      ? (listed as {
          name?: string;
          namespace?: string;
          revision?: string | number;
          status?: string;
        }[])
      : [];
    return rows
      .filter((r) => r.name && r.status?.startsWith('pending-'))
      .map((r) => ({
        name: r.name ?? '',
        namespace: r.namespace ?? namespace,
        revision: Number(r.revision ?? 0),
        status: r.status ?? '',
      }));
  });
}

/** The helm command that puts a pending release back in a state skaffold can upgrade. */
export function repairCommand(release: Release, context: string): string[] {
  const where = ['-n', release.namespace, '--kube-context', context];
  // A first install has no earlier revision to go back to.
  if (release.status === 'pending-install' || release.revision <= 1)
    return ['uninstall', release.name, ...where];
  return ['rollback', release.name, String(release.revision - 1), ...where];
}

/** Repairs every pending release; returns a line per release saying what was done. */
export function repairPendingReleases(
  run: Run,
  context: string,
  namespaces: readonly string[] = RELEASE_NAMESPACES,
): string[] {
  return pendingReleases(run, context, namespaces).map((release) => {
    const args = repairCommand(release, context);
    const result = run('helm', args);
    const what = `Helm release ${release.namespace}/${release.name} was ${release.status} (revision ${String(release.revision)})`;
    return result.ok
      ? `${what}: helm ${args.join(' ')}`
      : `${what}; helm ${args.join(' ')} failed: ${result.out.trim().split('\n')[0] ?? ''}`;
  });
}
