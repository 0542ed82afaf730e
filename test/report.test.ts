import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { ROOT, runCli } from './helpers.js';
import { loadResults } from '../src/results/load.js';
import { writeReport } from '../src/report/write-report.js';
import { paretoFrontier, tradeoffPoint } from '../src/report/findings.js';
import type { CellRow } from '../src/report/data.js';
import { reportMarkdown } from '../src/report/markdown.js';
import { buildModel } from '../src/report/model.js';
import { resultsCsv } from '../src/results/write.js';
import './builtins.js';

const FIXTURE = `${ROOT}test/fixtures/results-small.json`;
const CHARTS = ['time-vs-n', 'error-vs-n', 'time-vs-accuracy', 'speedup-over-ts', 'compile-first-steady', 'warmup-curves'];

/** Well-formedness of an SVG document: one root, every element closed in order. */
function assertWellFormedSvg(svg: string, name: string): void {
  assert.match(svg, /^<svg[\s>]/, `${name}: starts with <svg`);
  const stack: string[] = [];
  const body = svg.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, close, tag, , selfClose] = m;
    if (selfClose) continue;
    if (close) assert.equal(stack.pop(), tag, `${name}: </${tag}> closes the element that is open`);
    else stack.push(tag!);
  }
  assert.deepEqual(stack, [], `${name}: every element is closed`);
  assert.equal(body.replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, '').includes('<'), false, `${name}: no stray '<'`);
}

/** Decodes a PNG far enough to prove it is one: signature, IHDR, and IDAT inflating to height rows of pixels. */
function decodePng(buf: Buffer): { width: number; height: number } {
  assert.deepEqual([...buf.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  let off = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth 8');
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[data[9]!]!;
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, height * (1 + width * channels), 'pixel data size matches the header');
  return { width, height };
}

test('report: every chart as SVG, PNG and Vega-Lite spec, from a fixed results fixture', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-report-'));
  const r = await writeReport([{ label: 'fixture', doc: loadResults(FIXTURE) }], dir);
  assert.deepEqual(r.charts, CHARTS);
  for (const id of CHARTS) {
    const svg = readFileSync(join(dir, 'charts', `${id}.svg`), 'utf8');
    assertWellFormedSvg(svg, id);
    assert.ok((svg.match(/<path/g) ?? []).length > 3, `${id}: has drawn marks`);
    const png = decodePng(readFileSync(join(dir, 'charts', `${id}.png`)));
    assert.ok(png.width > 300 && png.height > 200, `${id}: PNG ${png.width}x${png.height}`);
    const spec = JSON.parse(readFileSync(join(dir, 'charts', `${id}.vl.json`), 'utf8'));
    assert.match(spec.$schema, /vega-lite/);
  }
});

