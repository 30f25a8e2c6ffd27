/**
 * Dead letters on SQS: the original body goes to `<queue>-dlq` with the reason as message
 * attributes (`ap-error-code`, `ap-error-message`, `ap-attempts`, `ap-source-topic`), and
 * drainDeadLetters reads them back. Messages SQS redrove on its own (maxReceiveCount, after
 * consumers crashed) carry no reason attributes; they are reported as REDRIVEN.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter } from '../ports/bus.js';

/** SQS caps a message attribute value with the rest of the message at 256 KiB; keep reasons short. */
const MAX_REASON_CHARS = 4_000;

export interface DeadLetterInput {
  /** The message body exactly as it arrived. */
  body: string;
  reason: { code: string; message: string };
  attempts: number;
  topic: string;
  /** The per-hop trace attributes it carried, kept so the dead letter stays in its trace. */
  traceAttributes?: Record<string, MessageAttributeValue>;
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

export async function sendToDeadLetter(client: SQSClient, dlqUrl: string, letter: DeadLetterInput): Promise<void> {
  await client.send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: letter.body,
      MessageAttributes: {
        ...letter.traceAttributes,
        'ap-error-code': text(letter.reason.code || 'INTERNAL'),
        'ap-error-message': text((letter.reason.message || '(no message)').slice(0, MAX_REASON_CHARS)),
        'ap-attempts': { DataType: 'Number', StringValue: String(letter.attempts) },
        'ap-source-topic': text(letter.topic),
      },
    }),
  );
}

function toDeadLetter(message: Message, topic: string): DeadLetter {
  const attr = (name: string): string | undefined => message.MessageAttributes?.[name]?.StringValue;
  const attempts = Number(attr('ap-attempts') ?? message.Attributes?.ApproximateReceiveCount ?? 0);
  const code = attr('ap-error-code');
  return {
    body: message.Body ?? '',
    reason: code
      ? { code, message: attr('ap-error-message') ?? '' }
      : { code: 'REDRIVEN', message: 'moved to the dead-letter queue by the redrive policy (maxReceiveCount)' },
    attempts: Number.isFinite(attempts) ? attempts : 0,
    topic: attr('ap-source-topic') ?? topic,
  };
}

/**
 * Receives up to `max` dead letters and deletes them. Short polls (WaitTimeSeconds 0) so an
 * empty DLQ answers at once; what fails to delete shows up again after 30 s.
 */
export async function drainDeadLetterQueue(
  client: SQSClient,
  dlqUrl: string,
  topic: string,
  max: number,
): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  while (out.length < max) {
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - out.length),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) break;
    out.push(...messages.map((m) => toDeadLetter(m, topic)));
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return out;
}
