/**
 * Reading a file the user named, with a size limit: a wrong path (a disk image, a log, /dev/zero)
 * ends in one line and exit 2, not in a process that fills its memory. Pipes and devices are read
 * up to the limit (their size is not known beforehand), so `@/dev/stdin` still works.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { UsageError } from './errors.js';

export const MiB = 1024 * 1024;

/** 1536 -> '1.5 KiB', 268435456 -> '256 MiB'. */
export function fmtBytes(bytes: number): string {
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/**
 * The bytes of `path`, or a UsageError naming the file (as `what`, e.g. "results file") and the
 * limit (explained by `note`) when it holds more than `maxBytes`, or when it is a directory.
 * Other errors of the file system (ENOENT, EACCES) are thrown as they are, for the caller to word.
 */
export function readFileLimited(path: string, maxBytes: number, what: string, note?: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`${what} '${path}' is a directory, not a file`);
    const tooBig = (size: string) => new UsageError(`${what} '${path}' is ${size}: the limit is ${fmtBytes(maxBytes)}${note ? ` (${note})` : ''}`);
    if (st.isFile()) {
      if (st.size > maxBytes) throw tooBig(fmtBytes(st.size));
      return readFileSync(fd);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, maxBytes + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (total > maxBytes) throw tooBig(`more than ${fmtBytes(maxBytes)}`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
