/**
 * The Helm chart, offline: lint, render for both buses and the ScaledJob option, and every
 * rendered object validated against Kubernetes and KEDA / Prometheus Operator schemas.
 * Each check is also shown to fail on a deliberately broken input.
 */
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import {
  helmLint, helmTemplate, parseYamlStream, toolsReady, toYamlStream, validateManifests, type K8sObject,
} from './ops-tools.js';

const kafka = { bus: 'kafka', 'config.kafkaBrokers': ['b-1.example:9092', 'b-2.example:9092'] };
const variants: Record<string, Record<string, string | number | boolean | string[]>> = {
  'bus=sqs': { bus: 'sqs' },
  'bus=kafka': kafka,
  'bus=sqs, zipper.scaledJob, monitors, users file': {
    'zipper.scaledJob.enabled': true, 'monitoring.serviceMonitor.enabled': true, 'secrets.keys.authUsersFile': 'users.json',
  },
  'bus=kafka, zipper.scaledJob': { ...kafka, 'zipper.scaledJob.enabled': true },
};

const kindsOf = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const triggersOf = (o: K8sObject) => (o.spec?.triggers ?? []) as { type: string; metadata: Record<string, unknown> }[];

const lint = suite('helm lint');

lint.before(toolsReady);

lint('passes with the default values and with bus=kafka', () => {
  const choices: Record<string, string>[] = [{}, { bus: 'kafka', 'config.kafkaBrokers[0]': 'b-1.example:9092' }];
  for (const values of choices) {
    const out = helmLint(values);
    assert.is(out.status, 0, out.stdout + out.stderr);
  }
});

lint('fails on a value the schema refuses (bus=rabbitmq, kafka without brokers)', () => {
  const badBus = helmLint({ bus: 'rabbitmq' });
  assert.is.not(badBus.status, 0);
  assert.match(badBus.stdout + badBus.stderr, /bus/);
  const noBrokers = helmLint({ bus: 'kafka' });
  assert.is.not(noBrokers.status, 0);
  assert.match(noBrokers.stdout + noBrokers.stderr, /kafkaBrokers/);
});

lint.run();

const render = suite('helm template + schema validation');

render.before(toolsReady);

for (const [name, values] of Object.entries(variants)) {
  render(`${name}: every object passes its schema`, () => {
    const yaml = helmTemplate(values);
    const result = validateManifests(yaml);
    assert.equal(result.problems, []);
    assert.ok(result.objects >= 15, `only ${result.objects} objects rendered`);
  });
}

render('renders a Deployment per service, KEDA for the consumers and an HPA for ingest', () => {
  const objects = parseYamlStream(helmTemplate());
  const kinds = kindsOf(objects);
  for (const svc of ['ingest', 'status', 'zipper', 'reporter']) {
    assert.ok(kinds.includes(`Deployment/ap-${svc}`), svc);
    assert.ok(kinds.includes(`ServiceAccount/ap-${svc}`), svc);
    assert.ok(kinds.includes(`PodDisruptionBudget/ap-${svc}`), svc);
  }
  for (const svc of ['zipper', 'reporter', 'status']) assert.ok(kinds.includes(`ScaledObject/ap-${svc}`), svc);
  assert.ok(kinds.includes('HorizontalPodAutoscaler/ap-ingest'));
  assert.ok(kinds.includes('TriggerAuthentication/ap-aws'));
  assert.ok(kinds.includes('Service/ap-ingest') && kinds.includes('Service/ap-status'));
  const dashboard = objects.find((o) => o.kind === 'ConfigMap');
  assert.is(dashboard?.metadata.labels?.grafana_dashboard, '1');
});

