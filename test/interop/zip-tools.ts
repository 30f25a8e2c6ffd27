/**
 * Runs the ZIP readers other people use against an archive on disk. A missing tool is an
 * error naming the Debian package to install: these tests fail, they never skip.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The Debian package that provides each command (the harness installs them in CI). */
export const TOOL_PACKAGES: Record<string, string> = {
  python3: 'python3',
  unzip: 'unzip',
  '7z': 'p7zip-full',
  bsdtar: 'libarchive-tools',
  java: 'openjdk-17-jdk-headless',
};

export interface ToolResult {
  code: number | null;
  /** The output as text, unless `onStdout` took it. */
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Feed this file to stdin through a pipe (so the tool cannot seek). */
  stdinFile?: string;
  /** Takes stdout chunk by chunk instead of keeping it (large outputs). */
  onStdout?: (chunk: Buffer) => void;
  /** Kill the tool and fail after this many ms. */
  timeoutMs: number;
}

function missing(command: string): Error {
  const pkg = TOOL_PACKAGES[command] ?? command;
  return new Error(`'${command}' is not installed: install the Debian package '${pkg}' (apt-get install -y ${pkg}) to run the ZIP reader tests`);
}

/** Runs `command args`, with a UTF-8 locale so every tool decodes the UTF-8 names. */
export function runTool(command: string, args: string[], options: RunOptions): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      stdio: [options.stdinFile ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const { stdout, stderr } = child;
    if (!stdout || !stderr) throw new Error('spawn gave no stdout/stderr pipes');
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => (options.onStdout ? options.onStdout(chunk) : out.push(chunk)));
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`deadline: ${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? missing(command) : e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (options.stdinFile && child.stdin) {
      const input = createReadStream(options.stdinFile);
      // a reader that stops early closes its stdin; that shows in its exit code, not here
      child.stdin.on('error', () => undefined);
      input.on('error', (e) => child.stdin?.destroy(e));
      input.pipe(child.stdin);
    }
  });
}

export interface ReadEntry {
  name: string;
  directory: boolean;
  size: number;
  sha256: string;
}

/** Python's zipfile, streaming each entry (read-zip.py). */
export async function readWithPython(file: string, timeoutMs: number): Promise<ReadEntry[]> {
  const r = await runTool('python3', [path.join(HERE, 'read-zip.py'), file], { timeoutMs });
  if (r.code !== 0) throw new Error(`python zipfile failed (${r.code}): ${r.stderr.slice(-2000)}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const e = JSON.parse(line) as ReadEntry & { declaredSize: number; utf8: boolean };
      if (e.declaredSize !== e.size) throw new Error(`python: ${e.name} declares ${e.declaredSize} bytes, gave ${e.size}`);
      if (!e.utf8) throw new Error(`python: ${e.name} has no UTF-8 flag`);
      return { name: e.name, directory: e.directory, size: e.size, sha256: e.sha256 };
    });
}

/** Java's java.util.zip.ZipFile (ZipEntryHashes.java, single-file source launch). */
export async function readWithJava(file: string, timeoutMs: number): Promise<ReadEntry[]> {
  const r = await runTool('java', ['-Xmx256m', path.join(HERE, 'ZipEntryHashes.java'), file], { timeoutMs });
  if (r.code !== 0) {
    const hint = /jdk\.compiler|source-file mode/i.test(r.stderr) ? ` (a JDK is needed: apt-get install -y ${TOOL_PACKAGES.java})` : '';
    throw new Error(`java ZipFile failed (${r.code})${hint}: ${r.stderr.slice(-2000)}`);
  }
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', directory, declared, read, sha256 = ''] = line.split('\t');
      if (declared !== read) throw new Error(`java: ${name} declares ${declared} bytes, gave ${read}`);
      return { name, directory: directory === 'true', size: Number(read), sha256 };
    });
}

