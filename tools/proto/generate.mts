// Regenerates libs/contracts/src/generated from proto/ with the pinned buf + ts-proto.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const buf = join(root, 'node_modules', '.bin', 'buf');
execFileSync(buf, ['lint'], { cwd: root, stdio: 'inherit' });
rmSync(join(root, 'libs', 'contracts', 'src', 'generated'), { recursive: true, force: true });
execFileSync(buf, ['generate'], { cwd: root, stdio: 'inherit' });
console.log('generated libs/contracts/src/generated from proto/');
