/**
 * A small, strict ZIP reader for the writer's unit tests: it reads each structure at the
 * offsets APPNOTE 6.3.x gives (4.3.7 local header, 4.3.9 descriptor, 4.3.12 central header,
 * 4.3.14–4.3.16 end records) and returns every field, so tests can compare field by field.
 * It is deliberately independent of the writer's own code (no shared constants).
 */
export interface ParsedExtra {
  id: number;
  data: Buffer;
}

export interface ParsedLocal {
  offset: number;
  versionNeeded: number;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  crc32: number;
  compressedSize: number;
  size: number;
  name: string;
  extras: ParsedExtra[];
  dataOffset: number;
}

export interface ParsedCentral {
  versionMadeBy: number;
  versionNeeded: number;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  crc32: number;
  compressedSize: number;
  size: number;
  diskStart: number;
  internalAttributes: number;
  externalAttributes: number;
  localHeaderOffset: number;
  name: string;
  extras: ParsedExtra[];
  commentLength: number;
}

export interface ParsedDescriptor {
  signature: number;
  crc32: number;
  compressedSize: number;
  size: number;
  length: number;
}

export interface ParsedEntry {
  /** The central record's fields as written (ZIP64 marks included). */
  central: ParsedCentral;
  /** Size, compressed size and local header offset with the ZIP64 extra applied. */
  wide: { size: number; compressedSize: number; offset: number };
  local: ParsedLocal;
  /** The entry's bytes as stored (compressed for method 8). */
  raw: Buffer;
  /** The entry's content. */
  content: Buffer;
  descriptor?: ParsedDescriptor;
  /** Offset just past this entry's data (and descriptor). */
  end: number;
}

export interface ParsedEnd {
  entriesOnDisk: number;
  entries: number;
  centralSize: number;
  centralOffset: number;
  commentLength: number;
  offset: number;
}

export interface ParsedZip64End {
  recordSize: number;
  versionMadeBy: number;
  versionNeeded: number;
  disk: number;
  centralDisk: number;
  entriesOnDisk: number;
  entries: number;
  centralSize: number;
  centralOffset: number;
  offset: number;
  locator: { disk: number; zip64EndOffset: number; disks: number; offset: number };
}

export interface ParsedZip {
  end: ParsedEnd;
  zip64End?: ParsedZip64End;
  entries: ParsedEntry[];
}

export const u64 = (b: Buffer, at: number): number => b.readUInt32LE(at) + b.readUInt32LE(at + 4) * 2 ** 32;

function expectSignature(b: Buffer, at: number, signature: number, what: string): void {
  const found = b.readUInt32LE(at);
  if (found !== signature) throw new Error(`${what} at ${at}: signature 0x${found.toString(16)}, expected 0x${signature.toString(16)}`);
}

export function parseExtras(b: Buffer): ParsedExtra[] {
  const extras: ParsedExtra[] = [];
  for (let at = 0; at < b.length; ) {
    if (at + 4 > b.length) throw new Error('extra field header runs past the extra area');
    const id = b.readUInt16LE(at);
    const size = b.readUInt16LE(at + 2);
    if (at + 4 + size > b.length) throw new Error(`extra 0x${id.toString(16)} runs past the extra area`);
    extras.push({ id, data: b.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
  }
  return extras;
}

export function parseLocal(b: Buffer, at: number): ParsedLocal {
  expectSignature(b, at, 0x04034b50, 'local file header');
  const nameLength = b.readUInt16LE(at + 26);
  const extraLength = b.readUInt16LE(at + 28);
  return {
    offset: at,
    versionNeeded: b.readUInt16LE(at + 4),
    flags: b.readUInt16LE(at + 6),
    method: b.readUInt16LE(at + 8),
    dosTime: b.readUInt16LE(at + 10),
    dosDate: b.readUInt16LE(at + 12),
    crc32: b.readUInt32LE(at + 14),
    compressedSize: b.readUInt32LE(at + 18),
    size: b.readUInt32LE(at + 22),
    name: b.toString('utf8', at + 30, at + 30 + nameLength),
    extras: parseExtras(b.subarray(at + 30 + nameLength, at + 30 + nameLength + extraLength)),
    dataOffset: at + 30 + nameLength + extraLength,
  };
}

export function parseCentral(b: Buffer, at: number): { record: ParsedCentral; next: number } {
  expectSignature(b, at, 0x02014b50, 'central directory header');
  const nameLength = b.readUInt16LE(at + 28);
  const extraLength = b.readUInt16LE(at + 30);
  const commentLength = b.readUInt16LE(at + 32);
  const record: ParsedCentral = {
    versionMadeBy: b.readUInt16LE(at + 4),
    versionNeeded: b.readUInt16LE(at + 6),
    flags: b.readUInt16LE(at + 8),
    method: b.readUInt16LE(at + 10),
    dosTime: b.readUInt16LE(at + 12),
    dosDate: b.readUInt16LE(at + 14),
    crc32: b.readUInt32LE(at + 16),
    compressedSize: b.readUInt32LE(at + 20),
    size: b.readUInt32LE(at + 24),
    diskStart: b.readUInt16LE(at + 34),
    internalAttributes: b.readUInt16LE(at + 36),
    externalAttributes: b.readUInt32LE(at + 38),
    localHeaderOffset: b.readUInt32LE(at + 42),
    name: b.toString('utf8', at + 46, at + 46 + nameLength),
    extras: parseExtras(b.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength)),
    commentLength,
  };
  return { record, next: at + 46 + nameLength + extraLength + commentLength };
}

/** The 64-bit values of a central record, with its ZIP64 extra applied (APPNOTE 4.5.3). */
export function resolveZip64(record: ParsedCentral): { size: number; compressedSize: number; offset: number } {
  const zip64 = record.extras.find((e) => e.id === 0x0001)?.data;
  let at = 0;
  const take = (value: number): number => {
    if (value !== 0xffffffff) return value;
    if (!zip64 || at + 8 > zip64.length) throw new Error(`${record.name}: field marked ZIP64 but missing from the extra`);
    const v = u64(zip64, at);
    at += 8;
    return v;
  };
  const size = take(record.size);
  const compressedSize = take(record.compressedSize);
  const offset = take(record.localHeaderOffset);
  if (zip64 && at !== zip64.length) throw new Error(`${record.name}: ZIP64 extra has ${zip64.length} bytes, marks need ${at}`);
  return { size, compressedSize, offset };
}
