/**
 * The public API of events: envelope, payload schemas and types, the registry,
 * creating and validating events, and the SQS / Kafka / HTTP codecs.
 */
export * from './envelope.js';
export * from './payloads.js';
export { MAX_KEY_BYTES, MAX_KEYS, isRfc3339 } from './payload-fields.js';
export { eventRegistry, isEventType, dataschemaFor, SCHEMA_BASE_URL } from './event-registry.js';
export type { EventSpec, ValidateOptions } from './event-registry.js';
export { isEventOfType } from './event-types.js';
export type { TypedEvent, AnyPipelineEvent } from './event-types.js';
export { createEvent, serviceSource } from './create-event.js';
export type { CreateEventOptions } from './create-event.js';
export { parseEvent, invalidEvent } from './parse-event.js';
export type { ParseEventOptions } from './parse-event.js';
export { MAX_REPORTED_ERRORS } from './validation-errors.js';
export { toSqsBody, fromSqsBody } from './codec-sqs.js';
export { toKafkaMessage, fromKafkaMessage } from './codec-kafka.js';
export type { KafkaOutboundMessage, KafkaInboundMessage } from './codec-kafka.js';
export { toHttpRequest, fromHttpRequest } from './codec-http.js';
export type { HttpContentMode, HttpEventRequest } from './codec-http.js';
export { schemaDocuments } from './schema-documents.js';
export type { SchemaDocument } from './schema-documents.js';
