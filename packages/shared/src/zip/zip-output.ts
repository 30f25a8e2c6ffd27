/**
 * The archive's bytes as a Readable that pulls: `write` resolves only while the consumer
 * (an S3 multipart upload) keeps up, so what the writer holds is bounded by the stream's
 * high-water mark plus one 64 KiB piece, whatever the entry sizes.
 */
import { Readable } from 'node:stream';
import { ErrorCode, PipelineError } from '../errors.js';

/** Largest piece pushed at once, in bytes; a bigger chunk is split so the bound holds. */
const PIECE_BYTES = 64 * 1024;
/** Default bytes buffered for the consumer before `write` waits: 256 KiB. */
export const DEFAULT_HIGH_WATER_MARK = 256 * 1024;

export interface ZipOutput {
  readonly stream: Readable;
  /** Bytes handed to the stream so far: the offset of the next byte in the archive. */
  readonly bytesWritten: number;
  /** Hands `chunk` on, waiting while the consumer is behind; rejects once the stream is gone. */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the stream after the bytes already written. */
  end(): void;
  /** Destroys the stream with `err`, so the consumer (and its upload) fails too. */
  fail(err: Error): void;
}

export interface ZipOutputOptions {
  highWaterMark?: number;
  /** Called once if the stream closes before `end` (the consumer gave up, or `fail`). */
  onClose?: (err: Error) => void;
}

export function createZipOutput({ highWaterMark = DEFAULT_HIGH_WATER_MARK, onClose }: ZipOutputOptions = {}): ZipOutput {
  let bytesWritten = 0;
  let ended = false;
  let closedError: Error | undefined;
  let wake: (() => void) | undefined;

  const resume = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const stream = new Readable({ highWaterMark, read: resume });
  stream.once('close', () => {
    if (ended && stream.readableEnded) return;
    closedError ??= new PipelineError('the archive stream was closed before the archive was finished', {
      code: ErrorCode.ABORTED,
      retriable: true,
    });
    resume();
    onClose?.(closedError);
  });

  async function write(chunk: Uint8Array): Promise<void> {
    for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
      if (closedError) throw closedError;
      const piece = Buffer.from(chunk.buffer, chunk.byteOffset + at, Math.min(PIECE_BYTES, chunk.length - at));
      bytesWritten += piece.length;
      // push() never calls read() synchronously, so after `false` we wait for the next call
      if (!stream.push(piece)) await new Promise<void>((resolve) => (wake = resolve));
    }
    if (closedError) throw closedError;
  }

  return {
    stream,
    get bytesWritten() {
      return bytesWritten;
    },
    write,
    end() {
      ended = true;
      stream.push(null);
    },
    fail(err) {
      closedError ??= err;
      stream.destroy(err);
    },
  };
}
