// How busy the machine was during each part of the run: the 1-minute load average, sampled every
// few seconds. On a shared machine this tells which numbers were measured under someone else's
// load (above the CPU count, other processes were waiting for a core).
import { loadavg } from 'node:os';

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
}

export interface MachineLoadRecord {
  readonly samples: LoadSample[];
  readonly phases: PhaseLoad[];
}

const EVERY_MS = 5_000;

export class MachineLoad {
  private readonly samples: LoadSample[] = [];
  private readonly marks: { phase: string; t: number }[] = [];
  private readonly zero = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.sample();
    this.timer = setInterval(() => {
      this.sample();
    }, EVERY_MS);
    this.timer.unref();
  }

  /** From now on, the run is in `phase` (until the next one). */
  phase(phase: string): void {
    this.marks.push({ phase, t: this.now() });
  }

  finish(): MachineLoadRecord {
    clearInterval(this.timer);
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
      };
    });
    return { samples: [...this.samples], phases };
  }

  private now(): number {
    return Math.round((Date.now() - this.zero) / 100) / 10;
  }

  private sample(): void {
    this.samples.push({ t: this.now(), load: Math.round((loadavg()[0] ?? 0) * 100) / 100 });
  }
}
