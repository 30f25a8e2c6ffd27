"""Reads every entry of a ZIP with Python's zipfile, streaming, and prints one JSON line each.

Used by zip-readers.test.ts: zipfile reads the central directory (ZIP64 included), checks
each local header's name against it and each entry's CRC-32 when the entry is read to its end.
"""
import hashlib
import json
import sys
import zipfile

CHUNK = 1 << 20


def main(path: str) -> None:
    out = sys.stdout
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            digest = hashlib.sha256()
            size = 0
            if not info.is_dir():
                with archive.open(info) as entry:
                    while True:
                        chunk = entry.read(CHUNK)
                        if not chunk:
                            break
                        digest.update(chunk)
                        size += len(chunk)
            out.write(json.dumps({
                "name": info.filename,
                "directory": info.is_dir(),
                "size": size,
                "declaredSize": info.file_size,
                "sha256": digest.hexdigest(),
                "utf8": bool(info.flag_bits & 0x800),
            }) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
