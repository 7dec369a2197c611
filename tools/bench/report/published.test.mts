// The full run published in docs/performance/ (`npm run bench -- --publish`): what
// docs/performance.md quotes must be there — a full run, every target judged in its report from
// enough rounds, every chart the report or the page shows, and the profiles it names.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT as ROOT } from '@junction/topology';
import { type BenchResults } from './results.mts';
import { PUBLISHED } from './output.mts';
import { MIN_ROUNDS } from './intervals.mts';

function charts(markdown: string): string[] {
  return [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1] ?? '');
}

describe('the published bench run', () => {
  const results = JSON.parse(readFileSync(join(PUBLISHED, 'results.json'), 'utf8')) as BenchResults;
  const report = readFileSync(join(PUBLISHED, 'report.md'), 'utf8');

  it('is a full run, with every target judged and stated in its report', () => {
    assert.equal(results.settings.mode, 'full');
    assert.equal(results.targets.length, 11);
    for (const target of results.targets) {
      assert.ok(report.includes(`| ${target.target} `), `the report states "${target.target}"`);
      assert.ok(target.interval.rounds.length >= MIN_ROUNDS, `${target.target}: rounds`);
    }
  });

  it('has the CPU profile of every service for both paths', () => {
    assert.ok(results.profiles.profiles.length >= 10);
    for (const profile of results.profiles.profiles) {
      assert.ok(existsSync(join(PUBLISHED, profile.file)), `${profile.file} is missing`);
      assert.ok(report.includes(profile.file), `the report links ${profile.file}`);
    }
  });

  it('has every chart that its report and docs/performance.md show', () => {
    const page = readFileSync(join(ROOT, 'docs', 'performance.md'), 'utf8');
    const shown = [
      ...charts(report).map((file) => join(PUBLISHED, file)),
      ...charts(page).map((file) => join(ROOT, 'docs', file)),
    ];
    assert.ok(shown.length >= 10, `charts shown: ${String(shown.length)}`);
    for (const file of shown) {
      assert.ok(existsSync(file), `${file} is missing`);
      assert.match(readFileSync(file, 'utf8'), /^<svg [^>]*>[\s\S]*<path [^>]*d="M/);
    }
  });
});
