/**
 * Charts, drawn by uPlot: bars or lines over time (x in epoch ms) or over named categories (templates,
 * agents). Colors follow the console's theme; the chart follows its container's width.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** A CSS color or a `var(--…)` of the theme. */
  color: string;
  format?: (value: number) => string;
}

export interface ChartProps {
  /** Epoch ms for time charts; ignored for category charts. */
  x?: number[];
  categories?: string[];
  series: ChartSeries[];
  kind?: "bars" | "line";
  height?: number;
  /** What the chart shows, for screen readers. */
  label: string;
  /** Counts: ticks on whole numbers only. */
  integer?: boolean;
}

function themeColor(value: string, element: Element): string {
  const match = /^var\((--[a-z0-9-]+)\)$/.exec(value);
  return match ? getComputedStyle(element).getPropertyValue(match[1] as string).trim() || "#888" : value;
}

/** A category label short enough for the axis. */
function shortLabel(label: string): string {
  return label.length > 22 ? `${label.slice(0, 21)}…` : label;
}

/** Height of a category chart: one band per category. */
function categoryHeight(count: number): number {
  return Math.max(110, count * 30 + 44);
}

function optionsFor(props: ChartProps, width: number, element: Element): uPlot.Options {
  const muted = themeColor("var(--text-muted)", element);
  const grid = themeColor("var(--border)", element);
  const categories = props.categories;
  const bars = props.kind !== "line";
  const format = props.series[0]?.format ?? ((value: number) => String(value));
  const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "12px system-ui, sans-serif" };
  const valueAxis = {
    ...axis,
    values: (_u: uPlot, splits: number[]) => splits.map((v) => format(v)),
    ...(props.integer ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] } : {}),
  };
  const series = props.series.map((s, index) => {
    const color = themeColor(s.color, element);
    return {
      label: s.label,
      stroke: color,
      fill: bars ? color : `${color}22`,
      width: bars ? 0 : 2,
      points: { show: false },
      value: (_u: uPlot, v: number | null) => (v === null ? "—" : (s.format ?? format)(v)),
      // Later series are drawn over earlier ones: a narrower bar shows as a part of the one behind it.
      ...(bars ? { paths: uPlot.paths.bars?.({ size: [index === 0 ? 0.7 : 0.45, 48], gap: 2 }) } : {}),
    };
  });
  const yRange = (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => [Math.min(0, min), max > 0 ? max * 1.1 : 1];

  if (categories) {
    // Categories run down the side (horizontal bars), so long names stay readable.
    const count = categories.length;
    const labelWidth = Math.min(170, Math.max(60, Math.max(...categories.map((c) => shortLabel(c).length)) * 7 + 16));
    return {
      width,
      height: categoryHeight(count),
      padding: [8, 16, 0, 0],
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: false, ori: 1, dir: -1, range: [-0.5, Math.max(count - 0.5, 0.5)] }, y: { ori: 0, range: yRange } },
      axes: [
        {
          ...axis,
          side: 3,
          size: labelWidth,
          grid: { show: false },
          splits: () => Array.from({ length: count }, (_, i) => i),
          values: (_u, splits) => splits.map((i) => shortLabel(categories[i] ?? "")),
        },
        { ...valueAxis, side: 2, space: 72 },
      ],
      series: [{ label: "" }, ...series],
    };
  }

  const xs = props.x ?? [];
  const stepSeconds = xs.length > 1 ? ((xs[1] as number) - (xs[0] as number)) / 1000 : 3600;
  return {
    width,
    height: props.height ?? 220,
    padding: [12, 12, 0, 4],
    legend: { show: true },
    cursor: { points: { show: !bars } },
    scales: {
      // Bars need half a step of room at each end, or the first and last are cut in half.
      x: bars ? { time: true, range: (_u, min, max) => [min - stepSeconds / 2, max + stepSeconds / 2] } : { time: true },
      y: { range: yRange },
    },
    axes: [axis, { ...valueAxis, size: 64 }],
    series: [{}, ...series],
  };
}

export function Chart(props: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const xs = props.categories ? props.categories.map((_, i) => i) : (props.x ?? []).map((ms) => ms / 1000);
    const data: uPlot.AlignedData = [xs, ...props.series.map((s) => s.values)];
    plot.current = new uPlot(optionsFor(props, element.clientWidth || 600, element), data, element);
    const observer = new ResizeObserver(() => {
      const width = element.clientWidth;
      if (plot.current && width > 0 && width !== plot.current.width) plot.current.setSize({ width, height: plot.current.height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [JSON.stringify([props.x, props.categories, props.series.map((s) => [s.label, s.values, s.color]), props.kind, props.height, props.integer])]);

  return <div class="chart" ref={container} role="img" aria-label={props.label} />;
}
