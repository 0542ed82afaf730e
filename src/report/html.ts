import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../util/packages.js';
import { checkedText, fmtMs, fmtN, fmtNum } from '../util/format.js';
import { tierOverheadLines } from './tier-overhead.js';
import { findingsMarkdown, HEADLINE_HEADERS, headlineRows, PIPELINE_HEADERS, pipelineRows } from './markdown.js';
import type { ReportModel } from './model.js';
import type { RenderedChart } from './render.js';

/** The browser bundles of vega, vega-lite and vega-embed, inlined: the page loads nothing from anywhere. */
function bundles(): string {
  return [['vega', 'build/vega.min.js'], ['vega-lite', 'build/vega-lite.min.js'], ['vega-embed', 'build/vega-embed.min.js']]
    .map(([pkg, file]) => `<script>${readFileSync(join(packageDir(pkg!), file!), 'utf8').replace(/<\/script/gi, '<\\/script')}</script>`)
    .join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** JSON inside a <script> element: '<' escaped so no string can close the element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
/** Markdown bold/code of the findings to HTML. */
const inline = (s: string) => esc(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');

const CSS = `
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1120px;margin:0 auto;padding:16px}h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .4em}
section,figure{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:12px 16px;margin:12px 0}
figure{margin:12px 0}figcaption{color:#556;font-size:.9em}.chart svg,.chart canvas{max-width:100%;height:auto}
.chart{overflow-x:auto}table{border-collapse:collapse;font-size:.85em;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}
.status-ok{color:#1a7f37}.status-suspect,.status-unchecked,.status-skipped,.status-pending{color:#9a6700}.status-wrong,.status-disputed,.status-error{color:#cf222e;font-weight:600}
.caveats li{color:#5a4a00}.meta{color:#556;font-size:.9em}
@media (max-width:640px){main{padding:8px}section,figure{padding:8px}body{font-size:14px}}`;

function cellsTable(m: ReportModel): string {
  const head = ['scenario', 'backend', 'n', 'status', 'median/call', '95% CI', 'ns/sample', 'compile', 'first call', '|z|', 'checked calls', 'warm-up', 'forks', 'run'];
  const rows = m.rows.map((r) => `<tr><td>${esc(r.scenario)}</td><td>${esc(r.series)}</td><td class="num">${fmtN(r.n)}</td><td class="status-${r.status}" title="${esc(r.reason ?? '')}">${r.status}</td><td class="num">${fmtMs(r.p50Ms)}</td><td class="num">${fmtMs(r.ciLoMs)} - ${fmtMs(r.ciHiMs)}</td><td class="num">${fmtNum(r.nsPerSample)}</td><td class="num">${fmtMs(r.compileMs)}</td><td class="num">${fmtMs(r.firstCallMs)}</td><td class="num">${r.z === undefined ? '-' : Math.abs(r.z).toFixed(2)}</td><td class="num">${checkedText(r)}</td><td>${esc(r.warmupClass)}</td><td class="num">${r.forks}</td><td>${esc(r.source)}</td></tr>`);
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The first screen: one small table per scenario family, then what is not installed here. */
function glance(m: ReportModel): string {
  const tables = m.headlines.map((h) => {
    const rows = headlineRows(h).map((r) => `<tr>${r.map((v, i) => `<td${i === 1 || i === 2 || i === 3 ? ' class="num"' : ''}${i === 4 && !v.startsWith('all ') ? ' class="status-wrong"' : ''}>${esc(v)}</td>`).join('')}</tr>`);
    return `<h2>${esc(h.family)}: <strong>${esc(h.leader)}</strong> is fastest</h2><p class="meta">${esc(h.scenarios.join(', '))}; each backend's time per call against ${esc(h.leader)}'s at the same n (1.00x = as fast).</p><div class="scroll"><table><thead><tr>${HEADLINE_HEADERS.map((x) => `<th>${esc(x)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  });
  const missing = m.missing.length
    ? `<p class="meta">Not installed on this machine (optional; the command adds it):</p><ul class="meta">${m.missing.map((p) => `<li>${esc(p.part)} [${esc(p.backends.join(', '))}]: <code>${esc(p.add)}</code></li>`).join('')}</ul>`
    : '';
  return `<section id="glance">${tables.join('')}${missing}</section>`;
}

function pipelinesTable(m: ReportModel): string {
  if (m.findings.evmPipelines.length === 0) return '';
  const rows = pipelineRows(m).map((r) => `<tr>${r.map((v, i) => `<td${i >= 3 ? ' class="num"' : ''}>${esc(v)}</td>`).join('')}</tr>`);
  return `<section id="evm-pipelines"><h2>EVM: legacy against viaIR</h2><div class="scroll"><table><thead><tr>${PIPELINE_HEADERS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function environment(m: ReportModel): string {
  const rows = m.machines.map((x) => {
    const e = x.environment;
    const libs = Object.entries(e.libraries).map(([k, v]) => `${k} ${v}`).join(', ');
    return `<tr><td>${esc(x.label)}</td><td>${esc(e.hostname)}</td><td>${esc(e.cpuModel)}</td><td class="num">${e.cpuCores}</td><td>${esc(`${e.os.platform} ${e.os.release} ${e.os.arch}`)}</td><td>${esc(e.node)} / V8 ${esc(e.v8)}</td><td>${esc(libs)}</td><td>${e.git ? esc(e.git.commit.slice(0, 10) + (e.git.dirty ? ' (dirty)' : '')) : '-'}</td></tr>`;
  });
  const plans = m.runs.map(({ label, doc }) => {
    const p = doc.plan;
    const o = doc.harnessOverhead;
    const tiers = tierOverheadLines(doc);
    return `<li><strong>${esc(label)}</strong> (run ${esc(doc.runId)}, ${esc(doc.status)}, ${esc(doc.startedAt)}): ${esc(p.scenarios.join(','))} on ${esc(p.backends.join(', '))}; n = ${p.samples.map(fmtN).join(', ')}; threads ${p.threads.join(',')}; tiers ${esc(p.tiers.join(','))}; ${p.forks} fork(s) per cell; ${p.timeMs} ms per cell; isolate ${p.isolate}; seed ${p.seed}; shuffle seed ${p.shuffleSeed}${p.v8Flags.length ? `; V8 flags ${esc(p.v8Flags.join(' '))}` : ''}. Harness overhead: ${o.timedRegionFloorNs.toFixed(0)} ns inside each sample, decorators ${o.decoratorsPerCallNs.toFixed(0)} ns, sampling loop ${o.harnessPerCallNs.toFixed(0)} ns per iteration${tiers.length ? `; measured in the cells' processes, by tier: ${esc(tiers.join('; '))}` : ''}.</li>`;
  });
  const method = Object.entries(m.runs[0]?.doc.method ?? {}).map(([k, v]) => `<li><strong>${esc(k)}</strong>: ${esc(v)}</li>`).join('');
  return `<div class="scroll"><table><thead><tr><th>run</th><th>host</th><th>CPU</th><th>cores</th><th>OS</th><th>Node</th><th>libraries</th><th>commit</th></tr></thead><tbody>${rows.join('')}</tbody></table></div><h2>Plan</h2><ul>${plans.join('')}</ul><h2>Method</h2><ul>${method}</ul>`;
}

/** index.html: one self-contained file (charts as inline SVG, made interactive by the inlined vega-embed when scripts run). */
export function reportHtml(m: ReportModel, charts: RenderedChart[]): string {
  const specs = Object.fromEntries(charts.map((c) => {
    const { $schema: _schema, ...spec } = c.chart.spec as unknown as Record<string, unknown>;
    return [c.chart.id, spec];
  }));
  const figures = charts.map((c) => `<figure id="chart-${c.chart.id}"><h2>${esc(c.chart.title)}</h2><div class="chart" data-chart="${c.chart.id}">${c.svg}</div><figcaption>${esc(c.chart.caption)} <a href="charts/${c.chart.id}.svg">SVG</a> · <a href="charts/${c.chart.id}.png">PNG</a> · <a href="charts/${c.chart.id}.vl.json">Vega-Lite spec</a></figcaption></figure>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>jitbench report</title><style>${CSS}</style></head>
<body><main>
<header><h1>jitbench report</h1><p class="meta">Generated ${esc(m.generatedAt)} from ${m.runs.map((r) => `${esc(r.label)} (run ${esc(r.doc.runId)})`).join(', ')} · ${m.machines.length} machine run(s) · ${m.rows.length} measured cells</p></header>
${glance(m)}
<section id="method"><h2>Machine and method</h2><ul>${m.machines.map((x) => `<li>${esc(x.label)}: ${esc(x.environment.cpuModel)}, ${x.environment.cpuCores} cores, ${esc(x.environment.os.platform)} ${esc(x.environment.os.arch)}, Node ${esc(x.environment.node)} (V8 ${esc(x.environment.v8)})</li>`).join('')}${m.runs.map(({ label, doc }) => `<li>${esc(label)}: ${doc.plan.forks} fresh process(es) per cell, ${doc.plan.timeMs} ms per cell (20-50% warm-up), tiers ${esc(doc.plan.tiers.join(','))}, threads ${doc.plan.threads.join(',')}, isolate ${doc.plan.isolate}${doc.plan.v8Flags.length ? `, V8 flags ${esc(doc.plan.v8Flags.join(' '))}` : ''}; libraries ${esc(Object.entries(doc.environment.libraries).map(([k, v]) => `${k} ${v}`).join(', '))}</li>`).join('')}</ul><p class="meta">Full environment, plan and method at the <a href="#environment">end of the page</a>.</p></section>
<section id="findings"><h2>Findings</h2><ul>${findingsMarkdown(m).map((l) => `<li>${inline(l.replace(/^- /, ''))}</li>`).join('')}</ul></section>
<section id="caveats" class="caveats"><h2>Caveats</h2><ul>${m.findings.caveats.map((c) => `<li>${esc(c)}</li>`).join('')}</ul></section>
${figures.join('\n')}
${pipelinesTable(m)}
<section id="cells"><h2>Cells</h2>${cellsTable(m)}</section>
<section id="environment"><h2>Environment</h2>${environment(m)}</section>
</main>
<script type="application/json" id="jitbench-specs">${scriptJson(specs)}</script>
${bundles()}
<script>
(function () {
  var specs = JSON.parse(document.getElementById('jitbench-specs').textContent);
  document.querySelectorAll('.chart[data-chart]').forEach(function (el) {
    var spec = specs[el.getAttribute('data-chart')];
    if (!spec || typeof vegaEmbed !== 'function') return;
    var holder = document.createElement('div');
    vegaEmbed(holder, spec, { mode: 'vega-lite', renderer: 'svg', actions: false }).then(function () {
      el.replaceChildren(holder);
      el.setAttribute('data-interactive', 'true');
    }).catch(function (e) { el.setAttribute('data-embed-error', String(e)); });
  });
})();
</script>
</body></html>
`;
}
