// The bench's charts as SVG, drawn by Vega-Lite (compiled to a Vega spec, rendered headless with
// Vega's SVG renderer): line charts with linear or log axes, dashed series and shaded bands for
// fault windows; stacked bars (CPU per checkout by process); and intervals against a limit.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type Point = readonly [x: number, y: number];

export interface Series {
  readonly label: string;
  readonly points: readonly Point[];
  readonly color: string;
  readonly dashed?: boolean;
}

export interface Axis {
  readonly label: string;
  readonly log?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/** A shaded stretch of the x axis, e.g. while a fault was on. */
export interface Band {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface ChartSpec {
  readonly title: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly series: readonly Series[];
  readonly bands?: readonly Band[];
}

export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
];

const WIDTH = 560;
const HEIGHT = 320;

/** Long labels (targets, setups) in full rather than cut at Vega's default 180 px. */
const CONFIG = { axis: { labelLimit: 480 }, legend: { labelLimit: 320 } };

async function render(spec: TopLevelSpec): Promise<string> {
  const configured = { ...spec, config: CONFIG } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(configured).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function scaleOf(axis: Axis): Record<string, unknown> {
  return {
    type: axis.log ? 'log' : 'linear',
    ...(axis.min !== undefined || axis.max !== undefined
      ? { domainMin: axis.min, domainMax: axis.max }
      : {}),
    ...(axis.log ? {} : { zero: axis.min === 0 }),
  };
}

export function lineChart(spec: ChartSpec): Promise<string> {
  const usable = (axis: Axis, value: number): boolean =>
    Number.isFinite(value) && (!axis.log || value > 0);
  const values = spec.series.flatMap((s) =>
    s.points
      .filter(([x, y]) => usable(spec.x, x) && usable(spec.y, y))
      .map(([x, y]) => ({ series: s.label, x, y, dashed: s.dashed === true })),
  );
  const line = {
    data: { values },
    mark: { type: 'line', point: values.length < 60, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: spec.x.label, scale: scaleOf(spec.x) },
      y: { field: 'y', type: 'quantitative', title: spec.y.label, scale: scaleOf(spec.y) },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: spec.series.map((s) => s.label),
        scale: { domain: spec.series.map((s) => s.label), range: spec.series.map((s) => s.color) },
      },
      strokeDash: {
        field: 'dashed',
        type: 'nominal',
        legend: null,
        scale: {
          domain: [false, true],
          range: [
            [1, 0],
            [6, 4],
          ],
        },
      },
      order: { field: 'x', type: 'quantitative' },
    },
  };
  const bands = (spec.bands ?? []).map((band) => ({
    data: { values: [band] },
    mark: { type: 'rect', color: '#f2c94c', opacity: 0.25 },
    encoding: {
      x: { field: 'from', type: 'quantitative' },
      x2: { field: 'to' },
      tooltip: { field: 'label' },
    },
  }));
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: spec.title,
    width: WIDTH,
    height: HEIGHT,
    layer: [...bands, line],
  } as unknown as TopLevelSpec);
}

export interface StackedBar {
  readonly bar: string;
  readonly part: string;
  readonly value: number;
}

/** Horizontal bars made of parts (e.g. CPU-ms per checkout of each process). */
export function stackedBarChart(
  title: string,
  valueLabel: string,
  rows: readonly StackedBar[],
): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    data: { values: rows.filter((r) => Number.isFinite(r.value)) },
    mark: 'bar',
    encoding: {
      y: { field: 'bar', type: 'nominal', title: null, sort: null },
      x: { field: 'value', type: 'quantitative', title: valueLabel, stack: 'zero' },
      color: { field: 'part', type: 'nominal', title: null, scale: { range: PALETTE } },
    },
  } as unknown as TopLevelSpec);
}

export interface IntervalRow {
  readonly label: string;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly limit: number;
}

/** Each ratio's estimate and 95 % interval, with its limit marked. */
export function intervalChart(title: string, rows: readonly IntervalRow[]): Promise<string> {
  const values = rows.filter((r) => [r.estimate, r.low, r.high].every(Number.isFinite));
  const y = { field: 'label', type: 'nominal', title: null, sort: null };
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 3, color: PALETTE[0] },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative', title: 'ratio (95 % interval)' },
          x2: { field: 'high' },
        },
      },
      {
        mark: { type: 'point', filled: true, color: PALETTE[0] },
        encoding: { y, x: { field: 'estimate', type: 'quantitative' } },
      },
      {
        mark: { type: 'tick', color: PALETTE[1], thickness: 2 },
        encoding: { y, x: { field: 'limit', type: 'quantitative' } },
      },
    ],
  } as unknown as TopLevelSpec);
}
