// `npm run e2e`: every e2e file, one file at a time, in name order —
// except the files that wait for the pinned Go tools, which go last. On a fresh machine
// `npm test` builds those tools beside the tests (tools/test/run.mts); a file waiting for them
// in the middle would hold up every file behind it, at the end it waits no longer than the
// Kubernetes checks that come after the e2e run anyway. Extra arguments go to `node --test`.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Waits for every tool of tools/toolchain (the generated service's Kubernetes checks). */
const LAST = ['src/generator.test.mts'];

const here = dirname(fileURLToPath(import.meta.url));
const files = globSync('src/**/*.test.mts', { cwd: here }).sort();
// Two runs: `node --test` sorts the files it is given, so the order must come from outside.
const groups = [files.filter((f) => !LAST.includes(f)), LAST.filter((f) => files.includes(f))];
let status = 0;
for (const group of groups.filter((g) => g.length > 0)) {
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', '--test-timeout=600000', ...process.argv.slice(2), ...group],
    { cwd: here, stdio: 'inherit' },
  );
  status ||= result.status ?? 1;
}
process.exit(status);
