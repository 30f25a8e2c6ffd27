/**
 * The Helm chart, offline: lint, render for both buses and the ScaledJob option, and every
 * rendered object validated against Kubernetes and KEDA / Prometheus Operator schemas (the
 * latter generated from pinned upstream CRDs). What an upgrade does to autoscaled replica
 * counts, the drain times, and the values the chart refuses. Each check is also shown to
 * fail on a deliberately broken input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { generate } from './crd-schemas.mjs';
import {
  helmLint, helmRender, helmTemplate, kedaRoles, parseYamlStream, repoRoot, toolsReady, toYamlStream, validateManifests, type K8sObject,
} from './ops-tools.js';

const kafka = { bus: 'kafka', 'config.kafkaBrokers': ['b-1.example:9092', 'b-2.example:9092'], 'kafka.partitions': 20 };
const variants: Record<string, Record<string, string | number | boolean | string[]>> = {
  'bus=sqs': { bus: 'sqs', ...kedaRoles },
  'bus=kafka': kafka,
  'bus=sqs, zipper.scaledJob, monitors, users file': {
    ...kedaRoles, 'zipper.scaledJob.enabled': true, 'monitoring.serviceMonitor.enabled': true, 'secrets.keys.authUsersFile': 'users.json',
  },
  'bus=sqs, identityOwner=keda, egress rules': {
    'keda.identityOwner': 'keda', 'keda.roleArn': 'arn:aws:iam::123456789012:role/keda-operator', 'networkPolicy.egress[0].ports[0].port': 443,
  },
  'bus=kafka, zipper.scaledJob': { ...kafka, 'zipper.scaledJob.enabled': true },
};

const kindsOf = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const triggersOf = (o: K8sObject) => (o.spec?.triggers ?? []) as { type: string; metadata: Record<string, unknown> }[];

const lint = suite('helm lint');

lint.before(toolsReady);

lint('passes with the default values and with bus=kafka', () => {
  const choices: Record<string, string | number>[] = [kedaRoles, { bus: 'kafka', 'config.kafkaBrokers[0]': 'b-1.example:9092', 'kafka.partitions': 20 }];
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
  const objects = parseYamlStream(helmTemplate(kedaRoles));
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
  const sqs = parseYamlStream(helmTemplate(kedaRoles)).filter((o) => o.kind === 'ScaledObject');
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
  const objects = parseYamlStream(helmTemplate({ ...kedaRoles, 'zipper.shutdownGraceSeconds': 120, 'zipper.terminationGraceMarginSeconds': 20 }));
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
  const defaults = parseYamlStream(helmTemplate(kedaRoles));
  assert.is(envOf(defaults, 'ap-ingest'), '65');
  assert.is(envOf(defaults, 'ap-status'), '65');
  assert.is(envOf(parseYamlStream(helmTemplate({ ...kedaRoles, 'config.httpKeepAliveSeconds': 120 })), 'ap-status'), '120');
});

render('the Ingress sends POST routes to ingest and GET routes to status', () => {
  const ingress = parseYamlStream(helmTemplate(kedaRoles)).find((o) => o.kind === 'Ingress')!;
  const rules = ingress.spec?.rules as { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
  const route = Object.fromEntries(rules[0]!.http.paths.map((p) => [p.path, p.backend.service.name]));
  assert.is(route['/v1/zip-jobs'], 'ap-ingest');
  assert.is(route['/v1/events'], 'ap-ingest');
  assert.is(route['/v1/jobs'], 'ap-status');
});

render('validation reports a number in trigger metadata, an unknown field and an unknown kind', () => {
  const objects = parseYamlStream(helmTemplate(kedaRoles));
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

interface PodTemplate {
  metadata: { annotations?: Record<string, string> };
  spec: {
    automountServiceAccountToken?: boolean;
    terminationGracePeriodSeconds: number;
    containers: { env: { name: string; value?: string }[] }[];
  };
}
const deploymentsOf = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'Deployment');
const podOf = (o: K8sObject): PodTemplate =>
  o.kind === 'ScaledJob' ? (o.spec as { jobTargetRef: { template: PodTemplate } }).jobTargetRef.template : (o.spec as { template: PodTemplate }).template;
const envValue = (pod: PodTemplate, name: string) => pod.spec.containers[0]!.env.find((e) => e.name === name)?.value;

/**
 * The replica count a Deployment has after `helm upgrade`, by Helm 3's three-way merge of
 * the previous release's manifest, the new one and the live object: a field the new
 * manifest sets wins; one only the previous manifest set is removed (the API server then
 * defaults it to 1); one neither sets keeps its live value (what the autoscaler chose).
 */
