/**
 * `npm run bench:revm-overhead`: the per-call time of each EDR path on the empty contract (code
 * 0x00) and on a loop contract (70,001 opcodes, LOOP_CODE), medians of many calls, and the revm
 * engine's own fixed overhead end to end (what reports subtract). Prints a table, or JSON with --json.
 */
import { LOOP_CODE, benchRevmPaths, measureRevmCallOverhead, revmAvailability, stopRevm } from './index.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const calls = Number(args.find((a) => a.startsWith('--calls='))?.slice(8) ?? 300);
const loopCalls = Number(args.find((a) => a.startsWith('--loop-calls='))?.slice(13) ?? 50);

const av = revmAvailability();
if (!av.ok) {
  process.stderr.write(`bench:revm-overhead: revm engine unavailable: ${av.reason}\n`);
  process.exit(1);
}
const paths = benchRevmPaths(calls, loopCalls);
const empty = measureRevmCallOverhead(calls);
const loop = measureRevmCallOverhead(loopCalls, LOOP_CODE);
const engine = {
  path: 'revm engine end to end: runMessageCall (harness build, worker bridge, EDR, decode)',
  emptyUs: empty.medianUs,
  loopUs: loop.medianUs,
  note: `EDR's own time for the test function: empty ${empty.edrMedianUs.toFixed(1)} µs, loop ${loop.edrMedianUs.toFixed(1)} µs`,
};
const rows = [...paths, engine];
if (json) process.stdout.write(`${JSON.stringify({ edr: av.version, node: process.version, calls, loopCalls, rows, overhead: empty }, null, 2)}\n`);
else {
  process.stdout.write(`EDR ${av.version}, Node ${process.version}; medians of ${calls} calls (empty) and ${loopCalls} calls (loop, 70,001 opcodes)\n`);
  for (const r of rows) process.stdout.write(`${r.emptyUs.toFixed(1).padStart(9)} µs ${r.loopUs.toFixed(1).padStart(10)} µs  ${r.path}: ${r.note}\n`);
}
await stopRevm();