test('report: index.html is self-contained and shows findings, flagged cells and caveats', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-report-'));
  await writeReport([{ label: 'fixture', doc: loadResults(FIXTURE) }], dir);
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  // (assert.ok on .test: a failing match must not print a megabyte of HTML)
  const has = (re: RegExp, what: string) => assert.ok(re.test(html), what);
  const lacks = (re: RegExp, what: string) => assert.ok(!re.test(html), what);
  lacks(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i, 'no remote src/href');
  lacks(/url\(\s*["']?(?:https?:)?\/\//i, 'no remote CSS url()');
  lacks(/@import/i, 'no CSS @import');
  has(/<meta name="viewport"/, 'viewport meta for phones');
  for (const id of CHARTS) has(new RegExp(`data-chart="${id}"><svg`), `${id} inline`);
  has(/typeof vegaEmbed/, 'interactive charts');
  for (const status of ['SUSPECT', 'WRONG', 'ERROR', 'SKIPPED']) has(new RegExp(`<strong>${status}</strong>`), `${status} cell shown`);
  has(/id="caveats"/, 'caveats block');
  has(/fixture-host/, 'environment shown');
  const md = readFileSync(join(dir, 'summary.md'), 'utf8');
  assert.match(md, /^# jitbench report/);
  assert.match(md, /fastest is \*\*/);
  assert.match(md, /Best time\/accuracy trade-off/);
  assert.match(md, /\*\*WRONG\*\* pi\/wasm\/default\/t2\/n10000: hits 7851 != expected 7850/);
  assert.match(md, /\| scenario \| backend \| n \| status \|/);
});

test('Pareto frontier and trade-off point', () => {
  const row = (series: string, p50Ms: number, absError: number): CellRow => ({
    key: series, scenario: 'pi', family: 'pi', series, backend: series, tier: 'default', threads: 1, n: 1, status: 'ok', p50Ms, ciLoMs: p50Ms, ciHiMs: p50Ms,
    nsPerSample: 1, compileMs: 1, firstCallMs: 1, absError, warmupClass: 'flat', forks: 1, source: 'x',
  });
  const rows = [row('a', 1, 1e-1), row('b', 10, 1e-2), row('c', 100, 1e-3), row('d', 20, 2e-2), row('e', 1000, 9e-4)];
  assert.deepEqual(paretoFrontier(rows).map((r) => r.series), ['a', 'b', 'c', 'e']);
  assert.equal(tradeoffPoint(paretoFrontier(rows))!.series, 'b');
});

test('jitbench report: CLI writes the report and prints its path; a bad file is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-report-cli-'));
  const r = await runCli(['report', FIXTURE, '--out', join(dir, 'rep')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /report: .*rep\/index\.html/);
  assert.ok(existsSync(join(dir, 'rep', 'summary.md')));
  const bad = await runCli(['report', join(dir, 'nope.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cannot read results file '.*nope\.json': no such file/);
});

/** Pipes that split a Markdown table row (not escaped with a backslash). */
const cellSeparators = (line: string) => line.match(/(?<!\\)\|/g)?.length ?? 0;

test('summary.md: ids, labels and reasons from a results file are literal Markdown; table rows keep their columns', () => {
  const doc = loadResults(FIXTURE);
  const evilId = 'evm:./a|b_c.sol:X.f(`n`)';
  const reason = 'reverted: *boom* [link](http://e.example) <img src=x onerror=alert(1)> | cell\n# heading\n- item';
  const suspect = doc.cells.find((c) => c.status === 'suspect')!;
  suspect.scenario = evilId;
  suspect.key = `${evilId}/ts/default/t2/n1000`;
  suspect.reason = reason;
  const md = reportMarkdown(buildModel([{ label: 'run_*1*', doc }]));
  const lines = md.split('\n');
  assert.ok(!md.includes(reason) && !md.includes(evilId), 'nothing inserted raw');
  assert.ok(!lines.some((l) => l === '# heading' || l.startsWith('- item')), 'a line break in a reason starts no block');
  assert.ok(lines.includes(
    '- **SUSPECT** evm:./a\\|b\\_c.sol:X.f(\\`n\\`)/ts/default/t2/n1000: reverted: \\*boom\\* \\[link\\](http://e.example) \\<img src=x onerror=alert(1)> \\| cell # heading - item',
  ), 'the flagged cell, escaped');
  assert.match(md, /from run\\_\\\*1\\\* \(run /, 'the run label escaped');
  // every row of a table has as many cell separators as its header (the header |z| included)
  let header: number | undefined;
  for (const line of lines) {
    if (!line.startsWith('|')) { header = undefined; continue; }
    header ??= cellSeparators(line);
    assert.equal(cellSeparators(line), header, `columns of: ${line}`);
  }
  assert.ok(lines.some((l) => l.startsWith('| evm:./a\\|b\\_c.sol:X.f(\\`n\\`) | ts (2 threads) | 1e3 | suspect |')), 'the cell row, escaped');
});

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, commas and line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

test('CSV: text cells that a spreadsheet would run as a formula are neutralised; numbers stay numbers', () => {
  const doc = loadResults(FIXTURE);
  const [a, b, c] = doc.cells.filter((x) => x.summary);
  a!.reason = '=HYPERLINK("http://e.example","click")';
  a!.scenario = '+cmd|/c calc';
  b!.backend = '@SUM(1,2)';
  b!.tier = '-2+3';
  c!.reason = '\t=1+1';
  const rows = parseCsv(resultsCsv(doc));
  const col = (name: string) => rows[0]!.indexOf(name);
  assert.equal(rows[1]![col('reason')], `'=HYPERLINK("http://e.example","click")`);
  assert.equal(rows[1]![col('scenario')], "'+cmd|/c calc");
  assert.equal(rows[2]![col('backend')], "'@SUM(1,2)");
  assert.equal(rows[2]![col('tier')], "'-2+3");
  assert.equal(rows[3]![col('reason')], "'\t=1+1");
  for (const r of rows.slice(1)) {
    for (const [i, v] of r.entries()) {
      if (/^[=+\-@\t\r]/.test(v)) assert.ok(Number.isFinite(Number(v)), `column ${rows[0]![i]}: '${v}' starts like a formula and is not a number`);
    }
  }
  const z = doc.cells.map((x) => (x.accuracy && 'z' in x.accuracy ? x.accuracy.z : undefined));
  const negative = z.findIndex((v) => v !== undefined && v < 0);
  assert.ok(negative >= 0, 'the fixture has a negative z');
  assert.equal(rows[negative + 1]![col('z')], String(z[negative]), 'a negative number is written as a number');
});

const CHROMIUM = '/usr/bin/chromium';

test('report opens in a real browser: charts render, no console errors', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is not installed (Debian package chromium; .ci/run installs it as root)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-report-browser-'));
  await writeReport([{ label: 'fixture', doc: loadResults(FIXTURE) }], dir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (req) => { if (!req.url().startsWith('file:')) requests.push(req.url()); });
    await page.goto(`file://${join(dir, 'index.html')}`);
    await page.waitForFunction(`document.querySelectorAll('.chart[data-interactive="true"]').length === ${CHARTS.length}`, undefined, { timeout: 30_000 });
    for (const id of CHARTS) {
      const marks = await page.locator(`.chart[data-chart="${id}"] svg path`).count();
      assert.ok(marks > 3, `${id}: ${marks} marks rendered by vega-embed`);
    }
    assert.deepEqual(errors, [], 'console errors');
    assert.deepEqual(requests, [], 'no network requests');
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    assert.ok(overflow <= 1, `the page fits a phone's width (overflow ${overflow}px)`);
  } finally {
    await browser.close();
  }
});
