// Builds every Junction image from the one Dockerfile with BuildKit: each service's runtime
// image (--build-arg SERVICE=<name> --target runtime), each web app's (--target <name>: the
// storefront) and the load generator (--target load).
//   node tools/docker/build-images.mts [--node-image <ref>] [--only <name>,...]
// By default the stages start FROM the local base image (tools/docker/base-image.mts, built when
// missing), so no registry is needed for images; --node-image takes a registry image instead.
// The machine's CA bundle reaches npm as the optional build secret `ca-certificates`, and
// builds use the host network (--network host), like everything on these machines.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBaseImage } from './base-image.mts';
import { runDocker } from './docker.mts';

const ROOT = join(import.meta.dirname, '..', '..');

/** The tag every locally built image carries: junction-<name>:local. */
export const LOCAL_TAG = 'local';
export const imageName = (name: string): string => `junction-${name}:${LOCAL_TAG}`;

/** The services that ship as images: the folders of services/ (what the Dockerfile accepts). */
export function imageServices(): string[] {
  const dir = join(ROOT, 'services');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'package.json')))
    .sort();
}

/** The web apps that ship as images: the folders of web/ (each a stage of the Dockerfile). */
export function imageWebApps(): string[] {
  const dir = join(ROOT, 'web');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'package.json')))
    .sort();
}

/** Every image the Dockerfile builds: the services', the web apps' and the load generator's. */
export const imageNames = (): string[] => [...imageServices(), ...imageWebApps(), 'load'];

/** The CA bundle given to npm in the build: JUNCTION_CA_BUNDLE, else the machine's bundle. */
export function caBundle(): string | undefined {
  const path = process.env.JUNCTION_CA_BUNDLE ?? '/etc/ssl/certs/ca-certificates.crt';
  return existsSync(path) ? path : undefined;
}

export interface BuildOptions {
  /** The image the stages start FROM; default: the local base image. */
  readonly nodeImage?: string;
  /** Image names to build (services, web apps and/or `load`); default: all. */
  readonly only?: readonly string[];
  /** Where the build log goes; default: stderr. */
  readonly onLine?: (line: string) => void;
}

export interface BuiltImage {
  readonly name: string;
  readonly image: string;
  readonly seconds: number;
}

/** The `docker build` arguments for one image. */
export function buildArgs(name: string, nodeImage: string): string[] {
  const ca = caBundle();
  return [
    'build',
    '--network',
    'host',
    '--build-arg',
    `NODE_IMAGE=${nodeImage}`,
    ...(ca ? ['--secret', `id=ca-certificates,src=${ca}`] : []),
    ...(name === 'load' || imageWebApps().includes(name)
      ? ['--target', name]
      : ['--build-arg', `SERVICE=${name}`, '--target', 'runtime']),
    '--tag',
    imageName(name),
    ROOT,
  ];
}

/** Builds the images one after another (they share the build stage's cached layers). */
export async function buildImages(options: BuildOptions = {}): Promise<BuiltImage[]> {
  const nodeImage = options.nodeImage ?? (await ensureBaseImage());
  const names = imageNames().filter((name) => !options.only || options.only.includes(name));
  const built: BuiltImage[] = [];
  for (const name of names) {
    const started = Date.now();
    await runDocker(buildArgs(name, nodeImage), { onLine: options.onLine });
    built.push({ name, image: imageName(name), seconds: (Date.now() - started) / 1000 });
  }
  return built;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      'node-image': { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(`usage: node tools/docker/build-images.mts [--node-image <ref>] [--only a,b]

Builds ${imageNames().map(imageName).join(', ')}
from the Dockerfile with BuildKit (host network, the machine's CA bundle as a build secret).
The stages start FROM the local base image (built when missing) unless --node-image names one.`);
    process.exit(0);
  }
  const started = Date.now();
  const built = await buildImages({
    nodeImage: values['node-image'],
    only: values.only?.split(','),
  });
  for (const image of built) console.log(`${image.image}  ${image.seconds.toFixed(1)} s`);
  console.log(`all built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
