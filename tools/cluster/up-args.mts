// `npm run cluster:up` flags, and the skaffold command line they stand for. Pure: up.mts runs
// what this returns, and up-args.test.mts holds it to the flags.
import { parseArgs } from 'node:util';

export const CLUSTER = 'junction';
export const CONTEXT = `kind-${CLUSTER}`;

export interface UpFlags {
  /** skaffold dev with the `dev` profile: sync TypeScript into the pods, stay attached. */
  readonly dev: boolean;
  /** No Istio: `-m app -p no-mesh`. */
  readonly noMesh: boolean;
  /** Envoy delays every call to payment: `-p mesh-faults`. */
  readonly meshFaults: boolean;
}

export const USAGE = `usage: npm run cluster:up [-- --dev] [-- --no-mesh] [-- --mesh-faults]
  --dev          skaffold dev -p dev: sync TypeScript into the pods and rebuild there (stays attached)
  --no-mesh      no Istio (small laptops): services reached through port-forwards
  --mesh-faults  Envoy delays every call to payment by 300 ms`;

export type Parsed = { help: true } | { help: false; flags: UpFlags } | { error: string };

/** The command-line flags, or the one line that says what is wrong with them. */
export function parseUpFlags(argv: readonly string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        dev: { type: 'boolean', default: false },
        'no-mesh': { type: 'boolean', default: false },
        'mesh-faults': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { error: `${(error as Error).message}\n${USAGE}` };
  }
  if (values.help) return { help: true };
  if (values['no-mesh'] && values['mesh-faults'])
    return { error: '--mesh-faults needs the mesh: drop --no-mesh' };
  return {
    help: false,
    flags: { dev: values.dev, noMesh: values['no-mesh'], meshFaults: values['mesh-faults'] },
  };
}

/** The skaffold profiles the flags turn on, in skaffold.yaml's order. */
export function profiles(flags: UpFlags): string[] {
  return [
    ...(flags.dev ? ['dev'] : []),
    ...(flags.noMesh ? ['no-mesh'] : []),
    ...(flags.meshFaults ? ['mesh-faults'] : []),
  ];
}

/**
 * The skaffold command line for the flags. `run` deploys and returns (cluster:up then forwards
 * the ports itself); `dev` stays attached, forwards skaffold.yaml's portForward entries and
 * leaves the deployment running when it stops (`--cleanup=false`).
 */
export function skaffoldArgs(flags: UpFlags): string[] {
  const args = flags.dev
    ? ['dev', '--port-forward', '--cleanup=false']
    : ['run', '--status-check=true'];
  args.push('--kube-context', CONTEXT);
  // Without the mesh only the `app` config (and what it requires) is deployed, not `istio`.
  if (flags.noMesh) args.push('-m', 'app');
  for (const profile of profiles(flags)) args.push('-p', profile);
  return args;
}
