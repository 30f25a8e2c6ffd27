/** Types for crd-schemas.mjs (plain JavaScript so it runs with no build). */
export const CRD_SOURCES: { module: string; files: string[] }[];
export function moduleDir(module: string): string;
export function toJsonSchema(node: unknown): unknown;
export function schemasOf(crdText: string, source: string): { file: string; schema: Record<string, unknown> }[];
export function generate(outDir: string): string[];
