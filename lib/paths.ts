import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root. Everything the infrastructure code points at on disk
 * (handler entries, the lock file) is resolved from here, so synthesis works
 * whatever the current directory is (the CDK CLI, vitest, an IDE).
 */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** An absolute path for a path given relative to the repository root. */
export function repoPath(relativePath: string): string {
  return path.join(REPO_ROOT, relativePath);
}

/** A path from the configuration: absolute as given, otherwise relative to the repository root. */
export function resolveRepoPath(givenPath: string): string {
  return path.isAbsolute(givenPath) ? givenPath : repoPath(givenPath);
}