render('triggers follow values.bus and carry string metadata only', () => {
  const sqs = parseYamlStream(helmTemplate()).filter((o) => o.kind === 'ScaledObject');
  const onKafka = parseYamlStream(helmTemplate(kafka)).filter((o) => o.kind === 'ScaledObject');
  for (const o of sqs) {
    const [trigger] = triggersOf(o);
    assert.is(trigger?.type, 'aws-sqs-queue');
    for (const key of ['queueURL', 'queueLength', 'activationQueueLength', 'awsRegion', 'identityOwner']) {
      assert.type(trigger?.metadata[key], 'string', `${o.metadata.name} ${key}`);
    }
  }
  assert.match(String(triggersOf(sqs[0]!)[0]?.metadata.queueURL), /\/artifacts-commands-zip$/);
  for (const o of onKafka) {
    const [trigger] = triggersOf(o);
    assert.is(trigger?.type, 'kafka');
    for (const key of ['bootstrapServers', 'consumerGroup', 'topic', 'lagThreshold', 'activationLagThreshold']) {
      assert.type(trigger?.metadata[key], 'string', `${o.metadata.name} ${key}`);
    }
  }
  assert.is(triggersOf(onKafka[0]!)[0]?.metadata.bootstrapServers, 'b-1.example:9092,b-2.example:9092');
  assert.is(triggersOf(onKafka[0]!)[0]?.metadata.topic, 'artifacts.commands.zip');
  assert.is(triggersOf(onKafka[0]!)[0]?.metadata.consumerGroup, 'artifact-pipeline.zipper');
  const prefixed = parseYamlStream(helmTemplate({ ...kafka, 'config.topicPrefix': 'prod.' })).find((o) => o.kind === 'ScaledObject')!;
  assert.is(triggersOf(prefixed)[0]?.metadata.topic, 'prod.artifacts.commands.zip');
  assert.is(triggersOf(prefixed)[0]?.metadata.consumerGroup, 'prod.artifact-pipeline.zipper');
});

render('a worker is given its drain time plus a margin before SIGKILL', () => {
  const objects = parseYamlStream(helmTemplate({ 'zipper.shutdownGraceSeconds': 120, 'zipper.terminationGraceMarginSeconds': 20 }));
  const zipper = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'ap-zipper')!;
  const pod = (zipper.spec as { template: { spec: Record<string, unknown> } }).template.spec;
  const env = (pod.containers as { env: { name: string; value?: string }[] }[])[0]!.env;
  assert.is(env.find((e) => e.name === 'SHUTDOWN_GRACE_SECONDS')?.value, '120');
  assert.is(pod.terminationGracePeriodSeconds, 140);
});

render('API pods keep idle connections open past the load balancer idle timeout', () => {
  const envOf = (objects: ReturnType<typeof parseYamlStream>, name: string) => {
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
    const pod = (deployment.spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec;
    return pod.containers[0]!.env.find((e) => e.name === 'HTTP_KEEP_ALIVE_SECONDS')?.value;
  };
  const defaults = parseYamlStream(helmTemplate());
  assert.is(envOf(defaults, 'ap-ingest'), '65');
  assert.is(envOf(defaults, 'ap-status'), '65');
  assert.is(envOf(parseYamlStream(helmTemplate({ 'config.httpKeepAliveSeconds': 120 })), 'ap-status'), '120');
});

render('the Ingress sends POST routes to ingest and GET routes to status', () => {
  const ingress = parseYamlStream(helmTemplate()).find((o) => o.kind === 'Ingress')!;
  const rules = ingress.spec?.rules as { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
  const route = Object.fromEntries(rules[0]!.http.paths.map((p) => [p.path, p.backend.service.name]));
  assert.is(route['/v1/zip-jobs'], 'ap-ingest');
  assert.is(route['/v1/events'], 'ap-ingest');
  assert.is(route['/v1/jobs'], 'ap-status');
});

render('validation reports a number in trigger metadata, an unknown field and an unknown kind', () => {
  const objects = parseYamlStream(helmTemplate());
  const scaled = objects.find((o) => o.kind === 'ScaledObject')!;
  const broken = structuredClone(scaled);
  triggersOf(broken)[0]!.metadata.queueLength = 5;
  const deployment = structuredClone(objects.find((o) => o.kind === 'Deployment')!);
  (deployment.spec as Record<string, unknown>).replicaz = 2;
  const unknown = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledThing', metadata: { name: 'x' }, spec: {} };
  const result = validateManifests(toYamlStream([broken, deployment, unknown]));
  const text = JSON.stringify(result.problems);
  assert.match(text, /ScaledObject.*queueLength|5 is not of type 'string'/);
  assert.match(text, /replicaz/);
  assert.match(text, /ScaledThing/);
  assert.is(result.problems.length, 3);
});

render.run();
