// The processes the bench started die with it: if the bench exits early (a crash, Ctrl-C), each
// still running gets SIGKILL, so no service or helper is left behind holding the bench's ports.
import { type ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

export function reap(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (installed) return;
  installed = true;
  process.once('exit', () => {
    for (const running of children) running.kill('SIGKILL');
  });
}
