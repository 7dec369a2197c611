// README and docs link only what a user of the repository has: every relative Markdown link
// (and image) points at a file or folder in this checkout, and every #anchor into a Markdown
// file names one of its headings. Links to other sites are not followed (no network here).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../tools/local/topology.mts';

function markdownFiles(): string[] {
  const docs = join(ROOT, 'docs');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.md') ? [path] : [];
    });
  return [join(ROOT, 'README.md'), ...walk(docs)];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const text = (match[1] ?? '').replace(/`/g, '').trim().toLowerCase();
    found.add(text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return found;
}

/** Inline links and images outside code blocks and code spans: `[text](target)`. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
}

describe('links in README and docs', () => {
  const files = markdownFiles();

  it('finds the README and the docs', () => {
    assert.ok(files.length > 5, files.join(', '));
  });

  for (const file of files) {
    it(`${relative(ROOT, file)} links only files of the repository`, () => {
      const broken: string[] = [];
      for (const target of links(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [path = '', anchor] = target.split('#');
        const linked = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
        if (!linked.startsWith(ROOT + '/') && linked !== ROOT) {
          broken.push(`${target} (outside the repository)`);
        } else if (!existsSync(linked)) {
          broken.push(`${target} (no such file)`);
        } else if (
          anchor &&
          linked.endsWith('.md') &&
          !anchors(readFileSync(linked, 'utf8')).has(anchor)
        ) {
          broken.push(`${target} (no such heading)`);
        }
      }
      assert.deepEqual(broken, []);
    });
  }
});
