/**
 * Redis, Kafka and moto for the tests. For each: reuse the one the environment names
 * (REDIS_URL, KAFKA_BROKERS, AWS_ENDPOINT_URL) if it answers on loopback; else one that
 * `infra.mjs up` left running; else install what is missing and start one on a free port.
 * Only what this call started is returned in `started` — the caller stops exactly that.
 */
import fs from 'node:fs';
import { checkingTools, ensureDebianPackages } from './install-apt.mjs';
import { ensureKafka, kafkaTools } from './install-kafka.mjs';
import { ensureMoto, motoBuildTools, motoInstalled, venvPython } from './install-moto.mjs';
import { say, secondsSince, step } from './log.mjs';
import { hostsOf, isLoopbackHost, kafkaAnswers, motoAnswers, redisAnswers } from './probes.mjs';
import { commandLineOf, isAlive, signalGroup, stopServer } from './processes.mjs';
import { startKafka } from './start-kafka.mjs';
import { startMoto } from './start-moto.mjs';
import { startRedis } from './start-redis.mjs';

const kinds = {
  redis: {
    label: 'Redis',
    envVar: 'REDIS_URL',
    answers: redisAnswers,
    processName: 'redis-server',
    tools: () => [{ command: 'redis-server', pkg: 'redis-server' }],
    install: async () => {},
    start: startRedis,
  },
  kafka: {
    label: 'Kafka',
    envVar: 'KAFKA_BROKERS',
    answers: kafkaAnswers,
    processName: 'kafka.Kafka',
    tools: kafkaTools,
    install: ensureKafka,
    start: startKafka,
  },
  moto: {
    label: 'moto',
    envVar: 'AWS_ENDPOINT_URL',
    answers: motoAnswers,
    processName: 'moto_server',
    tools: () => (motoInstalled() ? [] : motoBuildTools()),
    install: ensureMoto,
    start: startMoto,
  },
};

/**
 * The variables tests and services read (DESIGN.md §8); credentials are moto's test pair.
 * TEST_PYTHON: the venv's python, with openpyxl, cloudevents and kafka-python, for tests
 * that check our output the way another program would.
 */
export function serverEnv(urls) {
  return {
    REDIS_URL: urls.redis,
    KAFKA_BROKERS: urls.kafka,
    AWS_ENDPOINT_URL: urls.moto,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3_FORCE_PATH_STYLE: 'true',
    ...(motoInstalled() ? { TEST_PYTHON: venvPython } : {}),
  };
}

/** A record from an earlier `infra up` that still runs the same server and answers. */
async function stillServing(kind, record) {
  if (!record || !isAlive(record.pid)) return false;
  if (!commandLineOf(record.pid).includes(kinds[kind].processName)) return false;
  return kinds[kind].answers(record.url);
}

async function reusable(kind, known) {
  const { envVar, label, answers } = kinds[kind];
  const value = process.env[envVar];
  if (value) {
    if (!hostsOf(kind, value).every(isLoopbackHost)) {
      say(`${envVar}=${value} is not on loopback; the harness never uses other machines: starting ${label}`);
    } else if (await answers(value)) {
      say(`using ${label} at ${value} (from ${envVar})`);
      return value;
    } else {
      say(`${envVar}=${value} does not answer: starting ${label}`);
    }
  }
  if (await stillServing(kind, known[kind])) {
    say(`using ${label} at ${known[kind].url} (pid ${known[kind].pid}, from infra:up)`);
    return known[kind].url;
  }
  return undefined;
}

/** Two tries: the free port we picked can be taken by someone else before we bind it. */
async function startWithRetry(kind) {
  const { label, start } = kinds[kind];
  try {
    return await step(`starting ${label}`, start);
  } catch (err) {
    say(`${label} did not start (${err.message.split('\n')[0]}); trying once more`);
    return step(`starting ${label}`, start);
  }
}

/**
 * Makes sure all three servers answer. `known`: records from `.cache/infra/state.json`.
 * Resolves with {urls, env, started}; `started` holds the records of what it started.
 */
export async function ensureServers({ known = {} } = {}) {
  const began = Date.now();
  const urls = {};
  for (const kind of Object.keys(kinds)) urls[kind] = await reusable(kind, known);
  const toStart = Object.keys(kinds).filter((kind) => !urls[kind]);

  // The venv is also the tests' Python toolbox: wanted even when moto itself is reused.
  const toolboxOnly = !toStart.includes('moto') && !motoInstalled();
  await ensureDebianPackages({
    required: toStart.flatMap((kind) => kinds[kind].tools()),
    wanted: [...checkingTools, ...(toolboxOnly ? motoBuildTools() : [])],
  });
  // Installs fetch from different registries (PyPI, Maven Central): run them side by side.
  await Promise.all([
    ...toStart.map((kind) => kinds[kind].install()),
    toolboxOnly ? ensureMoto().catch((err) => say(`no Python toolbox for tests: ${err.message}`)) : undefined,
  ]);

  const results = await Promise.allSettled(toStart.map(startWithRetry));
  const started = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (failures.length > 0) {
    await stopServers(started);
    throw new Error(failures.map((e) => e.message).join('\n\n'));
  }
  for (const server of started) urls[server.kind] = server.url;
  if (started.length > 0) say(`servers ready in ${secondsSince(began)}`);
  return { urls, env: serverEnv(urls), started };
}

/** One more moto on its own port (the venv must be there): for files that load it heavily. */
export function startExtraMoto() {
  return startWithRetry('moto');
}

/** Stops servers this harness started and removes their temporary folders. */
export async function stopServers(records) {
  await Promise.all(
    records.map(async (record) => {
      if (isAlive(record.pid) && commandLineOf(record.pid).includes(kinds[record.kind].processName)) {
        await stopServer(record.pid);
      }
      fs.rmSync(record.runDir, { recursive: true, force: true });
    }),
  );
}

/** Last resort on process exit: synchronous, no waiting, SIGKILL the groups we started. */
export function killServersNow(records) {
  for (const record of records) signalGroup(record.pid, 'SIGKILL');
}
