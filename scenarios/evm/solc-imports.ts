/**
 * The sources solc needs for a Solidity file: the file and, transitively, every file it imports,
 * found next to it or in an installed npm package (`@openzeppelin/contracts/...`, `solady/src/...`).
 * They all go into the Standard JSON input as content, so the input (and its hash, the cache key)
 * holds every byte that decides the bytecode, and no import callback is needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, posix } from 'node:path';

const require = createRequire(import.meta.url);

/** `import "x";`, `import {A} from "x";`, `import * as X from "x";`, `import "x" as X;` at the start of a line. */
const IMPORT_RE = /^\s*import\s+(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/gm;

export interface SourceClosure {
  /** Source unit name -> content: the root file under its base name, imports under their import paths. */
  sources: Record<string, { content: string }>;
  /** The root file's source unit name. */
  root: string;
  /** npm packages the imports came from, name -> installed version. */
  packages: Record<string, string>;
}

export class SolidityImportError extends Error {
  override name = 'SolidityImportError';
}

/** `@scope/name/rest` -> `@scope/name`; `name/rest` -> `name`. */
function packageOf(unit: string): string {
  const parts = unit.split('/');
  return unit.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const packageDirs = new Map<string, string | undefined>();

/** The installed folder of an npm package, looked up like Node resolves it (no entry point needed). */
export function solidityPackageDir(name: string): string | undefined {
  if (packageDirs.has(name)) return packageDirs.get(name);
  const found = (require.resolve.paths(name) ?? []).map((d) => join(d, name)).find((d) => existsSync(join(d, 'package.json')));
  packageDirs.set(name, found);
  return found;
}

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The installed version of an npm package, or 'not installed'. */
export function installedPackageVersion(name: string): string {
  const dir = solidityPackageDir(name);
  return dir ? packageVersion(dir) : 'not installed';
}

/** The sources of `path` and everything it imports. */
export function importClosure(path: string, read: (file: string) => string = (file) => readFileSync(file, 'utf8')): SourceClosure {
  const baseDir = dirname(path);
  const root = basename(path);
  const sources: SourceClosure['sources'] = {};
  const packages: SourceClosure['packages'] = {};
  const locate = (unit: string, from: string): string => {
    const local = join(baseDir, unit);
    if (existsSync(local)) return local;
    const pkg = packageOf(unit);
    const dir = solidityPackageDir(pkg);
    if (!dir) throw new SolidityImportError(`${from} imports "${unit}": no such file next to ${root} and package ${pkg} is not installed`);
    const file = join(dir, unit.slice(pkg.length + 1));
    if (!existsSync(file)) throw new SolidityImportError(`${from} imports "${unit}": ${pkg} ${packageVersion(dir)} has no such file`);
    packages[pkg] = packageVersion(dir);
    return file;
  };
  const pending: Array<{ unit: string; file: string }> = [{ unit: root, file: path }];
  while (pending.length > 0) {
    const { unit, file } = pending.pop()!;
    if (sources[unit]) continue;
    const content = read(file);
    sources[unit] = { content };
    for (const m of content.matchAll(IMPORT_RE)) {
      const spec = m[1]!;
      const target = spec.startsWith('./') || spec.startsWith('../') ? posix.normalize(posix.join(posix.dirname(unit), spec)) : spec;
      if (!sources[target]) pending.push({ unit: target, file: locate(target, unit) });
    }
  }
  return { sources, root, packages };
}
