// The local Node base image, for machines that can reach no image registry: Debian bookworm
// (debootstrap --variant=minbase from the machine's own apt mirror, plus ca-certificates), the
// repository's own Node (the `node` devDependency, exactly the version the tests run on) and the
// npm that installs this workspace, imported with `docker import`. The Dockerfile's stages start
// FROM it when builds pass --build-arg NODE_IMAGE=<tag>. Reused when the tag already exists.
//   node tools/docker/base-image.mts [--rebuild]     (as root: debootstrap needs it)
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { imageExists, runDocker } from './docker.mts';

const ROOT = join(import.meta.dirname, '..', '..');
const SUITE = 'bookworm';

/** The exact Node version of the repository: the root package.json's `node` devDependency. */
export function repositoryNodeVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const version = pkg.devDependencies?.node;
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`package.json: devDependencies.node must be an exact version, got ${version}`);
  }
  return version;
}

/** The base image's tag: the exact Node version and the Debian suite. */
export const baseImageTag = (): string => `junction-node:${repositoryNodeVersion()}-${SUITE}`;

/** The `node` binary the devDependency installed (node_modules/.bin/node is its launcher link). */
function repositoryNodeBinary(version: string): string {
  const binary = realpathSync(join(ROOT, 'node_modules', '.bin', 'node'));
  const reported = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (reported !== `v${version}`) {
    throw new Error(`${binary} is Node ${reported}, package.json wants ${version}: run npm ci`);
  }
  return binary;
}

/** The npm on PATH (the one that installs this workspace): its package folder and version. */
function workspaceNpm(): { folder: string; version: string } {
  const globalRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
  const folder = join(globalRoot, 'npm');
  if (!existsSync(join(folder, 'bin', 'npm-cli.js'))) throw new Error(`no npm in ${globalRoot}`);
  const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { folder, version };
}

interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
}

/** The apt sources of this machine (deb822 .sources files and one-line .list files). */
function aptSources(): AptSource[] {
  const sources: AptSource[] = [];
  const listDir = '/etc/apt/sources.list.d';
  const files = [
    '/etc/apt/sources.list',
    ...(existsSync(listDir) ? readdirSync(listDir).map((name) => join(listDir, name)) : []),
  ].filter((file) => existsSync(file));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string) =>
          (new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(stanza)?.[1] ?? '')
            .split(/\s+/)
            .filter(Boolean);
        sources.push({
          types: field('Types'),
          uris: field('URIs'),
          suites: field('Suites'),
          components: field('Components'),
        });
      }
    } else if (file.endsWith('.list') || file === '/etc/apt/sources.list') {
      for (const line of text.split('\n')) {
        const words = line
          .replace(/#.*$/, '')
          .replace(/\[[^\]]*\]/, '')
          .trim()
          .split(/\s+/);
        const [type, uri, suite, ...components] = words;
        if (type && uri && suite) {
          sources.push({ types: [type], uris: [uri], suites: [suite], components });
        }
      }
    }
  }
  return sources;
}

/** The Debian mirror this machine's apt already uses for bookworm main. */
export function debianMirror(): string {
  const source = aptSources().find(
    (s) => s.types.includes('deb') && s.suites.includes(SUITE) && s.components.includes('main'),
  );
  const uri = source?.uris[0];
  if (!uri) throw new Error(`no apt source for ${SUITE} main in /etc/apt: cannot debootstrap`);
  return uri;
}

function run(command: string, args: string[]): void {
  // Progress goes to stderr: stdout carries only the tag.
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${String(result.status ?? result.error)})`,
    );
  }
}

/** Debian minbase + ca-certificates, the repository's Node and npm, in `rootfs`. */
function assembleRootfs(rootfs: string, nodeVersion: string, npm: { folder: string }): void {
  run('debootstrap', [
    '--variant=minbase',
    '--include=ca-certificates',
    SUITE,
    rootfs,
    debianMirror(),
  ]);
  copyFileSync(repositoryNodeBinary(nodeVersion), join(rootfs, 'usr/local/bin/node'));
  chmodSync(join(rootfs, 'usr/local/bin/node'), 0o755);
  const npmTarget = join(rootfs, 'usr/local/lib/node_modules/npm');
  mkdirSync(npmTarget, { recursive: true });
  cpSync(npm.folder, npmTarget, { recursive: true, dereference: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/local/bin/npx'));
  // What an image does not need: apt's downloaded lists and packages, documentation.
  for (const dir of ['var/lib/apt/lists', 'var/cache/apt', 'usr/share/doc', 'usr/share/man']) {
    rmSync(join(rootfs, dir), { recursive: true, force: true });
    mkdirSync(join(rootfs, dir), { recursive: true });
  }
}

/** `tar` of the rootfs piped into `docker import`, with the image's config. */
async function importRootfs(
  rootfs: string,
  tag: string,
  nodeVersion: string,
  npmVersion: string,
): Promise<void> {
  const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const changes = [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `ENV NODE_VERSION=${nodeVersion}`,
    `LABEL org.opencontainers.image.title=junction-node org.opencontainers.image.version=${nodeVersion} org.opencontainers.image.base.name=debian:${SUITE} junction.npm.version=${npmVersion}`,
    'CMD ["node"]',
  ].flatMap((change) => ['--change', change]);
  await runDocker(['import', ...changes, '-', tag], { input: tar.stdout });
}

/** Builds the base image unless it exists (or `rebuild`); returns its tag. */
export async function ensureBaseImage(options: { rebuild?: boolean } = {}): Promise<string> {
  const tag = baseImageTag();
  if (!options.rebuild && imageExists(tag)) return tag;
  if (process.getuid?.() !== 0) throw new Error(`building ${tag} needs root (debootstrap)`);
  const nodeVersion = repositoryNodeVersion();
  const npm = workspaceNpm();
  const rootfs = mkdtempSync(join(tmpdir(), 'junction-node-rootfs-'));
  try {
    const started = Date.now();
    assembleRootfs(rootfs, nodeVersion, npm);
    await importRootfs(rootfs, tag, nodeVersion, npm.version);
    console.error(`${tag}: built in ${String(Math.round((Date.now() - started) / 1000))} s`);
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
  return tag;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { rebuild: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(`usage: node tools/docker/base-image.mts [--rebuild]

Builds ${baseImageTag()} from Debian ${SUITE} (debootstrap minbase from this machine's apt
mirror, ca-certificates) with the repository's Node and npm, unless it exists. Needs root and
a Docker engine. Prints the tag; pass it to builds as --build-arg NODE_IMAGE=<tag>.`);
    process.exit(0);
  }
  console.log(await ensureBaseImage({ rebuild: values.rebuild }));
}
