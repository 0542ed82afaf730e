/**
 * Test-only preload that makes packages look not installed, to try the tests as on a bare
 * machine: `node --import ./dist/test/hide-modules.js` with JITBENCH_TEST_HIDE_MODULES=gl,...
 * (comma-separated package names). require(), require.resolve() and import of a hidden package
 * (or of a file inside it) fail with the error Node gives for a package that is not there.
 * Nothing is removed from node_modules, which other checkouts share.
 */
import { createRequire, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

export const HIDE_ENV = 'JITBENCH_TEST_HIDE_MODULES';

const hidden = (process.env[HIDE_ENV] ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function isHidden(specifier: string): boolean {
  return hidden.some((h) => specifier === h || specifier.startsWith(`${h}/`));
}

function notFound(specifier: string): Error {
  const e = new Error(`Cannot find module '${specifier}' (hidden by ${HIDE_ENV})`) as Error & { code: string };
  e.code = 'MODULE_NOT_FOUND';
  return e;
}

/** ESM resolve hook (runs in the loader thread registered below). */
export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (isHidden(specifier)) {
    const e = notFound(specifier) as Error & { code: string };
    e.code = 'ERR_MODULE_NOT_FOUND';
    throw e;
  }
  return next(specifier, context);
}

if (isMainThread && hidden.length > 0) {
  // CommonJS: require() and require.resolve() go through Module._resolveFilename.
  const Module = createRequire(import.meta.url)('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, ...rest: unknown[]): string {
    if (isHidden(request)) throw notFound(request);
    return original.call(this, request, ...rest);
  };
  register(import.meta.url);
}