function replicasAfterUpgrade(previous: K8sObject, next: K8sObject, live: number): number {
  const wanted = (next.spec as { replicas?: number }).replicas;
  if (wanted !== undefined) return wanted;
  return (previous.spec as { replicas?: number }).replicas !== undefined ? 1 : live;
}

const upgrade = suite('helm upgrade leaves replica counts to the autoscalers');

upgrade.before(toolsReady);

upgrade('no Deployment renders replicas, on install or upgrade, for either bus', () => {
  for (const values of [kedaRoles, kafka]) {
    for (const isUpgrade of [false, true]) {
      for (const d of deploymentsOf(parseYamlStream(helmTemplate(values, { upgrade: isUpgrade })))) {
        assert.not.ok('replicas' in (d.spec ?? {}), `${d.metadata.name} renders replicas (upgrade: ${isUpgrade})`);
      }
    }
  }
});

upgrade('an upgrade (new image tag) keeps the 7 zippers and 4 ingest pods the autoscalers run; a rendered count would not', () => {
  const before = deploymentsOf(parseYamlStream(helmTemplate(kedaRoles)));
  const after = deploymentsOf(parseYamlStream(helmTemplate({ ...kedaRoles, 'image.tag': '0.2.0' }, { upgrade: true })));
  const live: Record<string, number> = { 'ap-zipper': 7, 'ap-ingest': 4, 'ap-reporter': 2, 'ap-status': 3 };
  for (const next of after) {
    const previous = before.find((d) => d.metadata.name === next.metadata.name)!;
    assert.is(replicasAfterUpgrade(previous, next, live[next.metadata.name]!), live[next.metadata.name], next.metadata.name);
  }
  // The broken input: the Deployment as the chart used to render it (replicas = KEDA's minimum, 0).
  const zipper = after.find((d) => d.metadata.name === 'ap-zipper')!;
  const counted = structuredClone(zipper);
  (counted.spec as { replicas?: number }).replicas = 0;
  assert.is(replicasAfterUpgrade(counted, counted, 7), 0, 'a rendered replicas: 0 scales the busy zippers to zero');
});

upgrade.run();

const drain = suite('drain times, scale-in and the values the chart refuses');

drain.before(toolsReady);

drain('ingest and status serve on for SHUTDOWN_DELAY_SECONDS after SIGTERM, and Kubernetes waits for it', () => {
  const objects = parseYamlStream(helmTemplate({ ...kedaRoles, 'ingest.shutdownDelaySeconds': 20 }));
  for (const [name, delay] of [['ap-ingest', 20], ['ap-status', 10]] as const) {
    const pod = podOf(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!);
    assert.is(envValue(pod, 'SHUTDOWN_DELAY_SECONDS'), String(delay), name);
    assert.is(pod.spec.terminationGracePeriodSeconds, delay + 60 + 15, `${name}: delay + grace + margin`);
  }
  const zipper = podOf(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'ap-zipper')!);
  assert.is(envValue(zipper, 'SHUTDOWN_DELAY_SECONDS'), undefined, 'workers serve no traffic: no delay');
});

drain('workers carry safe-to-evict "false" and do-not-disrupt, so node scale-down never cuts a 930 s drain to 600 s', () => {
  const objects = parseYamlStream(helmTemplate({ ...kedaRoles, 'zipper.scaledJob.enabled': true }));
  const worker = [...parseYamlStream(helmTemplate(kedaRoles)), ...objects].filter((o) => ['ap-zipper', 'ap-reporter'].includes(o.metadata.name) && o.kind !== 'ScaledObject' && o.kind !== 'PodDisruptionBudget' && o.kind !== 'ServiceAccount');
  assert.is(worker.length, 4);
  for (const o of worker) {
    const pod = podOf(o);
    assert.is(pod.metadata.annotations?.['cluster-autoscaler.kubernetes.io/safe-to-evict'], 'false', `${o.kind}/${o.metadata.name}`);
    assert.is(pod.metadata.annotations?.['karpenter.sh/do-not-disrupt'], 'true', `${o.kind}/${o.metadata.name}`);
  }
  // The broken input: eviction allowed while the grace stays above the autoscaler's cap.
  const evictable = { ...kedaRoles, 'zipper.podAnnotations.cluster-autoscaler\\.kubernetes\\.io/safe-to-evict': 'true' };
  const refused = helmRender(evictable);
  assert.is.not(refused.status, 0);
  assert.match(refused.stderr, /zipper: terminationGracePeriodSeconds 930 is above Cluster Autoscaler's 600 s/);
  assert.is(helmRender({ ...evictable, 'zipper.shutdownGraceSeconds': 500 }).status, 0, 'a drain that fits in 600 s needs no annotation');
});

drain('no pod mounts a Kubernetes API token; a NetworkPolicy opens only the http port', () => {
  const objects = parseYamlStream(helmTemplate({ ...kedaRoles, 'zipper.scaledJob.enabled': true }));
  const pods = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'ScaledJob');
  assert.is(pods.length, 4);
  for (const o of pods) assert.is(podOf(o).spec.automountServiceAccountToken, false, o.metadata.name);
  const policy = objects.find((o) => o.kind === 'NetworkPolicy')!;
  assert.ok(policy, 'a NetworkPolicy');
  const spec = policy.spec as { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: { ports: { port: string }[]; from?: unknown }[] };
  assert.equal(spec.podSelector.matchLabels, { 'app.kubernetes.io/name': 'artifact-pipeline', 'app.kubernetes.io/instance': 'ap' });
  assert.equal(spec.policyTypes, ['Ingress']);
  assert.equal(spec.ingress.map((r) => r.ports.map((p) => p.port)), [['http']]);
  const locked = parseYamlStream(helmTemplate({ ...kedaRoles, 'networkPolicy.egress[0].ports[0].port': 443 })).find((o) => o.kind === 'NetworkPolicy')!;
  assert.equal((locked.spec as { policyTypes: string[] }).policyTypes, ['Ingress', 'Egress']);
  assert.not.ok(parseYamlStream(helmTemplate({ ...kedaRoles, 'networkPolicy.enabled': false })).some((o) => o.kind === 'NetworkPolicy'));
});

