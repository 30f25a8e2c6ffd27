/**
 * Apache Kafka 3.9.1 as plain jars from Maven Central (INFRA.md): a throwaway pom, and
 * maven-dependency-plugin copies the broker's runtime closure into
 * .cache/servers/kafka-3.9.1/lib. Kafka ships no logging backend, so reload4j comes along.
 */
import fs from 'node:fs';
import path from 'node:path';
import { withLock } from './lock.mjs';
import { step } from './log.mjs';
import { serversDir, shown } from './paths.mjs';
import { runCommand } from './processes.mjs';

export const kafkaVersion = '3.9.1';
export const kafkaHome = path.join(serversDir, `kafka-${kafkaVersion}`);
export const kafkaLib = path.join(kafkaHome, 'lib');
const marker = path.join(kafkaHome, '.harness-installed');

const dependencies = [
  ['org.apache.kafka', 'kafka_2.13', kafkaVersion],
  ['org.slf4j', 'slf4j-reload4j', '1.7.36'],
  ['ch.qos.reload4j', 'reload4j', '1.2.25'],
];

const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.artifact-pipeline</groupId>
  <artifactId>kafka-jars</artifactId>
  <version>1</version>
  <dependencies>
${dependencies
  .map(([g, a, v]) => `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`)
  .join('\n')}
  </dependencies>
</project>
`;

export function kafkaInstalled() {
  try {
    return fs.readFileSync(marker, 'utf8') === pom;
  } catch {
    return false;
  }
}

/** Debian packages needed: a JDK/JRE to run, Maven to fetch the jars (only on install). */
export function kafkaTools() {
  const java = { command: 'java', pkg: 'default-jre-headless' };
  return kafkaInstalled() ? [java] : [java, { command: 'mvn', pkg: 'maven' }];
}

export async function ensureKafka() {
  if (kafkaInstalled()) return;
  await withLock('kafka-jars', async () => {
    if (kafkaInstalled()) return;
    await step(`installing Kafka ${kafkaVersion} jars into ${shown(kafkaLib)}`, async () => {
      fs.mkdirSync(kafkaHome, { recursive: true });
      fs.writeFileSync(path.join(kafkaHome, 'pom.xml'), pom);
      const partial = path.join(kafkaHome, 'lib.partial');
      fs.rmSync(partial, { recursive: true, force: true });
      fs.rmSync(kafkaLib, { recursive: true, force: true });
      // Name the plugin version: Maven 3.8's default dependency plugin is too old for this.
      await runCommand(
        'mvn',
        [
          '-B',
          '-q',
          'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${partial}`,
        ],
        { cwd: kafkaHome },
      );
      const jars = fs.readdirSync(partial).filter((f) => f.endsWith('.jar'));
      if (!jars.some((f) => f.startsWith(`kafka_2.13-${kafkaVersion}`))) {
        throw new Error(`mvn copied ${jars.length} jars but not kafka_2.13-${kafkaVersion}.jar into ${partial}`);
      }
      fs.renameSync(partial, kafkaLib);
      fs.writeFileSync(marker, pom);
    });
  });
}
