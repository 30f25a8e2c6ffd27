/**
 * Each Deployment gets exactly the variables its service reads, and only its own secrets.
 * What a service reads is found in the code: the loader maps each variable to its place in
 * the Config (changing one variable and seeing which field changes), and the service's
 * sources plus the shared functions they reach say which fields they read. Nothing missing
 * (a setting the service would never see), nothing extra (a worker holding the JWT key).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { DEFAULT_INGEST_RULES, loadConfig } from '@artifact-pipeline/shared';
import {
  compareEnv, configPathsOf, configReadsIn, configReadsOf, configVariables, functionsOf, variablesNeeded, variablesReadBy,
} from './config-variables.js';
import { helmTemplate, kedaRoles, parseYamlStream, repoRoot, toolsReady, type K8sObject } from './ops-tools.js';

interface Container {
  env?: { name: string; valueFrom?: { secretKeyRef?: { key: string } } }[];
}

function containerOf(object: K8sObject): Container {
  const spec = object.kind === 'ScaledJob'
    ? (object.spec as { jobTargetRef: { template: { spec: { containers: Container[] } } } }).jobTargetRef.template.spec
    : (object.spec as { template: { spec: { containers: Container[] } } }).template.spec;
  return spec.containers[0]!;
}
const envNamesOf = (object: K8sObject): string[] => (containerOf(object).env ?? []).map((e) => e.name);

const workloads = (yaml: string) => parseYamlStream(yaml).filter((o) => o.kind === 'Deployment' || o.kind === 'ScaledJob');
const serviceOf = (o: K8sObject) => o.metadata.labels?.['app.kubernetes.io/component'] ?? '';

/** A base environment the loader accepts, and for every variable another valid value. */
const BASE = { UPLOADS_BUCKET: 'base-uploads', AUTH_JWT_SECRET: 's'.repeat(32), WEBHOOK_SECRET: 'w'.repeat(16), PUBLIC_BASE_URL: 'https://base.example' };
const SAMPLES: Record<string, string> = {
  BUS: 'sqs', PORT: '8081', KAFKA_BROKERS: 'b-1.example:9092', AUTH_MODE: 'none', AUTH_JWT_SECRET: 't'.repeat(32),
  AUTH_JWKS_URL: 'https://keys.example/jwks.json', AUTH_USERS_FILE: path.join(repoRoot, 'package.json'), WEBHOOK_URL: 'https://hooks.example/x',
  WEBHOOK_SECRET: 'v'.repeat(16), INGEST_RULES: JSON.stringify([DEFAULT_INGEST_RULES[0]]), S3_NOTIFICATIONS_QUEUE: 'other-queue',
  BUS_MAX_MESSAGE_BYTES: '500000', UPLOADS_BUCKET: 'uploads-bucket', SQS_QUEUE_URL_BASE: 'https://sqs.eu-west-1.amazonaws.com/123456789012',
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: '7200', SOURCE_GRANTS: JSON.stringify([{ prefix: 'shared/' }]),
  PUBLIC_BASE_URL: 'https://other.example', QUEUE_NAME_PREFIX: 'p-', TOPIC_PREFIX: 'p.', KAFKA_CLIENT_ID: 'other', REDIS_URL: 'redis://r.example:6379',
  AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://s3.example', S3_FORCE_PATH_STYLE: 'true', ARTIFACTS_BUCKET: 'other-bucket',
  DOWNLOAD_URL_TTL_SECONDS: '60', ALLOWED_SOURCE_BUCKETS: 'a-bucket', HTTP_KEEP_ALIVE_SECONDS: '70', WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_ALLOW_HTTP: 'true', LOG_LEVEL: 'debug', MAX_ATTEMPTS: '7', WORKER_CONCURRENCY: '3', SHUTDOWN_GRACE_SECONDS: '61',
  SHUTDOWN_DELAY_SECONDS: '9', JOURNAL_PREFIX: 'journal/events/', JOB_RETENTION_DAYS: '9', LOCAL_DATA_DIR: '/tmp/elsewhere',
};

