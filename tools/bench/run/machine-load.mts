// How busy the machine was during each part of the run: the 1-minute load average, sampled every
// few seconds, and the CPU time of every watched process (services, RabbitMQ, Redis, the load
// generator, the trace sink), read every second and added up per part. On a shared machine this
// tells which numbers were measured under someone else's load (above the CPU count, other
// processes were waiting for a core).
import { loadavg } from 'node:os';
import {
  cpuBetween,
  type CpuReading,
  infrastructureProcesses,
  LOAD_GENERATOR,
  readCpu,
  type WatchedProcess,
} from './process-cpu.mts';

export interface LoadSample {
  /** Seconds since the run started. */
  readonly t: number;
  readonly load: number;
}

export interface PhaseLoad {
  readonly phase: string;
  readonly fromS: number;
  readonly toS: number;
  readonly meanLoad: number;
  readonly maxLoad: number;
  /** CPU-s each watched process spent in this part. */
  readonly cpuS: Readonly<Record<string, number>>;
}

export interface MachineLoadRecord {
  readonly samples: LoadSample[];
  readonly phases: PhaseLoad[];
}

const EVERY_MS = 5_000;
const CPU_EVERY_MS = 1_000;

export class MachineLoad {
  private readonly samples: LoadSample[] = [];
  private readonly marks: { phase: string; t: number; cpuMs: Record<string, number> }[] = [];
  private readonly zero = Date.now();
  private readonly timer: NodeJS.Timeout;
  private readonly cpuTimer: NodeJS.Timeout;
  private watched: () => WatchedProcess[] = () => [];
  private lastCpu: CpuReading;

  constructor() {
    this.sample();
    this.lastCpu = this.readCpu();
    this.timer = setInterval(() => {
      this.sample();
    }, EVERY_MS);
    this.timer.unref();
    this.cpuTimer = setInterval(() => {
      this.addCpu();
    }, CPU_EVERY_MS);
    this.cpuTimer.unref();
  }

  /** Whose CPU to read besides RabbitMQ, Redis and this process (asked anew at every reading). */
  watch(processes: () => WatchedProcess[]): void {
    this.addCpu();
    this.watched = processes;
    this.lastCpu = this.readCpu();
  }

  /** From now on, the run is in `phase` (until the next one). */
  phase(phase: string): void {
    this.addCpu();
    this.marks.push({ phase, t: this.now(), cpuMs: {} });
  }

  finish(): MachineLoadRecord {
    clearInterval(this.timer);
    clearInterval(this.cpuTimer);
    this.addCpu();
    this.sample();
    const end = this.now();
    const phases = this.marks.map((mark, i) => {
      const toS = this.marks[i + 1]?.t ?? end;
      // From the sample just before the part began: a short part may hold no sample of its own.
      const from = mark.t - EVERY_MS / 1000;
      const loads = this.samples.filter((s) => s.t > from && s.t <= toS).map((s) => s.load);
      const mean =
        loads.length === 0 ? Number.NaN : loads.reduce((a, b) => a + b, 0) / loads.length;
      return {
        phase: mark.phase,
        fromS: mark.t,
        toS,
        meanLoad: Math.round(mean * 100) / 100,
        maxLoad: Math.max(...loads),
        cpuS: Object.fromEntries(
          Object.entries(mark.cpuMs).map(([name, ms]) => [name, Math.round(ms / 100) / 10]),
        ),
      };
    });
    return { samples: [...this.samples], phases };
  }

  private now(): number {
    return Math.round((Date.now() - this.zero) / 100) / 10;
  }

  private readCpu(): CpuReading {
    return readCpu([...this.watched(), ...infrastructureProcesses(), LOAD_GENERATOR]);
  }

  /** What each process spent since the last reading goes to the current part. */
  private addCpu(): void {
    const now = this.readCpu();
    const mark = this.marks.at(-1);
    if (mark) {
      for (const [name, { ms }] of Object.entries(cpuBetween(this.lastCpu, now)))
        mark.cpuMs[name] = (mark.cpuMs[name] ?? 0) + ms;
    }
    this.lastCpu = now;
  }

  private sample(): void {
    this.samples.push({ t: this.now(), load: Math.round((loadavg()[0] ?? 0) * 100) / 100 });
  }
}
