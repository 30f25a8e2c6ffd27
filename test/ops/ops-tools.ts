/**
 * What the offline operations checks share: running the installed tools (helm, the
 * Python validators, checkov, hadolint, an HCL formatter) and reading what they print.
 * Installs come from test/harness/install-tools.mjs; this file only runs them.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { checkovBin, ensureOpsTools, hadolintBin, helmBin, toolsPython } from '../harness/install-tools.mjs';
import { withDeadline } from '../harness/support.js';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const chartDir = path.join(repoRoot, 'charts', 'artifact-pipeline');
export const terraformDir = path.join(repoRoot, 'terraform');
/** The Kubernetes version rendered and validated against (EKS standard support). */
export const kubeVersion = '1.33.0';

/** A first run compiles helm (minutes on 2 cores); later runs find it installed. */
export function toolsReady(): Promise<void> {
  return withDeadline(ensureOpsTools(), 15 * 60_000, 'installing the operations tools');
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { input?: string; cwd?: string } = {}): Run {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `--set` style overrides as helm arguments; string values go through --set-string. */
function setArgs(values: Record<string, string | number | boolean>): string[] {
  return Object.entries(values).flatMap(([key, value]) =>
    typeof value === 'string' ? ['--set-string', `${key}=${value}`] : ['--set', `${key}=${String(value)}`],
  );
}

export function helmLint(values: Record<string, string | number | boolean> = {}): Run {
  return run(helmBin, ['lint', '--strict', '--kube-version', kubeVersion, chartDir, ...setArgs(values)]);
}

export type ChartValues = Record<string, string | number | boolean | string[]>;

/** `helm template` as it ran; `upgrade` renders as `helm upgrade` would (--is-upgrade). */
export function helmRender(values: ChartValues = {}, { release = 'ap', upgrade = false }: { release?: string; upgrade?: boolean } = {}): Run {
  const lists = Object.entries(values).filter((e): e is [string, string[]] => Array.isArray(e[1]));
  const scalars = Object.fromEntries(Object.entries(values).filter((e) => !Array.isArray(e[1]))) as Record<
    string,
    string | number | boolean
  >;
  const listArgs = lists.flatMap(([key, items]) => items.flatMap((item, i) => ['--set-string', `${key}[${i}]=${item}`]));
  return run(helmBin, ['template', release, chartDir, '--kube-version', kubeVersion, ...(upgrade ? ['--is-upgrade'] : []), ...setArgs(scalars), ...listArgs]);
}

/** Renders the chart; throws with helm's message when it refuses. */
export function helmTemplate(values: ChartValues = {}, options: { release?: string; upgrade?: boolean } = {}): string {
  const out = helmRender(values, options);
  if (out.status !== 0) throw new Error(`helm template failed: ${out.stderr.trim()}`);
  return out.stdout;
}

/**
 * IRSA roles for the three KEDA-scaled consumers: with bus=sqs the chart refuses to render
 * without them (KEDA's pod identity would have no role to assume).
 */
export const kedaRoles: Record<string, string> = Object.fromEntries(
  ['zipper', 'reporter', 'status'].map((s) => [`${s}.serviceAccount.roleArn`, `arn:aws:iam::123456789012:role/ap-${s}`]),
);

/** A Kubernetes object as far as these checks read it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [field: string]: unknown;
}

/** Parses a YAML stream with the tools venv's PyYAML (the same parser the validator uses). */
export function parseYamlStream(yaml: string): K8sObject[] {
  const script = 'import json,sys,yaml; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d], sys.stdout)';
  const out = run(toolsPython, ['-c', script], { input: yaml });
  if (out.status !== 0) throw new Error(`not YAML: ${out.stderr.trim()}`);
  return JSON.parse(out.stdout) as K8sObject[];
}

export function toYamlStream(objects: readonly unknown[]): string {
  return objects.map((o) => `---\n${JSON.stringify(o)}\n`).join('');
}

export interface Validation {
  objects: number;
  problems: { object: string; problem: string }[];
}

/** Kubernetes schemas for core kinds, test/ops/schemas for KEDA and Prometheus Operator. */
export function validateManifests(yaml: string): Validation {
  const out = run(toolsPython, [path.join(repoRoot, 'test', 'ops', 'validate-manifests.py'), kubeVersion], { input: yaml });
  if (out.status !== 0) throw new Error(`validator crashed: ${out.stderr.trim()}`);
  return JSON.parse(out.stdout) as Validation;
}

export interface CheckovResult {
  failed: { check_id: string; resource: string; file_path: string }[];
  passedCount: number;
}

/** checkov on a folder (framework terraform) or one Dockerfile; offline, no guideline download. */
export function checkov(args: string[]): CheckovResult {
  // --quiet leaves passed checks out of the report; their count stays in `summary`.
  const out = run(checkovBin, [...args, '--output', 'json', '--quiet', '--compact', '--skip-download']);
  if (out.status !== 0 && out.status !== 1) throw new Error(`checkov crashed (${out.status}): ${out.stderr.slice(-2000)}`);
  const parsed = JSON.parse(out.stdout || '{}') as unknown;
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as {
    results?: { failed_checks?: CheckovResult['failed'] };
    summary?: { passed?: number };
  }[];
  return {
    failed: reports.flatMap((r) => r.results?.failed_checks ?? []),
    passedCount: reports.reduce((n, r) => n + (r.summary?.passed ?? 0), 0),
  };
}

export function hadolint(dockerfile: string): Run {
  return run(hadolintBin, ['--no-color', '--format', 'tty', dockerfile]);
}
