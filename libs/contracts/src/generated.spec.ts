import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const committed = join(root, 'libs', 'contracts', 'src', 'generated');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('generated contracts', () => {
  it('match what proto/ generates today (run `npm run proto:generate` if this fails)', () => {
    const out = mkdtempSync(join(tmpdir(), 'junction-proto-'));
    try {
      execFileSync(join(root, 'node_modules', '.bin', 'buf'), ['generate', '--output', out], {
        cwd: root,
      });
      const fresh = join(out, 'libs', 'contracts', 'src', 'generated');
      const names = (dir: string) =>
        files(dir)
          .map((f) => relative(dir, f))
          .sort();
      expect(names(committed)).toEqual(names(fresh));
      for (const name of names(fresh)) {
        expect({ name, text: readFileSync(join(committed, name), 'utf8') }).toEqual({
          name,
          text: readFileSync(join(fresh, name), 'utf8'),
        });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
