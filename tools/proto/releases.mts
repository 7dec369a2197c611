/**
 * The released proto contracts: one buf image per release in proto/releases/<version>.binpb
 * (`buf build --exclude-source-info`), committed, so "the last release" that `buf breaking`
 * compares against is a file of the repository — the same in a fresh clone as here, with no
 * git tags or registry needed. `npm run proto:release -- <version>` records a new one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BUF = join(ROOT, 'node_modules', '.bin', 'buf');
export const RELEASES_DIR = join(ROOT, 'proto', 'releases');

const VERSION = /^v(\d+)\.(\d+)\.(\d+)$/;

export interface Release {
  readonly version: string;
  readonly image: string;
}

function parts(version: string): readonly [number, number, number] {
  const match = VERSION.exec(version);
  if (!match) throw new Error(`not a release version (vMAJOR.MINOR.PATCH): ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** `0.2.0` or `v0.2.0` → `v0.2.0`; anything else throws. */
export function normalizeVersion(version: string): string {
  const tagged = version.startsWith('v') ? version : `v${version}`;
  parts(tagged);
  return tagged;
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Every recorded release, oldest first. */
export function releases(dir = RELEASES_DIR): Release[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.binpb'))
    .map((name) => name.slice(0, -'.binpb'.length))
    .filter((version) => VERSION.test(version))
    .sort(compareVersions)
    .map((version) => ({ version, image: join(dir, `${version}.binpb`) }));
}

export function latestRelease(dir = RELEASES_DIR): Release | undefined {
  return releases(dir).at(-1);
}

export interface BreakingResult {
  readonly ok: boolean;
  /** buf's findings, one per line (`file:line:column:message`). */
  readonly output: string;
}

/** `buf breaking` of the workspace at `root` (its buf.yaml and proto/) against an image. */
export function checkBreaking(against: string, root = ROOT): BreakingResult {
  try {
    execFileSync(BUF, ['breaking', '--against', against, '--error-format', 'text'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, output: '' };
  } catch (error) {
    const { status, stdout, stderr } = error as {
      status: number | null;
      stdout: string;
      stderr: string;
    };
    // buf exits 100 when it found breaking changes; anything else is a failure to run.
    if (status !== 100) throw new Error(`buf breaking failed to run (${status}): ${stderr}`);
    return { ok: false, output: stdout.trim() };
  }
}

/** Writes the image of the workspace's protos at `root` as release `version`. */
export function recordRelease(version: string, root = ROOT, dir = RELEASES_DIR): Release {
  const tagged = normalizeVersion(version);
  const image = join(dir, `${tagged}.binpb`);
  if (existsSync(image)) throw new Error(`release ${tagged} is already recorded: ${image}`);
  const latest = latestRelease(dir);
  if (latest && compareVersions(tagged, latest.version) <= 0) {
    throw new Error(`release ${tagged} is not newer than the last one, ${latest.version}`);
  }
  mkdirSync(dir, { recursive: true });
  execFileSync(BUF, ['build', '--exclude-source-info', '-o', image], {
    cwd: root,
    stdio: 'inherit',
  });
  return { version: tagged, image };
}