/**
 * Read by code no pod runs, each with the reason, which the last suite checks: local mode's
 * object store (the chart's schema has no memory bus), and the users file, which status'
 * token check (http/auth.ts) never opens although status hands it the whole auth section.
 */
const NOT_IN_PODS: Record<string, { services: string[]; why: string }> = {
  LOCAL_DATA_DIR: { services: ['ingest', 'status', 'zipper', 'reporter'], why: 'local object store only' },
  PUBLIC_BASE_URL: { services: ['ingest', 'status', 'zipper', 'reporter'], why: 'local object store only' },
  AUTH_USERS_FILE: { services: ['status'], why: 'bearerAuth reads mode, jwtSecret and jwksUrl only' },
};
const SECRETS: Record<string, string[]> = {
  REDIS_URL: ['ingest', 'status', 'zipper', 'reporter'],
  AUTH_JWT_SECRET: ['ingest', 'status'],
  WEBHOOK_SECRET: ['status'],
};

function expectedFor(service: string, paths: Map<string, string[]>): Set<string> {
  const needed = variablesNeeded(configReadsOf(repoRoot, service), paths);
  for (const [name, { services }] of Object.entries(NOT_IN_PODS)) if (services.includes(service)) needed.delete(name);
  return needed;
}

const reader = suite('variablesReadBy, configReadsIn, functionsOf');

reader('finds the names of every read.<kind> call and nothing else', () => {
  const source = "read.integer('PORT', {}); read.raw('INGEST_RULES'); read.list(\n 'KAFKA_BROKERS'); env.OTHER; 'NOT_READ'";
  assert.equal([...variablesReadBy([source])].sort(), ['INGEST_RULES', 'KAFKA_BROKERS', 'PORT']);
});

reader('finds the documented variables in the config source', () => {
  const names = configVariables(repoRoot);
  for (const name of ['BUS', 'REDIS_URL', 'ARTIFACTS_BUCKET', 'SHUTDOWN_GRACE_SECONDS', 'SHUTDOWN_DELAY_SECONDS', 'INGEST_RULES', 'S3_NOTIFICATIONS_QUEUE']) {
    assert.ok(names.has(name), name);
  }
});

reader('finds config fields and whole sections read, optional chaining included', () => {
  const source = 'f(config.s3.artifactsBucket); bearerAuth({ auth: config.auth }); config.ingest?.rules; cfg.x.y';
  assert.equal([...configReadsIn(source)].sort(), ['auth', 'ingest.rules', 's3.artifactsBucket']);
});

reader('splits a file into its top-level functions', () => {
  const parts = functionsOf('import x;\nexport function a() {\n  b();\n}\nasync function b() {}\nexport async function c() {}\n');
  assert.equal([...parts.keys()], ['a', 'b', 'c']);
  assert.match(parts.get('a')!, /b\(\);/);
});

reader.run();

const paths = suite('configPathsOf');

paths('maps every variable the config reads to one field, found by the loader', () => {
  const found = configPathsOf((env) => loadConfig(env), BASE, SAMPLES);
  assert.equal([...configVariables(repoRoot)].filter((n) => !(n in SAMPLES)), [], 'a sample for every variable');
  for (const [name, at] of found) assert.is(at.length, 1, `${name} → ${at.join(', ') || 'nothing'}`);
  assert.equal(found.get('ARTIFACTS_BUCKET'), ['s3.artifactsBucket']);
  assert.equal(found.get('SHUTDOWN_DELAY_SECONDS'), ['http.shutdownDelaySeconds']);
});

paths('a sample equal to the default shows as a variable landing nowhere', () => {
  const found = configPathsOf((env) => loadConfig(env), BASE, { LOG_LEVEL: 'info' });
  assert.equal(found.get('LOG_LEVEL'), []);
});

paths.run();

const compare = suite('compareEnv');

