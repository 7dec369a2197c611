// CPU profiles of the services at a fixed rate of one checkout path: V8's own sampling profiler
// (node --cpu-prof, written when a service stops), one file per service, gzipped for the
// published run; and from each, the frames with the most self time (what the CPU ran when the
// sample was taken, without what it called) while the load ran — the report names them per
// service — and the time spent in telemetry's own code, by instrumentation.
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
  readonly children?: readonly number[];
}

/** The .cpuprofile format (Chrome DevTools protocol Profiler.Profile). */
export interface CpuProfile {
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

/** Tracing off (no SDK loaded) or on with the fixed-rate part's sampled share of the traces. */
export type ProfiledTracing = 'off' | 'sampled';

/** The samples whose code was telemetry's own (see telemetryCost). */
export interface TelemetryCost {
  readonly ms: number;
  /** Of the profile's busy time. */
  readonly share: number;
  /** By the innermost instrumentation on the sample's stack, most first. */
  readonly by: readonly { readonly name: string; readonly ms: number }[];
}

export interface ServiceProfile {
  readonly mode: string;
  readonly tracing: ProfiledTracing;
  readonly service: string;
  /** The gzipped profile, relative to the run's directory. */
  readonly file: string;
  /** Orders placed while the load ran (the window the numbers count). */
  readonly checkouts: number;
  readonly busyMs: number;
  readonly top: Frame[];
  readonly telemetry: TelemetryCost;
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

/** Code that is telemetry's own: the OpenTelemetry packages, their require hook, libs/platform's telemetry. */
const TELEMETRY_CODE =
  /node_modules\/(@opentelemetry\/|require-in-the-middle\/)|\/libs\/platform\/(dist|src)\/telemetry\//;
/** An instrumentation on the stack: an OpenTelemetry one, or one of libs/platform's. */
const INSTRUMENTATION =
  /node_modules\/@opentelemetry\/(instrumentation-[a-z0-9-]+)\/|\/libs\/platform\/(?:dist|src)\/telemetry\/([a-z0-9-]*instrumentation[a-z0-9-]*)\./;
/** Telemetry code outside any instrumentation: its package, or its libs/platform file. */
const TELEMETRY_PLACE =
  /node_modules\/((?:@[^/]+\/)?[^/]+)\/|\/libs\/platform\/(?:dist|src)\/telemetry\/([a-z0-9-]+)\./;
/** Frames that stand for no code of their own: V8's and Node's internals. */
const internal = (frame: CallFrame): boolean => frame.url === '' || frame.url.startsWith('node:');
const NOT_CODE = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * What telemetry's own code cost among the samples inside `window`: a sample counts when the
 * innermost frame that is not V8's or Node's is in the OpenTelemetry packages, their require
 * hook or libs/platform's telemetry (so a socket write the exporter makes counts, and the
 * service's own code called back from a wrapper does not). Each is put under the innermost
 * instrumentation among the telemetry frames that called it (`instrumentation-grpc`,
 * `redis-batch-instrumentation`, …), else under the package or libs/platform file it ran in
 * (the SDK's exporter, `@opentelemetry/otlp-transformer`; orders' baggage helpers,
 * `context-propagation`).
 * Garbage collection is nobody's: it is left out.
 */
export function telemetryCost(
  profile: CpuProfile,
  window: Window = { fromUs: 0, toUs: Number.POSITIVE_INFINITY },
): TelemetryCost {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const groupOf = new Map<number, string | undefined>();
  const group = (leaf: number): string | undefined => {
    if (groupOf.has(leaf)) return groupOf.get(leaf);
    let id: number | undefined = leaf;
    let code: CallFrame | undefined;
    while (id !== undefined) {
      const frame: CallFrame | undefined = byId.get(id)?.callFrame;
      if (!frame || NOT_CODE.has(frame.functionName)) break;
      if (!internal(frame)) {
        code = frame;
        break;
      }
      id = parentOf.get(id);
    }
    let found: string | undefined;
    if (code && TELEMETRY_CODE.test(code.url)) {
      // Up through telemetry code (and the internals it calls) only: past it is the caller.
      for (let up: number | undefined = id; up !== undefined && !found; up = parentOf.get(up)) {
        const caller = byId.get(up)?.callFrame;
        if (!caller || !(internal(caller) || TELEMETRY_CODE.test(caller.url))) break;
        const match = INSTRUMENTATION.exec(caller.url);
        found = match?.[1] ?? match?.[2];
      }
      const where = TELEMETRY_PLACE.exec(code.url);
      found ??= where?.[1] ?? where?.[2] ?? place(code.url);
    }
    groupOf.set(leaf, found);
    return found;
  };
  const us = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at < window.fromUs || at > window.toUs) return;
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    busyUs += delta;
    const name = group(id);
    if (name !== undefined) us.set(name, (us.get(name) ?? 0) + delta);
  });
  const totalUs = [...us.values()].reduce((a, b) => a + b, 0);
  return {
    ms: Math.round(totalUs / 100) / 10,
    share: busyUs > 0 ? Math.round((totalUs / busyUs) * 1000) / 1000 : 0,
    by: [...us.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, value]) => ({ name, ms: Math.round(value / 100) / 10 })),
  };
}

/** One profiled run: a path at the rate, with tracing off or sampled. */
export interface ProfiledRun {
  readonly mode: string;
  readonly tracing: ProfiledTracing;
  /** pid → service. */
  readonly services: Readonly<Record<number, string>>;
  readonly window: Window;
  readonly checkouts: number;
}

/**
 * The profiles the services wrote into `dir` (CPU.<date>.<time>.<pid>.….cpuprofile), named after
 * their service by pid, gzipped as `<mode>-<service>.cpuprofile.gz` (tracing off) or
 * `<mode>-sampled-<service>.cpuprofile.gz` in `dir`, the raw files removed.
 */
export async function collectProfiles(
  dir: string,
  relative: string,
  { mode, tracing, services, window, checkouts }: ProfiledRun,
): Promise<ServiceProfile[]> {
  const found: ServiceProfile[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.cpuprofile')).sort()) {
    const pid = Number(name.split('.')[3]); // CPU.<yyyymmdd>.<hhmmss>.<pid>.<tid>.<seq>.cpuprofile
    const service = services[pid];
    const path = join(dir, name);
    const text = await readFile(path, 'utf8');
    await rm(path);
    if (!service) continue;
    const label = tracing === 'off' ? mode : `${mode}-${tracing}`;
    const file = `${label}-${service.replace(/[^a-z0-9-]/gi, '_')}.cpuprofile.gz`;
    await writeFile(join(dir, file), gzipSync(text, { level: 9 }));
    const profile = JSON.parse(text) as CpuProfile;
    found.push({
      mode,
      tracing,
      service,
      file: `${relative}/${file}`,
      checkouts,
      ...topFrames(profile, window),
      telemetry: telemetryCost(profile, window),
    });
  }
  return found;
}
