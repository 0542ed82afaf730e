import type { TopLevelSpec } from 'vega-lite';
import type { CellRow } from './data.js';
import type { Findings } from './findings.js';
import { findScenario } from '../core/registry.js';
import type { ChartKind } from '../core/types.js';

export interface Chart {
  id: string;
  title: string;
  /** One sentence under the chart: what it shows and how to read it. */
  caption: string;
  spec: TopLevelSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const W = 520;
const H = 300;
const logN = { field: 'n', type: 'quantitative', title: 'samples n', scale: { type: 'log' }, axis: { format: '.0e' } } as const;
const color = { field: 'series', type: 'nominal', title: 'backend' } as const;

function timeVsN(rows: CellRow[]): Chart {
  return {
    id: 'time-vs-n',
    title: 'Time per call vs n',
    caption: 'Median time per call (log-log) with the 95% confidence band of the median; flatter than the 1:1 slope means per-call overhead dominates at small n. Drag or scroll to zoom in the HTML report.',
    spec: {
      $schema: SCHEMA, width: W, height: H,
      data: { values: rows },
      encoding: { x: logN, color },
      layer: [
        { mark: { type: 'area', opacity: 0.2 }, encoding: { y: { field: 'ciLoMs', type: 'quantitative', scale: { type: 'log' }, title: 'ms per call' }, y2: { field: 'ciHiMs' } } },
        { params: [{ name: 'zoom', select: 'interval', bind: 'scales' }], mark: { type: 'line', point: true }, encoding: { y: { field: 'p50Ms', type: 'quantitative', scale: { type: 'log' } }, tooltip: [{ field: 'series' }, { field: 'n', format: '.0e' }, { field: 'p50Ms', title: 'median ms', format: '.4g' }, { field: 'ciLoMs', format: '.4g' }, { field: 'ciHiMs', format: '.4g' }, { field: 'nsPerSample', title: 'ns/sample', format: '.3g' }, { field: 'status' }] } },
      ],
    } as TopLevelSpec,
  };
}

function errorVsN(rows: CellRow[], sigma: (n: number) => number): Chart {
  const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  const ref = ns.flatMap((n) => [
    { n, value: sigma(n), line: 'sigma (the scenario\'s noise at n)' },
    { n, value: sigma(n) * Math.sqrt(2 / Math.PI), line: 'expected |error| = sigma*sqrt(2/pi)' },
  ]);
  return {
    id: 'error-vs-n',
    title: '|error| vs n',
    caption: '|4*hits/n - pi| per cell against the sampling sigma (the 1/sqrt(n) line): a correct kernel scatters around the expected |error|; far above the sigma line is suspect. Exact backends count identical hits, so their points coincide.',
    spec: {
      $schema: SCHEMA, width: W, height: H,
      layer: [
        { data: { values: ref }, mark: { type: 'line', strokeDash: [4, 3], color: '#888' }, encoding: { x: logN, y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: '|error|' }, detail: { field: 'line' }, tooltip: [{ field: 'line' }] } },
        { data: { values: rows.filter((r) => r.absError !== undefined && r.absError > 0) }, mark: { type: 'point', filled: true, size: 60 }, encoding: { x: logN, y: { field: 'absError', type: 'quantitative', scale: { type: 'log' } }, color, tooltip: [{ field: 'series' }, { field: 'n', format: '.0e' }, { field: 'absError', format: '.3e' }, { field: 'z', format: '.2f' }, { field: 'status' }] } },
      ],
    } as TopLevelSpec,
  };
}

