/**
 * Gives every key of one archive a unique entry name and says what it did, for the job's
 * manifest (DESIGN §7). Names are compared case-insensitively (after NFC, which entryName
 * applies), since Windows and macOS fold case when extracting. A clash gets ' (n)' before
 * the extension: 'a.txt', 'A.TXT' → 'a.txt', 'A (1).TXT'. A name can't be both a file
 * and a folder: a folder whose name a file already took is renamed the same way, and all
 * later keys under it follow it there.
 *
 * Folder markers (keys ending in '/', size 0, as the S3 console's "Create folder" makes)
 * become folder entries, so empty folders survive; a second marker for the same folder
 * is skipped. The prefix's own marker has no name left and is skipped.
 */
import { type RenameReason, type SkipReason, entryName } from './entry-names.js';
import { fitSegment, splitExtension } from './segment-length.js';

export type NameDecision =
  | { status: 'included'; key: string; name: string; directory: boolean }
  | { status: 'renamed'; key: string; name: string; directory: boolean; reasons: RenameReason[] }
  | { status: 'skipped'; key: string; reason: SkipReason; detail: string };

export interface NameAllocator {
  /** The decision for `key` (of `size` bytes); call once per key, in archive order. */
  allocate(key: string, size?: number): NameDecision;
}

export interface NameAllocatorOptions {
  /** The listing prefix the names are relative to; '' (default) for an explicit key list. */
  prefix?: string;
}

export function createNameAllocator({ prefix = '' }: NameAllocatorOptions = {}): NameAllocator {
  const fold = (path: string): string => path.toLowerCase();
  const files = new Set<string>();
  const folders = new Set<string>();
  const folderEntries = new Set<string>();
  /** Folded wanted folder path → the path it was given instead. */
  const movedFolders = new Map<string, string>();
  const isFree = (path: string): boolean => !files.has(fold(path)) && !folders.has(fold(path));

  return {
    allocate(key, size = 0) {
      const result = entryName(key, prefix);
      if (result.kind === 'skip') return { status: 'skipped', key, reason: result.reason, detail: result.detail };
      if (result.directory && size > 0) {
        const detail = `"${key}" ends with '/' like a folder but holds ${size} bytes`;
        return { status: 'skipped', key, reason: 'folder-with-data', detail };
      }
      const reasons = new Set(result.reasons);
      const segments = (result.directory ? result.name.slice(0, -1) : result.name).split('/');
      const file = result.directory ? undefined : segments.pop();

      let parent = '';
      for (const segment of segments) {
        const wanted = join(parent, segment);
        let path = movedFolders.get(fold(wanted)) ?? wanted;
        if (files.has(fold(path))) {
          path = firstFree(parent, segment, isFree);
          movedFolders.set(fold(wanted), path);
        }
        if (path !== wanted) reasons.add('collision');
        folders.add(fold(path));
        parent = path;
      }

      let name: string;
      if (file === undefined) {
        if (folderEntries.has(fold(parent))) {
          return { status: 'skipped', key, reason: 'duplicate-folder', detail: `the folder "${parent}/" is already in the archive` };
        }
        folderEntries.add(fold(parent));
        name = `${parent}/`;
      } else {
        name = join(parent, file);
        if (!isFree(name)) {
          name = firstFree(parent, file, isFree);
          reasons.add('collision');
        }
        files.add(fold(name));
      }
      const directory = file === undefined;
      if (reasons.size === 0) return { status: 'included', key, name, directory };
      return { status: 'renamed', key, name, directory, reasons: [...reasons] };
    },
  };
}

function join(parent: string, segment: string): string {
  return parent === '' ? segment : `${parent}/${segment}`;
}

/**
 * `segment` with ' (n)' before its extension, for the smallest n ≥ 1 that is free; the stem
 * is cut when needed so the segment stays within 255 bytes (segment-length.ts).
 */
function firstFree(parent: string, segment: string, isFree: (path: string) => boolean): string {
  // A leading dot starts a name ('.env'), not an extension.
  const [stem, extension] = splitExtension(segment);
  for (let n = 1; ; n++) {
    const candidate = join(parent, fitSegment(stem, ` (${n})`, extension));
    if (isFree(candidate)) return candidate;
  }
}
