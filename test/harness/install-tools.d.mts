/** Types for install-tools.mjs (plain JavaScript so the runner needs no build). */
export const toolsDir: string;
export const toolsBin: string;
export const toolsVenv: string;
export const toolsPython: string;
export const helmModule: string;
export const hclfmtModule: string;
export const opsPythonRequirements: string[];
export const helmBin: string;
export const checkovBin: string;
export const hadolintBin: string;
export function hclFormatter(): { command: string; args: string[] };
export function ensureOpsTools(): Promise<void>;
export function ensureImageNode(version: string): Promise<string>;
