/**
 * Parses a whole archive held in memory, the way a central-directory reader does, and
 * also checks what a streaming reader relies on: entries follow each other with no gaps,
 * each descriptor sits right after its data, and the central directory follows the last.
 */
import { inflateRawSync } from 'node:zlib';
import {
  type ParsedDescriptor,
  type ParsedEnd,
  type ParsedEntry,
  type ParsedZip,
  type ParsedZip64End,
  parseCentral,
  parseLocal,
  resolveZip64,
  u64,
} from './zip-records.js';

export * from './zip-records.js';

function parseEnd(b: Buffer): ParsedEnd {
  const at = b.length - 22;
  if (at < 0 || b.readUInt32LE(at) !== 0x06054b50) throw new Error('no end of central directory record in the last 22 bytes');
  if (b.readUInt16LE(at + 4) !== 0 || b.readUInt16LE(at + 6) !== 0) throw new Error('end record names another disk');
  return {
    entriesOnDisk: b.readUInt16LE(at + 8),
    entries: b.readUInt16LE(at + 10),
    centralSize: b.readUInt32LE(at + 12),
    centralOffset: b.readUInt32LE(at + 16),
    commentLength: b.readUInt16LE(at + 20),
    offset: at,
  };
}

function parseZip64End(b: Buffer, endOffset: number): ParsedZip64End | undefined {
  const locatorAt = endOffset - 20;
  if (locatorAt < 0 || b.readUInt32LE(locatorAt) !== 0x07064b50) return undefined;
  const locator = {
    disk: b.readUInt32LE(locatorAt + 4),
    zip64EndOffset: u64(b, locatorAt + 8),
    disks: b.readUInt32LE(locatorAt + 16),
    offset: locatorAt,
  };
  const at = locator.zip64EndOffset;
  if (b.readUInt32LE(at) !== 0x06064b50) throw new Error(`no ZIP64 end record at ${at}`);
  return {
    recordSize: u64(b, at + 4),
    versionMadeBy: b.readUInt16LE(at + 12),
    versionNeeded: b.readUInt16LE(at + 14),
    disk: b.readUInt32LE(at + 16),
    centralDisk: b.readUInt32LE(at + 20),
    entriesOnDisk: u64(b, at + 24),
    entries: u64(b, at + 32),
    centralSize: u64(b, at + 40),
    centralOffset: u64(b, at + 48),
    offset: at,
    locator,
  };
}

function parseDescriptor(b: Buffer, at: number, zip64: boolean): ParsedDescriptor {
  const signature = b.readUInt32LE(at);
  if (signature !== 0x08074b50) throw new Error(`no data descriptor signature at ${at}`);
  return zip64
    ? { signature, crc32: b.readUInt32LE(at + 4), compressedSize: u64(b, at + 8), size: u64(b, at + 16), length: 24 }
    : { signature, crc32: b.readUInt32LE(at + 4), compressedSize: b.readUInt32LE(at + 8), size: b.readUInt32LE(at + 12), length: 16 };
}

export function parseZip(b: Buffer): ParsedZip {
  const end = parseEnd(b);
  const zip64End = parseZip64End(b, end.offset);
  const pick = (classic: number, mark: number, wide: number | undefined): number => {
    if (wide === undefined) return classic;
    if (classic !== mark && classic !== wide) throw new Error(`end record says ${classic}, ZIP64 end record ${wide}`);
    return wide;
  };
  const count = pick(end.entries, 0xffff, zip64End?.entries);
  const centralOffset = pick(end.centralOffset, 0xffffffff, zip64End?.centralOffset);
  const centralSize = pick(end.centralSize, 0xffffffff, zip64End?.centralSize);

  const entries: ParsedEntry[] = [];
  let at = centralOffset;
  let expectedLocal = 0;
  for (let i = 0; i < count; i++) {
    const { record: central, next } = parseCentral(b, at);
    at = next;
    const wide = resolveZip64(central);
    if (wide.offset !== expectedLocal) throw new Error(`${central.name}: local header at ${wide.offset}, previous entry ended at ${expectedLocal}`);
    const local = parseLocal(b, wide.offset);
    if (local.name !== central.name) throw new Error(`local name "${local.name}" ≠ central name "${central.name}"`);
    const raw = b.subarray(local.dataOffset, local.dataOffset + wide.compressedSize);
    let endOfEntry = local.dataOffset + wide.compressedSize;
    let descriptor: ParsedDescriptor | undefined;
    if (local.flags & 0x0008) {
      descriptor = parseDescriptor(b, endOfEntry, local.extras.some((e) => e.id === 0x0001));
      endOfEntry += descriptor.length;
    }
    const content = central.method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    const entry: ParsedEntry = { central, wide, local, raw, content, end: endOfEntry };
    if (descriptor) entry.descriptor = descriptor;
    entries.push(entry);
    expectedLocal = endOfEntry;
  }
  if (centralOffset !== expectedLocal) throw new Error(`central directory at ${centralOffset}, last entry ended at ${expectedLocal}`);
  if (at - centralOffset !== centralSize) throw new Error(`central directory is ${at - centralOffset} bytes, end record says ${centralSize}`);
  const trailerStart = zip64End ? zip64End.offset : end.offset;
  if (at !== trailerStart) throw new Error(`central directory ends at ${at}, end records start at ${trailerStart}`);
  return zip64End ? { end, zip64End, entries } : { end, entries };
}