function tradeoff(rows: CellRow[], f: Findings): Chart {
  const pts = rows.filter((r) => r.absError !== undefined && r.absError > 0);
  return {
    id: 'time-vs-accuracy',
    title: 'Time vs accuracy, with the Pareto frontier',
    caption: 'Each point is a cell (backend x n). The line joins the cells no other cell beats on both time and |error|; the ringed point is the best trade-off (closest to the ideal corner in log-scaled units).',
    spec: {
      $schema: SCHEMA, width: W, height: H,
      layer: [
        { data: { values: pts }, params: [{ name: 'zoom', select: 'interval', bind: 'scales' }], mark: { type: 'point', filled: true, size: 60, opacity: 0.8 }, encoding: { x: { field: 'p50Ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms per call' }, y: { field: 'absError', type: 'quantitative', scale: { type: 'log' }, title: '|error|' }, color, tooltip: [{ field: 'series' }, { field: 'n', format: '.0e' }, { field: 'p50Ms', format: '.4g' }, { field: 'absError', format: '.3e' }] } },
        { data: { values: f.pareto }, mark: { type: 'line', color: '#333', strokeDash: [2, 2] }, encoding: { x: { field: 'p50Ms', type: 'quantitative' }, y: { field: 'absError', type: 'quantitative' }, order: { field: 'p50Ms' } } },
        { data: { values: f.tradeoff ? [f.tradeoff] : [] }, mark: { type: 'point', shape: 'circle', size: 400, stroke: '#d62728', strokeWidth: 2, filled: false }, encoding: { x: { field: 'p50Ms', type: 'quantitative' }, y: { field: 'absError', type: 'quantitative' } } },
        { data: { values: f.tradeoff ? [{ ...f.tradeoff, label: `trade-off: ${f.tradeoff.series}, n=${f.tradeoff.n.toExponential(0)}` }] : [] }, mark: { type: 'text', dx: 14, dy: -12, align: 'left', color: '#d62728' }, encoding: { x: { field: 'p50Ms', type: 'quantitative' }, y: { field: 'absError', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    } as TopLevelSpec,
  };
}

function speedup(f: Findings): Chart {
  return {
    id: 'speedup-over-ts',
    title: 'Speedup over plain TypeScript',
    caption: 'Median time of ts (default tier, 1 thread) over the median time of each backend at the same n; bars span the ratio of the two 95% confidence intervals. Above 1 is faster than ts.',
    spec: {
      $schema: SCHEMA, width: W, height: H,
      data: { values: f.speedups },
      layer: [
        { mark: { type: 'rule', color: '#888', strokeDash: [4, 3] }, encoding: { y: { datum: 1 } } },
        { mark: 'errorbar', encoding: { x: logN, color, y: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'speedup over ts (x)' }, y2: { field: 'hi' } } },
        { mark: { type: 'line', point: true }, encoding: { x: logN, color, y: { field: 'speedup', type: 'quantitative' }, tooltip: [{ field: 'series' }, { field: 'n', format: '.0e' }, { field: 'speedup', format: '.3g' }, { field: 'lo', format: '.3g' }, { field: 'hi', format: '.3g' }] } },
      ],
    } as TopLevelSpec,
  };
}

function phases(rows: CellRow[]): Chart {
  const values = rows.flatMap((r) => [
    { series: r.series, n: r.n, phase: '1 compile', ms: r.compileMs },
    { series: r.series, n: r.n, phase: '2 first call', ms: r.firstCallMs },
    { series: r.series, n: r.n, phase: '3 steady-state call', ms: r.p50Ms },
  ]).filter((v) => v.ms > 0 && Number.isFinite(v.ms));
  // Bars on a log axis need a floor to start from: the power of ten below the smallest value.
  const floor = 10 ** Math.floor(Math.log10(Math.min(...values.map((v) => v.ms), 1)));
  return {
    id: 'compile-first-steady',
    title: 'Compile, first call and steady state',
    caption: 'Per backend and n: compile time (prepare), the first call in a fresh process, and the median steady-state call (log scale). Compile + first call is the time to first result.',
    spec: {
      $schema: SCHEMA,
      data: { values },
      facet: { column: { field: 'n', type: 'ordinal', title: 'samples n', header: { format: '.0e' } } },
      spec: {
        width: 90, height: H,
        mark: 'bar',
        encoding: {
          x: { field: 'series', type: 'nominal', title: null, axis: { labelAngle: -40 } },
          xOffset: { field: 'phase' },
          y: { field: 'ms', type: 'quantitative', scale: { type: 'log', domainMin: floor }, title: 'ms' },
          y2: { datum: floor },
          color: { field: 'phase', type: 'nominal', title: 'phase' },
          tooltip: [{ field: 'series' }, { field: 'phase' }, { field: 'ms', format: '.4g' }],
        },
      },
    } as TopLevelSpec,
  };
}

function warmup(series: Array<{ scenario: string; series: string; n: number; i: number; ms: number; phase: string; warmupClass: string }>): Chart {
  return {
    id: 'warmup-curves',
    title: 'Warm-up curves',
    caption: 'Time per call in call order (warm-up, then the kept samples) for the first process of each cell; the legend gives each line\'s steady-state class (flat, warmup, slowdown, no steady state).',
    spec: {
      $schema: SCHEMA,
      data: { values: series.map((s) => ({ ...s, line: `${s.series}: ${s.warmupClass}` })) },
      facet: { field: 'n', type: 'ordinal', title: 'samples n', header: { format: '.0e' } },
      columns: 3,
      spec: {
        width: 220, height: 160,
        mark: { type: 'line', strokeWidth: 1 },
        encoding: {
          x: { field: 'i', type: 'quantitative', title: 'call' },
          y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms per call' },
          color: { field: 'line', type: 'nominal', title: 'backend: steady-state class' },
          tooltip: [{ field: 'line', title: 'series: class' }, { field: 'phase' }, { field: 'i' }, { field: 'ms', format: '.4g' }],
        },
      },
      resolve: { scale: { x: 'independent', y: 'independent' } },
    } as TopLevelSpec,
  };
}

const workload = { field: 'workload', type: 'nominal', title: 'workload (n)' } as const;
const engine = { field: 'series', type: 'nominal', title: 'engine' } as const;

/** An EVM cell's x label: the scenario and n, with the solc pipeline named when the rows have more than one. */
function evmLabeler(rows: CellRow[]): (r: CellRow) => string {
  const several = new Set(rows.map((r) => r.pipeline).filter(Boolean)).size > 1;
  return (r) => `${several && r.pipeline ? `${r.workload} ${r.pipeline}` : r.scenario} (${r.n})`;
}

/** Chart id and title parts of an EVM scenario group (none: the built-in workloads and user code). */
function groupNaming(group: string | undefined): { id: string; title: string } {
  return group ? { id: `-${group}`, title: ` ${group}` } : { id: '', title: '' };
}

function evmTime(rows: CellRow[], group?: string): Chart {
  const label = evmLabeler(rows);
  const g = groupNaming(group);
  return {
    id: `evm-time${g.id}`,
    title: `EVM${g.title}: time per call by workload and engine`,
    caption: 'Median time of one message call (dot, log scale) with the 95% confidence interval of the median (bar); the dash below is the engine\'s empty-contract time, its fixed cost per call.',
    spec: {
      $schema: SCHEMA, width: W, height: H,
      data: { values: rows.map((r) => ({ ...r, workload: label(r), emptyMs: r.emptyCallUs !== undefined ? r.emptyCallUs / 1000 : null })) },
      encoding: { x: { ...workload, axis: { labelAngle: 0 } }, xOffset: engine, color: engine },
      layer: [
        { mark: { type: 'point', filled: true, size: 90 }, encoding: { y: { field: 'p50Ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms per call (log)' }, tooltip: [{ field: 'series' }, { field: 'workload' }, { field: 'p50Ms', title: 'median ms', format: '.4g' }, { field: 'ciLoMs', format: '.4g' }, { field: 'ciHiMs', format: '.4g' }, { field: 'gasUsed' }, { field: 'emptyCallUs', title: 'empty call us', format: '.3g' }, { field: 'status' }] } },
        { mark: { type: 'rule', strokeWidth: 3 }, encoding: { y: { field: 'ciLoMs', type: 'quantitative' }, y2: { field: 'ciHiMs' } } },
        { transform: [{ filter: 'datum.emptyMs > 0' }], mark: { type: 'tick', thickness: 2, size: 14 }, encoding: { y: { field: 'emptyMs', type: 'quantitative' }, tooltip: [{ field: 'series' }, { field: 'emptyMs', title: 'empty call ms', format: '.3g' }] } },
      ],
    } as TopLevelSpec,
  };
}

function evmThroughput(rows: CellRow[], group?: string): Chart {
  const label = evmLabeler(rows);
  const g = groupNaming(group);
  return {
    id: `evm-mgas${g.id}`,
    title: `EVM${g.title}: throughput in Mgas/s`,
    caption: 'Gas used by the call divided by its median time (million gas per second): the same gas on every engine, so the bars compare engines on a common unit of EVM work.',
    spec: {
      $schema: SCHEMA, width: W, height: H,
      data: { values: rows.filter((r) => r.mgasPerS !== undefined).map((r) => ({ ...r, workload: label(r) })) },
      mark: 'bar',
      encoding: { x: { ...workload, axis: { labelAngle: 0 } }, xOffset: engine, color: engine, y: { field: 'mgasPerS', type: 'quantitative', title: 'Mgas/s' }, tooltip: [{ field: 'series' }, { field: 'workload' }, { field: 'mgasPerS', title: 'Mgas/s', format: '.4g' }, { field: 'gasUsed' }] },
    } as TopLevelSpec,
  };
}

function evmPipelineChart(f: Findings): Chart {
  const values = [
    ...[...new Map(f.evmPipelines.filter((p) => p.gasRatio !== undefined).map((p) => [`${p.workload}/${p.n}`, p])).values()]
      .map((p) => ({ workload: `${p.workload} (${p.n})`, measure: 'gas used', ratio: p.gasRatio, legacy: p.legacy.gasUsed, viaIR: p.viaIR.gasUsed })),
    ...f.evmPipelines.map((p) => ({ workload: `${p.workload} (${p.n})`, measure: `time: ${p.series}`, ratio: p.timeRatio, legacy: p.legacy.p50Ms, viaIR: p.viaIR.p50Ms })),
  ];
  return {
    id: 'evm-pipelines',
    title: 'EVM: viaIR against the legacy pipeline',
    caption: 'For each workload compiled both ways: viaIR gas used over legacy gas used (the same on every engine), and each engine\'s viaIR median time over its legacy median time (log scale). Below 1, viaIR\'s code is cheaper or faster; the report\'s table has the absolute values.',
    spec: {
      $schema: SCHEMA, width: W, height: H,
      data: { values },
      layer: [
        { mark: { type: 'rule', color: '#888', strokeDash: [4, 3] }, encoding: { y: { datum: 1 } } },
        { mark: { type: 'point', filled: true, size: 90 }, encoding: { x: { ...workload, axis: { labelAngle: 0 } }, xOffset: { field: 'measure' }, color: { field: 'measure', type: 'nominal', title: 'viaIR / legacy' }, shape: { field: 'measure', type: 'nominal' }, y: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, title: 'viaIR / legacy (log)' }, tooltip: [{ field: 'workload' }, { field: 'measure' }, { field: 'ratio', format: '.3f' }, { field: 'legacy', format: '.4~g' }, { field: 'viaIR', format: '.4~g' }] } },
      ],
    } as TopLevelSpec,
  };
}

function evmCompileChart(rows: CellRow[]): Chart {
  const values = rows.flatMap((r) => Object.entries(r.compilePhases!).map(([phase, ms]) => ({ workload: `${r.scenario} (${r.n})`, series: r.series, phase: phase.replace(/Ms$/, ''), ms })));
  return {
    id: 'evm-compile',
    title: 'EVM: compile time by phase',
    caption: 'Time to compile the called contract, by phase: code analysis (decode, blocks), building the WebAssembly module with binaryen, binaryen optimization, emitting the binary, V8 compiling it and instantiating it. The findings give the break-even call count against evm-interp.',
    spec: {
      $schema: SCHEMA, width: W, height: H,
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'workload', type: 'nominal', title: 'workload (n)', axis: { labelAngle: 0 } },
        xOffset: { field: 'series', type: 'nominal' },
        y: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'compile ms' },
        color: { field: 'phase', type: 'nominal', title: 'phase' },
        tooltip: [{ field: 'series' }, { field: 'workload' }, { field: 'phase' }, { field: 'ms', format: '.3g' }],
      },
    } as TopLevelSpec,
  };
}

