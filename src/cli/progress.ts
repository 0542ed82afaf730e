import type { PlannedCell } from '../plan/plan.js';

function clock(ms: number): string {
  if (!Number.isFinite(ms)) return '--';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** What the progress line says a cell is: scenario, backend, size, threads, tier and fork. */
export function cellLabel(c: PlannedCell, fork: number, forks: number): string {
  return `${c.scenario} ${c.backend} n=${c.n.toExponential(0).replace('+', '')} t=${c.threads} ${c.tier}${forks > 1 ? ` fork ${fork + 1}/${forks}` : ''}`;
}

/** Progress on stderr: a bar redrawn in place on a terminal, one line per step otherwise. */
export class Progress {
  private readonly t0 = performance.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly enabled: boolean, private readonly forks: number) {}

  start(done: number, total: number, cell: PlannedCell, fork: number): void {
    if (!this.enabled) return;
    const elapsed = performance.now() - this.t0;
    const eta = done > 0 ? (elapsed / done) * (total - done) : NaN;
    const width = 24;
    const filled = Math.round((done / Math.max(1, total)) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}  ${cellLabel(cell, fork, this.forks)}  ETA ${clock(eta)}`;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  }

  end(total: number): void {
    if (!this.enabled) return;
    const line = `done: ${total} runs in ${clock(performance.now() - this.t0)}`;
    process.stderr.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }
}
