import { execFileSync } from 'node:child_process';
import { packageVersion } from '../util/packages.js';
import os from 'node:os';

export interface Environment {
  hostname: string;
  cpuModel: string;
  cpuCores: number;
  availableParallelism: number;
  totalMemoryBytes: number;
  os: { platform: string; release: string; arch: string };
  node: string;
  v8: string;
  execArgv: string[];
  libraries: Record<string, string>;
  git: { commit: string; dirty: boolean } | null;
}

/** npm packages whose versions matter to a result (backends' libraries and the harness's). */
const LIBRARIES = [
  'binaryen', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node',
  'gpu.js', 'gl', 'tinybench', 'yargs', 'vega', 'vega-lite', '@resvg/resvg-js', 'typescript',
];

function gitState(): Environment['git'] {
  try {
    const opts = { stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], encoding: 'utf8' as const, timeout: 5000 };
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

/** The machine and software a run measured on, captured once per run. */
export function captureEnvironment(): Environment {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCores: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    os: { platform: os.platform(), release: os.release(), arch: os.arch() },
    node: process.version,
    v8: process.versions.v8,
    execArgv: process.execArgv,
    libraries: Object.fromEntries(LIBRARIES.map((l) => [l, packageVersion(l)])),
    git: gitState(),
  };
}
