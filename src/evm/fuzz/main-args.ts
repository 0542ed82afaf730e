/** Arguments of the fuzzer's entry (main.ts), parsed from plain process.argv. */
import { FORKS, parseFork, type Fork } from '../fork.js';
import { FUZZ_FORKS } from './generator.js';
import { defaultRegressionDir } from './index.js';

export const USAGE = 'usage: npm run fuzz -- [--count N] [--seed S] [--forks a,b,...] [--engine E] [--reference R] [--out DIR | --no-save] [--no-minimize]';

/** Engines the fuzzer can test or use as the reference. */
export const FUZZ_ENGINES = ['evm-interp', 'evm-native', 'ethereumjs'] as const;
export type FuzzEngineId = (typeof FUZZ_ENGINES)[number];

export class FuzzUsageError extends Error {
  override name = 'FuzzUsageError';
}

export interface FuzzArgs {
  count: number;
  seed: number;
  forks: Fork[];
  /** Where divergences are written (undefined: not written). */
  saveDir: string | undefined;
  minimize: boolean;
  help: boolean;
  /** The engine under test and the reference it is compared with. */
  engine: FuzzEngineId;
  reference: FuzzEngineId;
}

export function parseArgs(argv: readonly string[]): FuzzArgs {
  const fail = (msg: string): never => {
    throw new FuzzUsageError(msg);
  };
  const a: FuzzArgs = { count: 1000, seed: (Date.now() ^ (process.pid << 8)) >>> 0, forks: [...FUZZ_FORKS], saveDir: defaultRegressionDir(), minimize: true, help: false, engine: 'evm-interp', reference: 'ethereumjs' };
  const engineId = (flag: string, v: string): FuzzEngineId =>
    (FUZZ_ENGINES as readonly string[]).includes(v) ? (v as FuzzEngineId) : fail(`unknown ${flag} '${v}': accepted engines are ${FUZZ_ENGINES.join(', ')}`);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    switch (flag) {
      case '--count': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) fail(`invalid --count '${v}': expected a positive integer`);
        a.count = Number(v);
        break;
      }
      case '--seed': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) fail(`invalid --seed '${v}': expected an integer in 0..4294967295`);
        a.seed = Number(v);
        break;
      }
      case '--forks':
        a.forks = value()
          .split(',')
          .map((f) => parseFork(f) ?? fail(`unknown fork '${f}': accepted forks are ${FORKS.join(', ')}`));
        break;
      case '--engine':
        a.engine = engineId(flag, value());
        break;
      case '--reference':
        a.reference = engineId(flag, value());
        break;
      case '--out':
        a.saveDir = value();
        break;
      case '--no-save':
        a.saveDir = undefined;
        break;
      case '--no-minimize':
        a.minimize = false;
        break;
      case '--help':
      case '-h':
        a.help = true;
        break;
      default:
        fail(`unknown argument '${arg}'`);
    }
  }
  if (a.engine === a.reference) fail(`--engine and --reference are both '${a.engine}': compare two different engines`);
  return a;
}
