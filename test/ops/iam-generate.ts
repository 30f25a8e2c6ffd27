/**
 * `npm run iam:generate`: writes terraform/service-permissions.json and docs/iam.md from the
 * table in packages/shared/src/aws-permissions.ts. test/ops/aws-permissions.test.ts fails
 * when either file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { iamMarkdown, terraformPermissions } from '@artifact-pipeline/shared/aws-permissions';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const permissionsJsonPath = path.join(repoRoot, 'terraform', 'service-permissions.json');
export const iamDocPath = path.join(repoRoot, 'docs', 'iam.md');

export function permissionsJson(): string {
  return `${JSON.stringify(terraformPermissions(), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(permissionsJsonPath, permissionsJson());
  writeFileSync(iamDocPath, iamMarkdown());
  process.stdout.write(`wrote ${path.relative(repoRoot, permissionsJsonPath)} and ${path.relative(repoRoot, iamDocPath)}\n`);
}
