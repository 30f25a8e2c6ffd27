/**
 * A test helper: checks a real HTTP response against the OpenAPI document — the status is
 * one the operation declares, required headers are there, the content type is a declared
 * one, and the JSON body validates (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it). A
 * `text/event-stream` body is read as Server-Sent Events: each event validates against the
 * media type's schema, and its `data` (JSON) against that schema's `contentSchema`.
 * Reusable by every service's contract test: `createOpenApiChecker().check(res, 'POST', '/v1/zip-jobs')`.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from './openapi-document.js';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export interface CheckedResponse {
  status: number;
  headers: Headers;
  /** The body text, as read from the response. */
  text: string;
}

export interface OpenApiChecker {
  /** Problems found (empty = conforms). `pathTemplate` as in the document, e.g. `/v1/jobs/{id}`. */
  check(res: CheckedResponse, method: string, pathTemplate: string): string[];
  /** Reads a fetch Response and checks it; returns the problems and the parsed body. */
  checkFetch(res: Response, method: string, pathTemplate: string): Promise<{ problems: string[]; body: unknown }>;
}

type EventSchema = { properties?: { data?: { contentSchema?: unknown } } };

interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

function parseEvent(block: string): ServerSentEvent | undefined {
  const fields: { event?: string; id?: string; data: string[] } = { data: [] };
  for (const line of block.split(/\r\n|\n|\r/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'data') fields.data.push(value);
    else if (name === 'event') fields.event = value;
    else if (name === 'id') fields.id = value;
  }
  if (fields.data.length === 0) return undefined;
  return { event: fields.event ?? 'message', data: fields.data.join('\n'), ...(fields.id !== undefined ? { id: fields.id } : {}) };
}

type Operation = { responses?: Record<string, ResponseObject> };
type ResponseObject = { $ref?: string; headers?: Record<string, { $ref?: string; required?: boolean }>; content?: Record<string, { schema?: unknown }> };

export function createOpenApiChecker(doc: Readonly<Record<string, unknown>> = openApiDocument): OpenApiChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi' } as Record<string, unknown>);
  const validators = new Map<string, ValidateFunction>();
  const resolve = <T>(value: T & { $ref?: string }): T => {
    if (!value.$ref) return value;
    let node: unknown = doc;
    for (const part of value.$ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[part];
    return node as T;
  };

  function check(res: CheckedResponse, method: string, pathTemplate: string): string[] {
    const where = `${method.toUpperCase()} ${pathTemplate} → ${res.status}`;
    const item = (doc.paths as Record<string, Record<string, Operation>>)[pathTemplate];
    const operation = item?.[method.toLowerCase()];
    if (!operation) return [`${where}: no such operation in the document`];
    const declared = operation.responses?.[String(res.status)] ?? operation.responses?.[`${String(res.status)[0]}XX`] ?? operation.responses?.default;
    if (!declared) return [`${where}: status not declared (declared: ${Object.keys(operation.responses ?? {}).join(', ')})`];
    const response = resolve(declared);
    const problems: string[] = [];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (resolve(header).required && !res.headers.has(name)) problems.push(`${where}: header ${name} is required`);
    }
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) return problems;
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const media = content[type];
    if (!media) return [...problems, `${where}: content type ${type || '(none)'} not declared (declared: ${Object.keys(content).join(', ')})`];
    if (type === 'text/event-stream' && media.schema !== undefined) {
      const base = declared.$ref
        ? `openapi${declared.$ref}/content/text~1event-stream/schema`
        : `openapi#/paths/${pathTemplate.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${res.status}/content/text~1event-stream/schema`;
      return [...problems, ...checkEvents(res.text, base, media.schema as EventSchema, where)];
    }
    if (!type.endsWith('json') || media.schema === undefined) return problems;
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      return [...problems, `${where}: body is not JSON`];
    }
    const key = `${pathTemplate} ${method} ${res.status} ${type}`;
    let validate = validators.get(key);
    if (!validate) {
      const pointer = `openapi#/paths/${pathTemplate.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${res.status in (operation.responses ?? {}) ? res.status : 'default'}`;
      const schemaRef = declared.$ref ? `openapi${declared.$ref}/content/${type.replace('/', '~1')}/schema` : `${pointer}/content/${type.replace('/', '~1')}/schema`;
      validators.set(key, (validate = ajv.compile({ $ref: schemaRef })));
    }
    if (!validate(body)) {
      for (const e of validate.errors ?? []) problems.push(`${where}: body${e.instancePath} ${e.message ?? 'is invalid'}`);
    }
    return problems;
  }

  function compiled(ref: string): ValidateFunction {
    let validate = validators.get(ref);
    if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: ref })));
    return validate;
  }

  /** SSE (WHATWG HTML §9.2.6): events end at a blank line; `:` lines are comments. */
  function checkEvents(text: string, ref: string, schema: EventSchema, where: string): string[] {
    const problems: string[] = [];
    const events = text.split(/\r\n\r\n|\n\n|\r\r/).map(parseEvent).filter((e) => e !== undefined);
    events.forEach((event, i) => {
      const validate = compiled(ref);
      if (!validate(event)) for (const e of validate.errors ?? []) problems.push(`${where}: event ${i}${e.instancePath} ${e.message ?? 'is invalid'}`);
      if (schema.properties?.data?.contentSchema === undefined) return;
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        problems.push(`${where}: event ${i} data is not JSON`);
        return;
      }
      const validateData = compiled(`${ref}/properties/data/contentSchema`);
      if (!validateData(data)) for (const e of validateData.errors ?? []) problems.push(`${where}: event ${i} data${e.instancePath} ${e.message ?? 'is invalid'}`);
    });
    return problems;
  }

  return {
    check,
    async checkFetch(res, method, pathTemplate) {
      const text = await res.text();
      const problems = check({ status: res.status, headers: res.headers, text }, method, pathTemplate);
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { problems, body };
    },
  };
}
