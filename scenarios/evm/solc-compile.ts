/**
 * Compiles the EVM scenarios' Solidity sources with the `solc` package (soljson, pinned in
 * package.json) through Standard JSON input, and caches the artifacts by the hash of
 * (compiler version, input): solc runs once per source and settings, never on every run.
 *
 * Everything that decides the bytecode is in the input (sources, optimizer, EVM version,
 * pipeline), so anyone with the same solc version gets the same bytes; each artifact records the
 * keccak256 of its runtime bytecode to prove it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex, hexToBytes } from '../../src/evm/hex.js';
import { keccak256 } from '../../src/evm/keccak.js';
import { packageDir, packageVersion } from '../../src/util/packages.js';
import { fmtBytes, MiB, readFileLimited } from '../../src/util/read-limited.js';
import { importClosure, SolidityImportError } from './solc-imports.js';

/** legacy: the classic code generator; viaIR: the Yul-based pipeline (`viaIR: true`). */
export type SolcPipeline = 'legacy' | 'viaIR';
export const SOLC_PIPELINES: readonly SolcPipeline[] = ['legacy', 'viaIR'];

/** The settings pinned for every scenario contract (recorded with each result). */
export interface SolcSettings {
  optimizer: { enabled: boolean; runs: number };
  evmVersion: string;
  pipeline: SolcPipeline;
}

export const DEFAULT_SOLC_SETTINGS: Omit<SolcSettings, 'pipeline'> = { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun' };

export interface ContractArtifact {
  /** e.g. 'Fibonacci.sol:Fibonacci' */
  contract: string;
  solcVersion: string;
  settings: SolcSettings;
  /** Runtime bytecode (what an account holds), 0x-hex, and its keccak256. */
  runtime: string;
  runtimeKeccak: string;
  /** Creation bytecode (constructor + runtime). */
  creation: string;
  /** Function signature -> 4-byte selector (hex, no 0x), from solc's methodIdentifiers. */
  selectors: Record<string, string>;
  /** sha256 of the Standard JSON input and compiler version: the cache key. */
  inputHash: string;
  /** npm packages the source imports, name -> version (absent when it imports none). */
  packages?: Record<string, string>;
}

export class SolcError extends Error {
  override name = 'SolcError';
}

/** Folder of the scenario contracts in the source tree (this file runs from dist/). */
export const CONTRACTS_DIR = fileURLToPath(new URL('../../../scenarios/evm/contracts/', import.meta.url));

/** Full path of a built-in contract file (a name in CONTRACTS_DIR). */
export function builtInContract(file: string): string {
  return join(CONTRACTS_DIR, file);
}

/**
 * Largest Solidity source compiled: 4 MiB, several times the largest flattened contracts
 * published (a few hundred KB); soljson holds the source, its AST and the output in memory.
 */
export const MAX_SOLIDITY_BYTES = 4 * MiB;

/** Where compiled artifacts (and other derived build products, e.g. the corpus pre-states) are cached. */
export function cacheDir(): string {
  return process.env['JITBENCH_SOLC_CACHE'] ?? join(packageDir('solc'), '..', '.cache', 'jitbench-solc');
}

function standardInput(root: string, sources: Record<string, { content: string }>, s: SolcSettings): object {
  return {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: s.optimizer,
      evmVersion: s.evmVersion,
      viaIR: s.pipeline === 'viaIR',
      // bytecode of the root file's contracts only (not of every imported library and interface)
      outputSelection: { [root]: { '*': ['evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] } },
    },
  };
}

function cacheKey(contractName: string, inputJson: string): string {
  return createHash('sha256').update(`${solcVersion()}\n${contractName}\n${inputJson}`).digest('hex');
}

function writeCached(file: string, artifact: ContractArtifact): void {
  mkdirSync(cacheDir(), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(artifact, null, 1));
  renameSync(tmp, file);
}

interface SolcOutput {
  errors?: Array<{ severity: string; formattedMessage: string; message: string }>;
  contracts?: Record<string, Record<string, { evm: { bytecode: { object: string }; deployedBytecode: { object: string }; methodIdentifiers: Record<string, string> } }>>;
}

let solc: { compile(input: string): string; version(): string } | undefined;

function loadSolc(): NonNullable<typeof solc> {
  // soljson is ~9 MB of JavaScript: load it only on a cache miss
  solc ??= createRequire(import.meta.url)('solc') as NonNullable<typeof solc>;
  return solc;
}

/** solc's long version string (e.g. 0.8.37+commit.f401782d), from its package without loading soljson. */
export function solcVersion(): string {
  return packageVersion('solc');
}

/**
 * The artifact of `contractName` in the Solidity file at `path` (built-in contracts: see
 * builtInContract), compiled with `settings` or taken from the cache. A path that is not a file
 * is an error, never a look in another folder; a file over MAX_SOLIDITY_BYTES is refused.
 */
export function compileContract(path: string, contractName: string, settings: SolcSettings): ContractArtifact {
  if (!existsSync(path)) throw new SolcError(`Solidity file not found: ${path}`);
  const read = (file: string) => readFileLimited(file, MAX_SOLIDITY_BYTES, 'Solidity file', `${fmtBytes(MAX_SOLIDITY_BYTES)} of source`).toString('utf8');
  let closure;
  try {
    closure = importClosure(path, read);
  } catch (e) {
    throw e instanceof SolidityImportError ? new SolcError(e.message) : e;
  }
  const root = closure.root;
  const inputJson = JSON.stringify(standardInput(root, closure.sources, settings));
  const inputHash = cacheKey(contractName, inputJson);
  const cached = join(cacheDir(), `${inputHash}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as ContractArtifact;

  const compiler = loadSolc();
  const out = JSON.parse(compiler.compile(inputJson)) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  // each error with its place (`--> My.sol:12:5` in the formatted message), on one line
  const where = (e: { formattedMessage: string }) => /-->\s*(\S+:\d+:\d+)/.exec(e.formattedMessage)?.[1];
  if (errors.length > 0) throw new SolcError(`solc: ${root}: ${errors.map((e) => `${e.message}${where(e) ? ` (${where(e)})` : ''}`).join('; ')}`);
  const units = out.contracts?.[root] ?? {};
  if (!units[contractName]) {
    throw new SolcError(`contract '${contractName}' not found in ${root}: it defines ${Object.keys(units).join(', ') || 'no contracts'}`);
  }
  const hasPackages = Object.keys(closure.packages).length > 0;
  let wanted: ContractArtifact | undefined;
  // one solc run compiles every contract of the file: cache them all (each under its own key)
  for (const [name, unit] of Object.entries(units)) {
    const runtime = `0x${unit.evm.deployedBytecode.object}`;
    const artifact: ContractArtifact = {
      contract: `${root}:${name}`,
      solcVersion: compiler.version(),
      settings,
      runtime,
      runtimeKeccak: bytesToHex(keccak256(hexToBytes(runtime))),
      creation: `0x${unit.evm.bytecode.object}`,
      selectors: unit.evm.methodIdentifiers,
      inputHash: cacheKey(name, inputJson),
      ...(hasPackages ? { packages: closure.packages } : {}),
    };
    writeCached(join(cacheDir(), `${artifact.inputHash}.json`), artifact);
    if (name === contractName) wanted = artifact;
  }
  return wanted!;
}
