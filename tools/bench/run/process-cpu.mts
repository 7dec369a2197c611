// CPU time per process, from /proc/<pid>/stat (utime + stime, all threads): every service,
// RabbitMQ's Erlang VM, Redis, the load generator (this process) and the trace sink. A reading is
// a snapshot; the difference of two is what each process spent in between. Node's own
// process.cpuUsage() sees only its own process, and no maintained library reads other
// processes' times without a native addon, so the two fields are read here.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** What a process is to the bench: counted in a checkout's cost, or reported beside it. */
export type ProcessRole = 'service' | 'broker' | 'store' | 'load' | 'sink';

export interface WatchedProcess {
  readonly name: string;
  readonly role: ProcessRole;
  readonly pid: number;
}

/** This process: the bench drives the load from it. */
export const LOAD_GENERATOR: WatchedProcess = {
  name: 'load generator',
  role: 'load',
  pid: process.pid,
};

export interface CpuReading {
  /** performance-clock ms when it was read. */
  readonly at: number;
  readonly processes: readonly (WatchedProcess & { readonly cpuMs: number })[];
}

/** CPU-ms each process spent between two readings (a process started in between: all of it). */
export type CpuSpent = Readonly<
  Record<string, { readonly role: ProcessRole; readonly ms: number }>
>;

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of a process in ms, or undefined when it is gone. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: fields count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of proc(5)
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The first process whose command name is `comm` (e.g. beam.smp, redis-server). */
export function pidByCommand(comm: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

let infrastructure: WatchedProcess[] = [];

/**
 * RabbitMQ's and Redis's processes on this machine (the bench's infrastructure), if found; the
 * /proc scan runs again only when one of them is gone.
 */
export function infrastructureProcesses(): WatchedProcess[] {
  if (infrastructure.length === 2 && infrastructure.every((p) => cpuMsOf(p.pid) !== undefined))
    return infrastructure;
  const found: WatchedProcess[] = [];
  const rabbitmq = pidByCommand('beam.smp');
  const redis = pidByCommand('redis-server');
  if (rabbitmq !== undefined) found.push({ name: 'rabbitmq', role: 'broker', pid: rabbitmq });
  if (redis !== undefined) found.push({ name: 'redis', role: 'store', pid: redis });
  infrastructure = found;
  return found;
}

export function readCpu(processes: readonly WatchedProcess[]): CpuReading {
  return {
    at: performance.now(),
    processes: processes.flatMap((p) => {
      const cpuMs = cpuMsOf(p.pid);
      return cpuMs === undefined ? [] : [{ ...p, cpuMs }];
    }),
  };
}

export function cpuBetween(before: CpuReading, after: CpuReading): CpuSpent {
  const spent: Record<string, { role: ProcessRole; ms: number }> = {};
  for (const now of after.processes) {
    const then = before.processes.find((p) => p.name === now.name && p.pid === now.pid);
    spent[now.name] = { role: now.role, ms: round1(now.cpuMs - (then?.cpuMs ?? 0)) };
  }
  return spent;
}

/** The roles a checkout's cost counts: the services and the infrastructure they use. */
export const COUNTED_ROLES: readonly ProcessRole[] = ['service', 'broker', 'store'];

export function countedMs(spent: CpuSpent): number {
  return round1(
    Object.values(spent)
      .filter((p) => COUNTED_ROLES.includes(p.role))
      .reduce((total, p) => total + p.ms, 0),
  );
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