/** The per-n charts a scenario asks for (Scenario.charts; default: time vs n, phases, warm-up). */
const DEFAULT_KINDS: ChartKind[] = ['time-vs-n', 'phases', 'warmup'];

/** Every chart the report has data for, in reading order. */
export function buildCharts(rows: CellRow[], warmupSeries: Parameters<typeof warmup>[0], f: Findings): Chart[] {
  const charts: Chart[] = [];
  // scenarios swept over n: the charts each asks for (rows with a workload are charted per workload below)
  for (const id of [...new Set(rows.filter((r) => r.workload === undefined).map((r) => r.scenario))]) {
    const own = rows.filter((r) => r.scenario === id);
    const scenario = findScenario(id);
    const kinds = scenario?.charts ?? DEFAULT_KINDS;
    const suffix = (c: Chart): Chart => (rows.some((r) => r.workload === undefined && r.scenario !== id) ? { ...c, id: `${c.id}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`, title: `${c.title} (${id})` } : c);
    for (const k of kinds) {
      if (k === 'time-vs-n') charts.push(suffix(timeVsN(own)));
      if (k === 'error-vs-n' && scenario?.sigma) charts.push(suffix(errorVsN(own, scenario.sigma)));
      if (k === 'speedup' && f.speedups.length) charts.push(suffix(speedup(f)));
      if (k === 'tradeoff') charts.push(suffix(tradeoff(own, f)));
      if (k === 'phases') charts.push(suffix(phases(own)));
      if (k === 'warmup') charts.push(suffix(warmup(warmupSeries.filter((s) => s.scenario === id))));
    }
  }
  // scenarios named by workload (the EVM calls): one pair of charts per group (the corpus apart)
  const byWorkload = rows.filter((r) => r.workload !== undefined);
  for (const group of [...new Set(byWorkload.map((r) => r.group))]) {
    const rows = byWorkload.filter((r) => r.group === group);
    charts.push(evmTime(rows, group));
    if (rows.some((r) => r.mgasPerS !== undefined)) charts.push(evmThroughput(rows, group));
  }
  if (f.evmPipelines.length > 0) charts.push(evmPipelineChart(f));
  const compiled = byWorkload.filter((r) => r.compilePhases !== undefined);
  if (compiled.length > 0) charts.push(evmCompileChart(compiled));
  return charts;
}