drain('refuses an incomplete KEDA pod-identity chain (bus=sqs), naming the value', () => {
  const missing = helmRender({ ...kedaRoles, 'reporter.serviceAccount.roleArn': '' });
  assert.is.not(missing.status, 0);
  assert.match(missing.stderr, /reporter\.serviceAccount\.roleArn is empty/);
  const defaults = helmRender();
  assert.match(defaults.stderr, /zipper\.serviceAccount\.roleArn is empty/, 'the default values are refused too');
  const operator = helmRender({ 'keda.identityOwner': 'keda' });
  assert.match(operator.stderr, /keda\.roleArn is empty/);
  const withOperator = parseYamlStream(helmTemplate({ 'keda.identityOwner': 'keda', 'keda.roleArn': 'arn:aws:iam::123456789012:role/keda-operator' }));
  const auth = withOperator.find((o) => o.kind === 'TriggerAuthentication')!;
  assert.equal(auth.spec?.podIdentity, { provider: 'aws', identityOwner: 'keda', roleArn: 'arn:aws:iam::123456789012:role/keda-operator' });
  assert.is(helmRender({ ...kafka }).status, 0, 'bus=kafka uses no AWS identity for KEDA');
});

drain('bus=kafka: refuses a KEDA maximum above the partition count', () => {
  const over = helmRender({ ...kafka, 'kafka.partitions': 3 });
  assert.is.not(over.status, 0);
  assert.match(over.stderr, /zipper\.keda\.maxReplicaCount \(20\) is above kafka\.partitions \(3\)/);
  const scaled = parseYamlStream(helmTemplate({ ...kafka, 'kafka.partitions': 6, 'zipper.keda.maxReplicaCount': 6, 'reporter.keda.maxReplicaCount': 6 }));
  for (const o of scaled.filter((x) => x.kind === 'ScaledObject')) assert.ok((o.spec as { maxReplicaCount: number }).maxReplicaCount <= 6, o.metadata.name);
});

drain('refuses a release name over 40 characters instead of shortening the IRSA service account names', () => {
  const long = 'a'.repeat(41);
  const out = helmRender(kedaRoles, { release: long });
  assert.is.not(out.status, 0);
  assert.match(out.stderr, /release name "a{41}" is 41 characters; at most 40/);
  const fits = parseYamlStream(helmTemplate(kedaRoles, { release: 'a'.repeat(40) }));
  assert.ok(fits.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === `${'a'.repeat(40)}-reporter`));
});

drain.run();

const crds = suite('KEDA and Prometheus Operator schemas');

crds('are exactly what crd-schemas.mjs generates from the pinned upstream CRDs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-crds-'));
  try {
    const written = generate(dir);
    const committed = path.join(repoRoot, 'test', 'ops', 'schemas');
    assert.equal(written, fs.readdirSync(committed).filter((f) => f.endsWith('.json')).sort());
    for (const file of written) {
      const text = fs.readFileSync(path.join(committed, file), 'utf8');
      assert.ok(text === fs.readFileSync(path.join(dir, file), 'utf8'), `${file} differs from its generated form: run node test/ops/crd-schemas.mjs`);
      assert.match(text, /"\$comment": "generated by test\/ops\/crd-schemas\.mjs from github\.com\/[^ ]+@v[\d.]+ /);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

crds.run();