compare('reports a missing and an unknown name, and ignores OTEL_*', () => {
  const diff = compareEnv(['BUS', 'PORTT', 'OTEL_SERVICE_NAME'], new Set(['BUS', 'PORT']));
  assert.equal(diff, { missing: ['PORT'], unknown: ['PORTT'] });
});

compare('a worker given the JWT secret is reported', () => {
  const fieldPaths = configPathsOf((env) => loadConfig(env), BASE, SAMPLES);
  const zipper = expectedFor('zipper', fieldPaths);
  assert.equal(compareEnv([...zipper, 'AUTH_JWT_SECRET'], zipper), { missing: [], unknown: ['AUTH_JWT_SECRET'] });
});

compare.run();

const chart = suite('chart env = what each service reads');

chart.before(toolsReady);

const variants: Record<string, Record<string, string | number | boolean | string[]>> = {
  'bus=sqs, users file': { ...kedaRoles, 'secrets.keys.authUsersFile': 'users.json' },
  'bus=kafka with the zipper as ScaledJob': {
    bus: 'kafka', 'config.kafkaBrokers': ['b-1.example:9092'], 'zipper.scaledJob.enabled': true, 'kafka.partitions': 20,
  },
};

for (const [name, values] of Object.entries(variants)) {
  chart(`${name}: every workload gets exactly its service's variables and secrets`, () => {
    const fieldPaths = configPathsOf((env) => loadConfig(env), BASE, SAMPLES);
    const objects = workloads(helmTemplate(values));
    assert.equal(objects.map(serviceOf).sort(), ['ingest', 'reporter', 'status', 'zipper']);
    for (const object of objects) {
      const service = serviceOf(object);
      const names = envNamesOf(object);
      assert.equal(compareEnv(names, expectedFor(service, fieldPaths)), { missing: [], unknown: [] }, `${object.kind}/${object.metadata.name}`);
      assert.is(new Set(names).size, names.length, `${object.metadata.name} sets a variable twice`);
      const secrets = (containerOf(object).env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name).sort();
      assert.equal(secrets, Object.keys(SECRETS).filter((s) => SECRETS[s]!.includes(service)).sort(), `${object.metadata.name} secrets`);
    }
  });
}

chart('every variable the config reads reaches some pod, or is listed with its reason', () => {
  const fieldPaths = configPathsOf((env) => loadConfig(env), BASE, SAMPLES);
  const given = new Set(workloads(helmTemplate(kedaRoles)).flatMap(envNamesOf));
  const unreached = [...configVariables(repoRoot)].filter((n) => !given.has(n) && !(n in NOT_IN_PODS));
  assert.equal(unreached, []);
  assert.ok(fieldPaths.size > 0);
});

chart('the reasons hold: local-only fields are read in createObjects only, status never opens the users file', () => {
  const wiring = functionsOf(fs.readFileSync(path.join(repoRoot, 'packages', 'shared', 'src', 'wiring.ts'), 'utf8'));
  for (const [name, body] of wiring) {
    const reads = configReadsIn(body);
    if (name !== 'createObjects') assert.not.ok(reads.has('local.dataDir') || reads.has('http.publicBaseUrl'), name);
  }
  assert.match(wiring.get('createObjects')!, /if \(usesLocalStorage\(config\)\) \{[\s\S]*config\.local\.dataDir[\s\S]*config\.http\.publicBaseUrl[\s\S]*\n {2}\}/);
  for (const service of ['ingest', 'status', 'zipper', 'reporter']) {
    const dir = path.join(repoRoot, 'services', service, 'src');
    for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const reads = configReadsIn(fs.readFileSync(path.join(dir, file), 'utf8'));
      assert.not.ok(reads.has('http.publicBaseUrl') || reads.has('local.dataDir') || reads.has('http') || reads.has('local'), `${service}/${file}`);
    }
  }
  const auth = fs.readFileSync(path.join(repoRoot, 'packages', 'shared', 'src', 'http', 'auth.ts'), 'utf8');
  assert.not.match(auth, /usersFile/);
});

chart.run();
