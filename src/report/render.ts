import * as vega from 'vega';
import { compile } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import type { Chart } from './charts.js';

export interface RenderedChart {
  chart: Chart;
  svg: string;
  png: Buffer;
}

/** Vega-Lite -> Vega -> SVG with vega's headless renderer, then SVG -> PNG with resvg. No browser, no network. */
export async function renderChart(chart: Chart): Promise<RenderedChart> {
  const vgSpec = compile(chart.spec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  return { chart, svg, png };
}
