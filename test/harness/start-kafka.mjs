/**
 * A single-node Kafka in KRaft mode (broker and controller in one JVM) on two free loopback
 * ports, with a fresh data folder per start so no test sees another run's topics.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaLib } from './install-kafka.mjs';
import { freePort, kafkaBrokerAnswers } from './probes.mjs';
import { logTail, readyOrStopped, runCommand, spawnServer } from './processes.mjs';

/** A small JVM suits a 2-core box (INFRA.md); C1 only starts faster and is enough here. */
const jvmOptions = ['-Xms256m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];

function serverProperties({ port, controllerPort, dataDir }) {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    // One node: every replication factor and ISR is 1.
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    // One partition for internal topics: created in a blink, and tests only need one.
    'offsets.topic.num.partitions=1',
    'transaction.state.log.num.partitions=1',
    'auto.create.topics.enable=true',
    // Tests join groups constantly: no 3 s wait for more members (default 3000 ms) ...
    'group.initial.rebalance.delay.ms=0',
    // ... and a test that kills a consumer may use a 1 s session (default minimum 6000 ms).
    'group.min.session.timeout.ms=1000',
    // Fewer threads and a 16 MiB cleaner buffer (default 128 MiB) fit the 512 MiB heap.
    'num.network.threads=2',
    'num.io.threads=2',
    'log.cleaner.dedupe.buffer.size=16777216',
  ].join('\n')}\n`;
}

/** WARN everywhere except the broker's own "Kafka Server started" line: the ready signal. */
const log4jProperties = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.KafkaServer=INFO
`;

export async function startKafka() {
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-kafka-'));
  const dataDir = path.join(runDir, 'data');
  const logFile = path.join(runDir, 'kafka.log');
  const propertiesFile = path.join(runDir, 'server.properties');
  const log4jFile = path.join(runDir, 'log4j.properties');
  fs.writeFileSync(propertiesFile, serverProperties({ port, controllerPort, dataDir }));
  fs.writeFileSync(log4jFile, log4jProperties);
  const java = [...jvmOptions, `-Dlog4j.configuration=file:${log4jFile}`, '-cp', path.join(kafkaLib, '*')];

  // A cluster id is 16 random bytes in unpadded base64url: 22 characters.
  const clusterId = randomBytes(16).toString('base64url');
  const format = ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile, '--ignore-formatted'];
  try {
    await runCommand('java', [...java, ...format], { cwd: runDir });
  } catch (err) {
    fs.rmSync(runDir, { recursive: true, force: true });
    throw err;
  }

  const pid = spawnServer('java', [...java, 'kafka.Kafka', propertiesFile], { cwd: runDir, logFile });
  const broker = `127.0.0.1:${port}`;
  const ready = async () => logTail(logFile, 200).includes('Kafka Server started') && kafkaBrokerAnswers(broker);
  // 120 s: a cold JVM on 2 busy cores has been seen to need 20 s; the rest is margin.
  return readyOrStopped({ kind: 'kafka', pid, url: broker, runDir, logFile }, { name: 'Kafka', ready, timeoutMs: 120_000 });
}
