/**
 * Shared by the config tests (not exported from the package; free of test-runner imports
 * so the build compiles it like any other file).
 */
import { ErrorCode, isPipelineError } from '../errors.js';
import { loadConfig } from './load-config.js';

/** AUTH_MODE=jwt (the default) wants a secret: the least a valid environment needs. */
export const TEST_JWT_SECRET = 's'.repeat(32);
export const minimalEnv = Object.freeze({ AUTH_JWT_SECRET: TEST_JWT_SECRET });

/** The problem lines loadConfig reports; throws when it does not fail with INVALID_CONFIG (not retriable). */
export function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (isPipelineError(err) && err.code === ErrorCode.INVALID_CONFIG && err.retriable === false) {
      return err.context.problems as string[];
    }
    throw err;
  }
  throw new Error('expected INVALID_CONFIG, the config loaded');
}
