// Writing a run: results.json, report.md and the SVG charts into the run's own directory (the
// profiles are there already, written by the bench's last part; both
// formatted with the repository's Prettier settings, so a published copy passes its check), and
// --publish: the same files copied to docs/performance/ to be committed.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { REPO_ROOT as ROOT } from '@junction/topology';
import { charts } from './charts.mts';
import { report } from './report.mts';
import { type BenchResults } from './results.mts';

export const PUBLISHED = join(ROOT, 'docs', 'performance');

async function pretty(file: string, text: string, parser: string): Promise<string> {
  const config = (await resolveConfig(file)) ?? {};
  return format(text, { ...config, parser });
}

/** Writes the run's files into `dir`; returns their names. */
export async function writeRun(dir: string, results: BenchResults): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const svgs = await charts(results);
  for (const [name, svg] of Object.entries(svgs)) await writeFile(join(dir, name), svg);
  const resultsFile = join(dir, 'results.json');
  await writeFile(resultsFile, await pretty(resultsFile, JSON.stringify(results), 'json'));
  const reportFile = join(dir, 'report.md');
  await writeFile(
    reportFile,
    await pretty(reportFile, report(results, Object.keys(svgs)), 'markdown'),
  );
  return ['results.json', 'report.md', ...Object.keys(svgs)];
}

/** Replaces docs/performance/ with this run's report, results, charts and profiles. */
export async function publish(dir: string): Promise<void> {
  await rm(PUBLISHED, { recursive: true, force: true });
  await cp(dir, PUBLISHED, { recursive: true });
}
