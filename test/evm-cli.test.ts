import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers.js';
import { vmTestsSuite } from './evm-helpers.js';
import './builtins.js';

const { dir: VMTESTS, skip: noVmTests } = vmTestsSuite(214 + 33, 'evm-interp through jitbench evm test');

test('jitbench evm run: exact return data and gas, JSON', async () => {
  // 2 * 3 stored at memory 0 and returned: PUSH1 2, PUSH1 3, MUL, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
  const r = await runCli(['evm', 'run', '--code', '0x600260030260005260206000f3', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status, 'success');
  assert.equal(out.returnData, `0x${'0'.repeat(63)}6`);
  assert.equal(out.gasUsed, 26);
  assert.equal(out.fork, 'prague');
  const bad = await runCli(['evm', 'run', '--code', '0x56', '--json']); // JUMP with an empty stack
  assert.equal(JSON.parse(bad.stdout).status, 'halt');
});

test('jitbench evm test: counts on the last line, exit 1 on a failure', async (t) => {
  if (noVmTests) {
    t.skip(noVmTests);
    return;
  }
  const ok = await runCli(['evm', 'test', `${VMTESTS}/vmArithmeticTest`, `${VMTESTS}/vmSha3Test`, '--fork', 'homestead']);
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(ok.stdout.trim().split('\n').pop(), '214 passed, 0 failed');
  // Berlin gas (EIP-2929) differs from the Homestead gas the suite was filled with: failures, exit 1.
  const berlin = await runCli(['evm', 'test', `${VMTESTS}/vmEnvironmentalInfo`, '--fork', 'berlin']);
  assert.equal(berlin.code, 1);
  assert.match(berlin.stdout.trim().split('\n').pop()!, /^\d+ passed, [1-9]\d* failed$/);
});

for (const [args, msg] of [
  [['evm', 'run', '--code', '0xzz'], /invalid --code: '0xzz' is not hex/],
  [['evm', 'run', '--code', '0x600'], /odd-length hex/],
  [['evm', 'run', '--code', '00', '--fork', 'lisbon'], /unknown fork 'lisbon': accepted forks are frontier, homestead/],
  [['evm', 'run', '--code', '00', '--engine', 'geth'], /unknown engine 'geth': accepted engines are evm-interp/],
  [['evm', 'run', '--code', '00', '--gas', '1.5'], /invalid --gas '1.5'/],
  [['evm', 'run', '--code', '@/no/such.hex'], /--code file '\/no\/such.hex' does not exist/],
  [['evm', 'test', '/no/such/dir'], /test path '\/no\/such\/dir' does not exist/],
] as Array<[string[], RegExp]>) {
  test(`evm usage error: ${args.join(' ')}`, async () => {
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, msg);
  });
}

// ---- input that is too large or not a file: one line, exit 2, the limit named ----

const TMP = mkdtempSync(join(tmpdir(), 'jitbench-limits-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
/** A sparse file of `bytes` zero bytes (no disk space used). */
function sparse(name: string, bytes: number): string {
  const p = join(TMP, name);
  writeFileSync(p, '');
  truncateSync(p, bytes);
  return p;
}
const MiB = 1024 * 1024;
const BIG_HEX = sparse('big.hex', 3 * MiB);
const OVER_HEX = join(TMP, 'over.hex');
writeFileSync(OVER_HEX, `0x${'00'.repeat(MiB + 1)}\n`);
const BIG_SOL = sparse('Big.sol', 5 * MiB);
const DIR_SOL = join(TMP, 'Dir.sol');
mkdirSync(DIR_SOL);

for (const [args, msg] of [
  [['evm', 'run', '--code', `@${BIG_HEX}`], /^--code file '.*big\.hex' is 3 MiB: the limit is 2 MiB \(hex of at most 1 MiB\)$/],
  [['evm', 'run', '--code', '00', '--calldata', `@${BIG_HEX}`], /^--calldata file '.*big\.hex' is 3 MiB: the limit is 2 MiB/],
  [['evm', 'run', '--code', '@/dev/zero'], /^--code file '\/dev\/zero' is more than 2 MiB: the limit is 2 MiB/],
  [['evm', 'run', '--code', `@${OVER_HEX}`], /^--code has 1048577 bytes: the limit is 1 MiB \(1048576 bytes\)$/],
  [['run', '--code', `@${OVER_HEX}`], /^--code has 1048577 bytes: the limit is 1 MiB/],
  [['run', '--scenario', `evm:${BIG_SOL}:Big.f()`], /^Solidity file '.*Big\.sol' is 5 MiB: the limit is 4 MiB \(4 MiB of source\)$/],
  [['run', '--scenario', `evm:${DIR_SOL}:Dir.f()`], /^Solidity file '.*Dir\.sol' is a directory, not a file$/],
  [['run', '--scenario', 'evm:Fibonacci.sol:Fibonacci.fib(n)'], /^Solidity file not found: Fibonacci\.sol \(scenario evm:Fibonacci\.sol:Fibonacci\.fib\(n\)\)/],
] as Array<[string[], RegExp]>) {
  test(`input limits: jitbench ${args.join(' ').replace(TMP, 'TMP')} is a usage error (one line)`, async () => {
    // cwd TMP: a bare Fibonacci.sol is looked for there only, never in the built-in contracts folder
    const r = await runCli(args, { cwd: TMP });
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!.replace(/^jitbench: /, '').replace(/ \(see --help\)$/, ''), msg);
  });
}

test('input limits: --code of exactly 1 MiB runs', async () => {
  const file = join(TMP, 'max.hex');
  writeFileSync(file, '00'.repeat(MiB));
  const r = await runCli(['evm', 'run', '--code', `@${file}`, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).status, 'success');
});

test('jitbench evm run: the code is the called account\'s code, so its storage writes keep their values', async () => {
  // PUSH1 1 PUSH1 5 SSTORE STOP: before, the code ran at an empty account and the write showed 0x0
  const r = await runCli(['evm', 'run', '--code', '0x600160055500', '--engine', 'evm-interp', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { status: string; storageWrites: Array<{ key: string; value: string }> };
  assert.equal(out.status, 'success');
  assert.deepEqual(out.storageWrites.map((w) => [w.key, w.value]), [['0x5', '0x1']]);
});
