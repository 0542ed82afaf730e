import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsDocument } from '../results/document.js';
import { writeFileAtomic } from '../results/write.js';
import { buildModel, type ReportModel } from './model.js';
import { renderChart } from './render.js';
import { reportHtml } from './html.js';
import { reportMarkdown } from './markdown.js';

export interface WrittenReport {
  dir: string;
  html: string;
  markdown: string;
  charts: string[];
  model: ReportModel;
}

/** Writes index.html, summary.md and charts/<id>.{svg,png,vl.json} for the given runs into `dir`. */
export async function writeReport(runs: Array<{ label: string; doc: ResultsDocument }>, dir: string): Promise<WrittenReport> {
  const model = buildModel(runs);
  const chartsDir = join(dir, 'charts');
  mkdirSync(chartsDir, { recursive: true });
  const rendered = [];
  for (const chart of model.charts) {
    const r = await renderChart(chart);
    writeFileSync(join(chartsDir, `${chart.id}.svg`), r.svg);
    writeFileSync(join(chartsDir, `${chart.id}.png`), r.png);
    writeFileSync(join(chartsDir, `${chart.id}.vl.json`), `${JSON.stringify(chart.spec, null, 1)}\n`);
    rendered.push(r);
  }
  const html = join(dir, 'index.html');
  const markdown = join(dir, 'summary.md');
  writeFileAtomic(markdown, reportMarkdown(model));
  writeFileAtomic(html, reportHtml(model, rendered));
  return { dir, html, markdown, charts: model.charts.map((c) => c.id), model };
}
