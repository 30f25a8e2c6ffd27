/**
 * Store or deflate. Deflating data that is already compressed costs CPU (raw deflate runs
 * at ~40 MB/s on incompressible input against ~300 MB/s on text, zlib level 6) and makes
 * it slightly larger, so in 'auto' mode such files are stored. They are recognised by the
 * last extension of the key or by the Content-Type S3 keeps for the object.
 */
import type { ZipMethod } from '@artifact-pipeline/shared/zip/index';

export type CompressionMode = 'auto' | 'store' | 'deflate';

/** Extensions of formats that are compressed already (lower case, without the dot). */
const COMPRESSED_EXTENSIONS = new Set([
  // archives and compressed streams
  'zip', 'zipx', 'gz', 'tgz', 'bz2', 'tbz', 'tbz2', 'xz', 'txz', 'lz', 'lzma', 'lz4', 'zst', 'tzst',
  'z', '7z', 'rar', 'cab', 'br', 'sz',
  // zip containers
  'jar', 'war', 'ear', 'apk', 'aab', 'ipa', 'xpi', 'whl', 'nupkg', 'vsix', 'epub', 'kmz',
  'docx', 'xlsx', 'pptx', 'docm', 'xlsm', 'pptm', 'odt', 'ods', 'odp', 'odg', 'pages', 'numbers',
  // images
  'jpg', 'jpeg', 'jfif', 'png', 'apng', 'gif', 'webp', 'heic', 'heif', 'avif', 'jxl', 'jp2',
  // audio
  'mp3', 'm4a', 'aac', 'ogg', 'oga', 'opus', 'flac', 'wma',
  // video
  'mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'wmv', 'flv', 'mpg', 'mpeg', 'm2ts', '3gp', 'ogv',
  // documents and fonts that compress their own streams
  'pdf', 'woff', 'woff2', 'swf',
]);

/** Content types of formats that are compressed already (without parameters). */
const COMPRESSED_TYPES = new Set([
  'application/zip', 'application/x-zip-compressed', 'application/gzip', 'application/x-gzip',
  'application/x-bzip2', 'application/x-xz', 'application/zstd', 'application/x-lzip', 'application/x-lz4',
  'application/x-7z-compressed', 'application/vnd.rar', 'application/x-rar-compressed', 'application/x-brotli',
  'application/java-archive', 'application/vnd.android.package-archive', 'application/epub+zip',
  'application/pdf', 'application/x-shockwave-flash', 'font/woff', 'font/woff2',
  'image/jpeg', 'image/png', 'image/apng', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'image/avif',
  'image/jxl', 'image/jp2', 'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/ogg', 'audio/opus', 'audio/flac',
  'audio/webm', 'audio/x-ms-wma',
]);

/** Prefixes of content types that are compressed containers whatever the subtype. */
const COMPRESSED_TYPE_PREFIXES = [
  'video/', // every common video codec compresses
  'application/vnd.openxmlformats-officedocument.', // docx, xlsx, pptx
  'application/vnd.oasis.opendocument.', // odt, ods, odp
];

/** How to write the entry for `key`: `mode` decides unless it is 'auto'. */
export function chooseMethod(key: string, contentType: string | undefined, mode: CompressionMode): ZipMethod {
  if (mode !== 'auto') return mode;
  return isCompressedAlready(key, contentType) ? 'store' : 'deflate';
}

function isCompressedAlready(key: string, contentType: string | undefined): boolean {
  const file = key.slice(key.lastIndexOf('/') + 1);
  const dot = file.lastIndexOf('.');
  if (dot > 0 && COMPRESSED_EXTENSIONS.has(file.slice(dot + 1).toLowerCase())) return true;
  if (contentType === undefined) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return COMPRESSED_TYPES.has(type) || COMPRESSED_TYPE_PREFIXES.some((prefix) => type.startsWith(prefix));
}
