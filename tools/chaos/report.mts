// The results table, in Markdown (pasted into docs/reliability.md after a full run).
import { type ScenarioResult } from './runner.mts';

export interface FailedRun {
  readonly title: string;
  readonly error: string;
  readonly durationMs: number;
}

export function resultsTable(results: readonly (ScenarioResult | FailedRun)[]): string {
  const header = [
    '| scenario | orders accepted | confirmed | rejected | lost | books OK | duration | notes |',
    '| --- | ---: | ---: | ---: | ---: | :---: | ---: | --- |',
  ];
  const rows = results.map((result) => {
    const duration = `${(result.durationMs / 1000).toFixed(0)} s`;
    if ('error' in result)
      return `| ${result.title} | – | – | – | – | error | ${duration} | ${escape(result.error)} |`;
    const { books } = result;
    const ok = result.violations.length === 0 ? 'yes' : `**no** (${result.violations.length})`;
    return `| ${result.scenario.title} | ${books.accepted} | ${books.confirmed} | ${books.rejected} | ${books.lost} | ${ok} | ${duration} | ${escape(result.notes.join('; '))} |`;
  });
  return [...header, ...rows].join('\n');
}

function escape(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