/** `unzip -tq`: Info-ZIP tests every entry's CRC. */
export async function testWithUnzip(file: string, timeoutMs: number): Promise<void> {
  const r = await runTool('unzip', ['-tq', file], { timeoutMs });
  if (r.code !== 0 || !/No errors detected/.test(r.stdout)) throw new Error(`unzip -t failed (${r.code}): ${(r.stdout + r.stderr).slice(-2000)}`);
}

/** `7z t`: 7-Zip tests every entry, and checks each data descriptor against the directory. */
export async function testWith7z(file: string, timeoutMs: number): Promise<void> {
  const r = await runTool('7z', ['t', '-bd', file], { timeoutMs });
  if (r.code !== 0 || !/Everything is Ok/.test(r.stdout)) throw new Error(`7z t failed (${r.code}): ${(r.stdout + r.stderr).slice(-2000)}`);
}

/** `bsdtar -tf`: libarchive's seekable reader lists the central directory. */
export async function listWithBsdtar(file: string, timeoutMs: number): Promise<string[]> {
  const r = await runTool('bsdtar', ['-tf', file], { timeoutMs });
  if (r.code !== 0 || r.stderr !== '') throw new Error(`bsdtar -tf failed (${r.code}): ${r.stderr.slice(-2000)}`);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * `bsdtar -xOf - < pipe`: libarchive's streaming reader sees only local headers, data and
 * descriptors, in order, and writes every file's bytes to stdout one after another. The
 * output is cut at the expected file sizes and each piece hashed.
 */
export async function streamWithBsdtar(file: string, sizes: readonly number[], timeoutMs: number): Promise<{ sha256: string[]; extraBytes: number }> {
  const hashes: string[] = [];
  let index = 0;
  let left = sizes[0] ?? 0;
  let hash = createHash('sha256');
  let extraBytes = 0;
  const closeFinishedFiles = (): void => {
    while (index < sizes.length && left === 0) {
      hashes.push(hash.digest('hex'));
      hash = createHash('sha256');
      left = sizes[++index] ?? 0;
    }
  };
  closeFinishedFiles();
  const onStdout = (chunk: Buffer): void => {
    for (let at = 0; at < chunk.length; ) {
      if (index >= sizes.length) {
        extraBytes += chunk.length - at;
        return;
      }
      const take = Math.min(left, chunk.length - at);
      hash.update(chunk.subarray(at, at + take));
      at += take;
      left -= take;
      closeFinishedFiles();
    }
  };
  const r = await runTool('bsdtar', ['-xOf', '-'], { stdinFile: file, onStdout, timeoutMs });
  if (r.code !== 0 || r.stderr !== '') throw new Error(`bsdtar -xOf - failed (${r.code}): ${r.stderr.slice(-2000)}`);
  if (index < sizes.length) throw new Error(`bsdtar -xOf - gave ${index} whole files of ${sizes.length}`);
  return { sha256: hashes, extraBytes };
}

/**
 * Extracts the archive onto disk with `unzip` (Info-ZIP) or `bsdtar` (libarchive) into the
 * empty folder `into`, then reads back every file under it: path relative to `into` ('/'
 * separated) → SHA-256. This is where a name the filesystem refuses shows ("File name too
 * long"), which the listing and testing modes never create.
 */
export async function extractWith(tool: 'unzip' | 'bsdtar', file: string, into: string, timeoutMs: number): Promise<Map<string, string>> {
  const args = tool === 'unzip' ? ['-q', '-o', file, '-d', into] : ['-xf', file, '-C', into];
  const r = await runTool(tool, args, { timeoutMs });
  if (r.code !== 0 || r.stderr !== '') throw new Error(`${tool} extract failed (${r.code}): ${(r.stdout + r.stderr).slice(-2000)}`);
  const files = new Map<string, string>();
  for (const entry of await readdir(into, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(into, full).split(path.sep).join('/'), createHash('sha256').update(await readFile(full)).digest('hex'));
  }
  return files;
}
