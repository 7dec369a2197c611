// What the machine was doing just before the run: how busy its CPUs were over two seconds and
// which processes used them (from /proc, Linux). The bench's own services are not started yet,
// so anything here (the bench itself left out) is someone else's work sharing the cores.
import { readdir, readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MachineActivity {
  /** Share of all CPUs busy during the window, 0..1. */
  readonly busyShare: number;
  /** The busiest processes in the window: "<% of one CPU> <command>". */
  readonly busiest: string[];
}

const WINDOW_MS = 2_000;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/** CPU ticks used so far by each process, with its command line. */
async function processTimes(): Promise<Map<string, { ticks: number; command: string }>> {
  const times = new Map<string, { ticks: number; command: string }>();
  const pids = (await readdir('/proc')).filter(
    (name) => /^\d+$/.test(name) && name !== String(process.pid),
  );
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ').trim();
      times.set(pid, { ticks, command: command || (stat.split(' ')[1] ?? '?') });
    } catch {
      // the process ended meanwhile
    }
  }
  return times;
}

export async function machineActivity(limit = 5): Promise<MachineActivity> {
  const machineBefore = machineTimes();
  const before = await processTimes();
  await sleep(WINDOW_MS);
  const after = await processTimes();
  const machineAfter = machineTimes();
  const seconds = WINDOW_MS / 1000;
  const busiest = [...after]
    .map(([pid, now]) => ({ ...now, used: now.ticks - (before.get(pid)?.ticks ?? now.ticks) }))
    .filter((p) => p.used > 0)
    .sort((a, b) => b.used - a.used)
    .slice(0, limit)
    .map(
      (p) =>
        `${String(Math.round((p.used / TICKS_PER_SECOND / seconds) * 100))} % ${p.command.slice(0, 80)}`,
    );
  const total = machineAfter.total - machineBefore.total;
  return {
    busyShare:
      total > 0 ? Math.round(((machineAfter.busy - machineBefore.busy) / total) * 100) / 100 : 0,
    busiest,
  };
}
