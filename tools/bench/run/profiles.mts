// CPU profiles of the services at a fixed rate of one checkout path: V8's own sampling profiler
// (node --cpu-prof, written when a service stops), one file per service, gzipped for the
// published run; and from each, the frames with the most self time (what the CPU ran when the
// sample was taken, without what it called) while the load ran — the report names them per
// service.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

/** The .cpuprofile format (Chrome DevTools protocol Profiler.Profile). */
interface CpuProfile {
  /** µs on the monotonic clock (the one process.hrtime reads, in every process of the machine). */
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Frame {
  /** function (file:line), with the repository's or node_modules' part of the path only. */
  readonly frame: string;
  readonly selfMs: number;
  /** Share of the profile's busy time (idle left out). */
  readonly share: number;
}

export interface ServiceProfile {
  readonly mode: string;
  readonly service: string;
  /** The gzipped profile, relative to the run's directory. */
  readonly file: string;
  readonly busyMs: number;
  readonly top: Frame[];
}

const TOP_FRAMES = 8;

/** Where a frame's code lives, short: node_modules/<package>/… or services/…, libs/…, node:… */
function place(url: string): string {
  if (url === '') return '';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules);
  const repo = /\/(services|libs|tools)\//.exec(url);
  return repo ? url.slice(repo.index + 1) : url.replace(/^file:\/\//, '');
}

/** A stretch of the monotonic clock, in µs (process.hrtime.bigint() / 1000). */
export interface Window {
  readonly fromUs: number;
  readonly toUs: number;
}

/** Now on the clock the profiles' sample times are on. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * The frames with the most self time among the samples inside `window` (the load, not the
 * service's start-up and shutdown, which the profile also holds).
 */
export function topFrames(
  profile: CpuProfile,
  window: Window = { fromUs: 0, toUs: Number.POSITIVE_INFINITY },
  count = TOP_FRAMES,
): { busyMs: number; top: Frame[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at < window.fromUs || at > window.toUs) return;
    if (!frame || frame.functionName === '(idle)') return;
    busyUs += delta;
    const where = place(frame.url);
    const name = `${frame.functionName || '(anonymous)'}${where ? ` (${where}:${String(frame.lineNumber + 1)})` : ''}`;
    selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
  });
  const top = [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, us]) => ({
      frame,
      selfMs: Math.round(us / 100) / 10,
      share: busyUs > 0 ? Math.round((us / busyUs) * 1000) / 1000 : 0,
    }));
  return { busyMs: Math.round(busyUs / 1000), top };
}

/**
 * The profiles the services wrote into `dir` (CPU.<date>.<time>.<pid>.….cpuprofile), named after their
 * service by pid, gzipped as `<mode>-<service>.cpuprofile.gz` in `dir`, the raw files removed.
 */
export async function collectProfiles(
  dir: string,
  relative: string,
  mode: string,
  services: Readonly<Record<number, string>>,
  window: Window,
): Promise<ServiceProfile[]> {
  const found: ServiceProfile[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.cpuprofile')).sort()) {
    const pid = Number(name.split('.')[3]); // CPU.<yyyymmdd>.<hhmmss>.<pid>.<tid>.<seq>.cpuprofile
    const service = services[pid];
    const path = join(dir, name);
    const text = await readFile(path, 'utf8');
    await rm(path);
    if (!service) continue;
    const file = `${mode}-${service.replace(/[^a-z0-9-]/gi, '_')}.cpuprofile.gz`;
    await writeFile(join(dir, file), gzipSync(text, { level: 9 }));
    found.push({
      mode,
      service,
      file: `${relative}/${file}`,
      ...topFrames(JSON.parse(text) as CpuProfile, window),
    });
  }
  return found;
}
