// Checks shared by up.mts and down.mts: the tools a local cluster needs, at known-good versions.
import { spawnSync } from 'node:child_process';

export interface Tool {
  name: string;
  args: string[];
  min: string;
  parse: (output: string) => string | undefined;
  install: string;
}

export const TOOLS: Record<'docker' | 'kind' | 'kubectl' | 'helm' | 'skaffold', Tool> = {
  docker: {
    name: 'docker',
    args: ['version', '--format', '{{.Server.Version}}'],
    min: '24.0.0',
    parse: (out) => /(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'install Docker Desktop, OrbStack, Colima or Docker Engine, and start it',
  },
  kind: {
    name: 'kind',
    args: ['version'],
    min: '0.29.0',
    parse: (out) => /v(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'see https://kind.sigs.k8s.io/docs/user/quick-start/#installation (brew install kind)',
  },
  kubectl: {
    name: 'kubectl',
    args: ['version', '--client', '-o', 'json'],
    min: '1.31.0',
    parse: (out) => /"gitVersion":\s*"v(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'see https://kubernetes.io/docs/tasks/tools/ (brew install kubectl)',
  },
  helm: {
    name: 'helm',
    args: ['version', '--short'],
    min: '3.14.0',
    parse: (out) => /v(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'see https://helm.sh/docs/intro/install/ (brew install helm)',
  },
  skaffold: {
    name: 'skaffold',
    args: ['version'],
    min: '2.16.0',
    parse: (out) => /v(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'see https://skaffold.dev/docs/install/ (brew install skaffold)',
  },
};

export function capture(command: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return { ok: false, out: result.error.message };
  return { ok: result.status === 0, out: `${result.stdout}${result.stderr}` };
}

const newer = (a: string, b: string): boolean => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++)
    if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) > (y?.[i] ?? 0);
  return true;
};

/** Problems with the given tools, each naming the tool and how to get it. */
export function checkTools(tools: Tool[]): string[] {
  const problems: string[] = [];
  for (const tool of tools) {
    const { ok, out } = capture(tool.name, tool.args);
    const version = ok ? tool.parse(out) : undefined;
    if (!ok && tool.name === 'docker' && !/ENOENT/.test(out)) {
      problems.push(
        `docker is installed but its daemon is not running: start Docker (${out.trim().split('\n')[0] ?? ''})`,
      );
    } else if (!ok || !version) {
      problems.push(`${tool.name} not found: ${tool.install}`);
    } else if (!newer(version, tool.min)) {
      problems.push(`${tool.name} ${version} is too old (need >= ${tool.min}): ${tool.install}`);
    }
  }
  return problems;
}

export function failIf(problems: string[]): void {
  if (problems.length === 0) return;
  console.error(`Preflight failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}

export const CLUSTER = 'junction';
export const CONTEXT = `kind-${CLUSTER}`;
