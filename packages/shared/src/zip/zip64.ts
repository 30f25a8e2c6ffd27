/**
 * ZIP64 (APPNOTE 4.3.14, 4.3.15, 4.4.3, 4.5.3): when a size, an offset or the entry count
 * does not fit its classic field, that field holds all ones and the real value moves to a
 * ZIP64 structure.
 */

/** A 32-bit field at this value means "the real value is in the ZIP64 extra" (APPNOTE 4.5.3). */
export const ZIP64_MARK_32 = 0xffffffff;
/** A 16-bit entry count at this value means "see the ZIP64 end record" (APPNOTE 4.4.1.4). */
export const ZIP64_MARK_16 = 0xffff;
/** "Version needed to extract" for any record that uses ZIP64 (APPNOTE 4.4.3.2: 4.5). */
export const VERSION_ZIP64 = 45;
/** Header ID of the ZIP64 extended information extra field (APPNOTE 4.5.2). */
export const ZIP64_EXTRA_ID = 0x0001;

/**
 * Raw deflate can grow incompressible input: zlib's deflateBound is n + n/4096 + n/16384
 * + n/2^25 + 7 bytes, about 0.03 % (1.3 MB at 4 GiB; measured through Node's streams:
 * 0.0305–0.0307 % at levels 1–9, 0.0153 % at level 0). An entry whose compressed size could
 * reach 0xFFFFFFFF must announce ZIP64 in its local header before a byte of it is written,
 * so deflated entries within this margin (16 MiB, over ten times the growth at 4 GiB) of
 * the limit are treated as large.
 */
export const DEFLATE_GROWTH_MARGIN = 16 * 1024 * 1024;

/** True when `value` cannot be stored in a 32-bit field (all ones is reserved as the mark). */
export function exceeds32(value: number): boolean {
  return value >= ZIP64_MARK_32;
}

/**
 * Whether an entry's local header must carry the ZIP64 extra with both sizes (APPNOTE
 * 4.5.3: "This entry in the Local header MUST include BOTH original and compressed file
 * size fields"). Decided from the size known before writing; a stored entry's compressed
 * size equals its size, a deflated one may exceed it by up to DEFLATE_GROWTH_MARGIN.
 */
export function needsZip64LocalHeader(size: number, method: 'store' | 'deflate'): boolean {
  const worst = method === 'store' ? size : size + DEFLATE_GROWTH_MARGIN;
  return exceeds32(worst);
}

/** Writes a non-negative safe integer as 8 little-endian bytes. */
export function writeUInt64LE(buffer: Buffer, value: number, offset: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a 64-bit size: ${value}`);
  buffer.writeUInt32LE(value % 0x1_0000_0000, offset);
  buffer.writeUInt32LE(Math.floor(value / 0x1_0000_0000), offset + 4);
  return offset + 8;
}

/** Reads 8 little-endian bytes as a number (exact below 2^53, which every real size is). */
export function readUInt64LE(buffer: Buffer, offset: number): number {
  return buffer.readUInt32LE(offset) + buffer.readUInt32LE(offset + 4) * 0x1_0000_0000;
}

/**
 * The ZIP64 extended information extra field holding `values` in APPNOTE 4.5.3 order
 * (original size, compressed size, local header offset). The caller passes exactly the
 * values whose classic fields hold ZIP64_MARK_32, in that order: strict readers (the
 * JDK's ZipFile checks CEN extras) reject a block whose length does not match the marks.
 */
export function zip64ExtraField(values: readonly number[]): Buffer {
  const field = Buffer.alloc(4 + 8 * values.length);
  field.writeUInt16LE(ZIP64_EXTRA_ID, 0);
  field.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => writeUInt64LE(field, value, 4 + 8 * i));
  return field;
}
