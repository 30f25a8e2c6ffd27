/**
 * The chart sets exactly the variables the config reads (docs/configuration.md): none
 * missing (every setting reachable from values), none unknown (no typo goes unnoticed).
 */
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { compareEnv, configVariables, variablesReadBy } from './config-variables.js';
import { helmTemplate, parseYamlStream, repoRoot, toolsReady, type K8sObject } from './ops-tools.js';

interface Container {
  env?: { name: string }[];
}

function envNamesOf(object: K8sObject): string[] {
  const spec = object.kind === 'ScaledJob'
    ? (object.spec as { jobTargetRef: { template: { spec: { containers: Container[] } } } }).jobTargetRef.template.spec
    : (object.spec as { template: { spec: { containers: Container[] } } }).template.spec;
  return spec.containers.flatMap((c) => (c.env ?? []).map((e) => e.name));
}

const workloads = (yaml: string) => parseYamlStream(yaml).filter((o) => o.kind === 'Deployment' || o.kind === 'ScaledJob');

const reader = suite('variablesReadBy');

reader('finds the names of every read.<kind> call and nothing else', () => {
  const source = "read.integer('PORT', {}); read.raw('INGEST_RULES'); read.list(\n 'KAFKA_BROKERS'); env.OTHER; 'NOT_READ'";
  assert.equal([...variablesReadBy([source])].sort(), ['INGEST_RULES', 'KAFKA_BROKERS', 'PORT']);
});

reader('finds the documented variables in the config source', () => {
  const names = configVariables(repoRoot);
  for (const name of ['BUS', 'REDIS_URL', 'ARTIFACTS_BUCKET', 'SHUTDOWN_GRACE_SECONDS', 'INGEST_RULES', 'S3_NOTIFICATIONS_QUEUE']) {
    assert.ok(names.has(name), name);
  }
});

reader.run();

const compare = suite('compareEnv');

compare('reports a missing and an unknown name, and ignores OTEL_*', () => {
  const diff = compareEnv(['BUS', 'PORTT', 'OTEL_SERVICE_NAME'], new Set(['BUS', 'PORT']));
  assert.equal(diff, { missing: ['PORT'], unknown: ['PORTT'] });
});

compare.run();

const chart = suite('chart env = config variables');

chart.before(toolsReady);

const variants: Record<string, Record<string, string | boolean | string[]>> = {
  'bus=sqs': {},
  'bus=kafka with the zipper as ScaledJob': {
    bus: 'kafka', 'config.kafkaBrokers': ['b-1.example:9092'], 'zipper.scaledJob.enabled': true,
  },
};

for (const [name, values] of Object.entries(variants)) {
  chart(`${name}: every workload gets exactly the config's variables`, () => {
    const config = configVariables(repoRoot);
    const objects = workloads(helmTemplate(values));
    assert.is(objects.length, 4);
    for (const object of objects) {
      const names = envNamesOf(object);
      assert.equal(compareEnv(names, config), { missing: [], unknown: [] }, `${object.kind}/${object.metadata.name}`);
      assert.is(new Set(names).size, names.length, `${object.metadata.name} sets a variable twice`);
    }
  });
}

chart.run();
