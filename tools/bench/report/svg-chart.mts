// A small line chart as hand-written SVG (no dependency): linear or log axes, dashed series,
// shaded bands for fault windows, and a legend. Enough for the bench's charts.

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
];

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 200, top: 44, bottom: 52 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

interface Scale {
  (value: number): number;
  readonly ticks: number[];
}

export function lineChart(spec: ChartSpec): string {
  const usable = (axis: Axis, value: number): boolean =>
    Number.isFinite(value) && (!axis.log || value > 0);
  const series = spec.series.map((s) => ({
    ...s,
    points: s.points.filter(([x, y]) => usable(spec.x, x) && usable(spec.y, y)),
  }));
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const bandEdges = (spec.bands ?? []).flatMap((b) => [b.from, b.to]);
  const x = scale(spec.x, [...xs, ...bandEdges], 0, PLOT_W);
  const y = scale(spec.y, ys, PLOT_H, 0);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(HEIGHT)}" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    text(
      WIDTH / 2 - MARGIN.right / 2,
      24,
      spec.title,
      'middle',
      'font-size="15" font-weight="bold"',
    ),
    `<g transform="translate(${String(MARGIN.left)},${String(MARGIN.top)})">`,
    ...(spec.bands ?? []).map((band) => bandOf(band, x)),
    ...axes(spec, x, y),
    ...series.map((s) => pathOf(s, x, y)),
    `</g>`,
    ...legend(series),
    `</svg>`,
  ];
  return `${parts.join('\n')}\n`;
}

function scale(axis: Axis, values: readonly number[], from: number, to: number): Scale {
  const lo = axis.min ?? (values.length ? Math.min(...values) : 0);
  const hi = axis.max ?? (values.length ? Math.max(...values) : 1);
  if (axis.log) {
    const low = Math.floor(Math.log10(Math.max(lo, 1e-6)));
    const high = Math.max(Math.ceil(Math.log10(Math.max(hi, 1e-6))), low + 1);
    const f = (v: number): number => from + ((Math.log10(v) - low) / (high - low)) * (to - from);
    const ticks: number[] = [];
    for (let e = low; e <= high; e++) {
      for (const m of [1, 2, 5]) if (m * 10 ** e <= 10 ** high) ticks.push(m * 10 ** e);
    }
    return Object.assign(f, { ticks });
  }
  const start = Math.min(lo, axis.min ?? 0);
  const step = niceStep((hi - start || 1) / 6);
  // Headroom above the highest value, so a line along the top stays visible.
  const end = axis.max ?? (Math.ceil((hi * 1.05) / step) * step || step);
  const f = (v: number): number => from + ((v - start) / (end - start)) * (to - from);
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return Object.assign(f, { ticks });
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function axes(spec: ChartSpec, x: Scale, y: Scale): string[] {
  const lines = [
    `<rect x="0" y="0" width="${String(PLOT_W)}" height="${String(PLOT_H)}" fill="none" stroke="#999"/>`,
  ];
  for (const tick of x.ticks) {
    const px = fixed(x(tick));
    lines.push(
      `<line x1="${px}" y1="0" x2="${px}" y2="${String(PLOT_H)}" stroke="#eee"/>`,
      text(x(tick), PLOT_H + 16, label(tick), 'middle'),
    );
  }
  for (const tick of y.ticks) {
    const py = fixed(y(tick));
    lines.push(
      `<line x1="0" y1="${py}" x2="${String(PLOT_W)}" y2="${py}" stroke="#eee"/>`,
      text(-6, y(tick) + 4, label(tick), 'end'),
    );
  }
  lines.push(
    text(PLOT_W / 2, PLOT_H + 38, spec.x.label, 'middle'),
    `<text transform="translate(-52,${fixed(PLOT_H / 2)}) rotate(-90)" text-anchor="middle">${escape(spec.y.label)}</text>`,
  );
  return lines;
}

function pathOf(series: Series, x: Scale, y: Scale): string {
  if (series.points.length === 0) return '';
  const d = series.points
    .map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${fixed(x(px))},${fixed(y(py))}`)
    .join(' ');
  const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
  const dots =
    series.points.length <= 16
      ? series.points
          .map(
            ([px, py]) =>
              `<circle cx="${fixed(x(px))}" cy="${fixed(y(py))}" r="2.5" fill="${series.color}"/>`,
          )
          .join('')
      : '';
  return `<path d="${d}" fill="none" stroke="${series.color}" stroke-width="1.8"${dash}/>${dots}`;
}

function bandOf(band: Band, x: Scale): string {
  const from = x(band.from);
  const width = Math.max(1, x(band.to) - from);
  return (
    `<rect x="${fixed(from)}" y="0" width="${fixed(width)}" height="${String(PLOT_H)}" fill="#f4c7c3" opacity="0.5"/>` +
    text(from + 4, 14, band.label, 'start', 'fill="#a33"')
  );
}

function legend(series: readonly Series[]): string[] {
  const left = WIDTH - MARGIN.right + 14;
  return series.map((s, i) => {
    const top = MARGIN.top + 8 + i * 20;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    return (
      `<line x1="${String(left)}" y1="${String(top)}" x2="${String(left + 26)}" y2="${String(top)}" stroke="${s.color}" stroke-width="2"${dash}/>` +
      text(left + 32, top + 4, s.label, 'start')
    );
  });
}

function text(x: number, y: number, content: string, anchor: string, extra = ''): string {
  return `<text x="${fixed(x)}" y="${fixed(y)}" text-anchor="${anchor}" ${extra}>${escape(content)}</text>`;
}

function label(value: number): string {
  if (value >= 1000) return `${String(Number((value / 1000).toPrecision(3)))}k`;
  return String(Number(value.toPrecision(3)));
}

function fixed(value: number): string {
  return value.toFixed(1);
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
