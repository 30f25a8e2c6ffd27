/**
 * Rebuilds the read model into an empty store (DESIGN §5) by projecting the history again:
 * - from Kafka: the queued records from `artifacts.commands.zip` / `.report` (job id, owner,
 *   input summary, createdAt = the command's time, as ingest writes them), then every event
 *   of `artifacts.events` in partition order — the order the live projector saw;
 * - from the S3 journal: every `journal/` object in key order (append order), each line
 *   carrying the event and the job's queued facts.
 * The store stamps updatedAt with each event's own time (JobStore.apply), so the rebuilt
 * records equal the live ones field for field.
 */
import {
  EventType, Topic, silentLogger,
  type JobStore, type Logger, type ObjectStore, type PipelineEvent, type ReportRequested, type ZipRequested,
} from '@artifact-pipeline/shared';
import { JOURNAL_PREFIX, type JournalLine } from './journal.js';
import { createProjector } from './project-event.js';
import { summarizeReport, summarizeZip } from './request-summary.js';

export interface RebuildCounts {
  jobs: number;
  events: number;
  applied: number;
  skipped: number;
}

export interface RebuildBase {
  jobs: JobStore;
  logger?: Logger;
}

/** Replays one topic; how the Kafka adapter is reached is the caller's (rebuild.ts). */
export type TopicReplay = (topic: string, onEvent: (event: PipelineEvent) => Promise<void>) => Promise<unknown>;

export async function requireEmpty(jobs: JobStore): Promise<void> {
  const page = await jobs.list({ limit: 1 });
  if (page.items.length > 0) throw new Error('the target read model is not empty: rebuild only into an empty Redis (or another REDIS_URL / database)');
}

export async function rebuildFromKafka({ jobs, logger = silentLogger() }: RebuildBase, replay: TopicReplay): Promise<RebuildCounts> {
  const counts: RebuildCounts = { jobs: 0, events: 0, applied: 0, skipped: 0 };
  for (const topic of [Topic.zipCommands, Topic.reportCommands]) {
    await replay(topic, async (event) => {
      if (event.type === EventType.zipRequested) {
        const data = event.data as ZipRequested;
        const { created } = await jobs.create({ id: data.jobId, type: 'zip', owner: data.owner, input: summarizeZip(data), createdAt: event.time });
        if (created) counts.jobs++;
      } else if (event.type === EventType.reportRequested) {
        const data = event.data as ReportRequested;
        const { created } = await jobs.create({ id: data.jobId, type: 'report', owner: data.owner, input: summarizeReport(data), createdAt: event.time });
        if (created) counts.jobs++;
      }
    });
  }
  const project = createProjector({ jobs, logger });
  await replay(Topic.events, async (event) => {
    counts.events++;
    try {
      if ((await project(event)).applied) counts.applied++;
      else counts.skipped++;
    } catch (err) {
      counts.skipped++;
      logger.warn({ err, eventId: event.id }, 'event not projected during rebuild');
    }
  });
  return counts;
}

export async function rebuildFromJournal(
  { jobs, logger = silentLogger() }: RebuildBase,
  objects: ObjectStore,
  bucket: string,
  prefix = JOURNAL_PREFIX,
): Promise<RebuildCounts> {
  const counts: RebuildCounts = { jobs: 0, events: 0, applied: 0, skipped: 0 };
  const project = createProjector({ jobs, logger });
  for await (const info of objects.list(bucket, prefix)) {
    if (!info.key.endsWith('.jsonl')) continue;
    let text = '';
    for await (const chunk of await objects.get(bucket, info.key)) text += chunk;
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      const line = JSON.parse(raw) as JournalLine;
      const { created } = await jobs.create(line.job);
      if (created) counts.jobs++;
      counts.events++;
      if ((await project(line.event)).applied) counts.applied++;
      else counts.skipped++;
    }
  }
  return counts;
}
