/**
 * MS-DOS date and time fields (APPNOTE 4.4.6) and the Unix time of the Extended
 * Timestamp extra field (0x5455, Info-ZIP; APPNOTE 4.6.1 lists it as third-party).
 *
 * We write the DOS fields in UTC, not in the host's zone, so the same input gives the same
 * bytes on every host. Readers that know 0x5455 (Info-ZIP unzip, 7-Zip, libarchive, Java)
 * show the exact instant in the user's zone; the rest show the UTC wall clock.
 */

export interface DosDateTime {
  /** bits 15–9 year − 1980, 8–5 month, 4–0 day. */
  date: number;
  /** bits 15–11 hour, 10–5 minute, 4–0 seconds / 2. */
  time: number;
}

/** 1980-01-01 00:00:00, the first instant DOS fields can hold. */
const DOS_MIN = { date: (0 << 9) | (1 << 5) | 1, time: 0 } as const;
/** 2107-12-31 23:59:58, the last instant DOS fields can hold (year field is 7 bits). */
const DOS_MAX = { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 } as const;

/**
 * DOS date/time of `when` in UTC, rounded down to even seconds (DOS keeps 2-second steps).
 * Instants outside 1980–2107, and invalid dates, are clamped to the nearest end.
 */
export function toDosDateTime(when: Date): DosDateTime {
  const ms = when.getTime();
  if (Number.isNaN(ms)) return { ...DOS_MIN };
  const year = when.getUTCFullYear();
  if (year < 1980) return { ...DOS_MIN };
  if (year > 2107) return { ...DOS_MAX };
  return {
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
  };
}

/** The UTC instant that DOS date/time fields (as written by `toDosDateTime`) stand for. */
export function fromDosDateTime({ date, time }: DosDateTime): Date {
  return new Date(
    Date.UTC(
      (date >> 9) + 1980,
      ((date >> 5) & 0x0f) - 1,
      date & 0x1f,
      time >> 11,
      (time >> 5) & 0x3f,
      (time & 0x1f) * 2,
    ),
  );
}

/**
 * Seconds since 1970 for the 0x5455 field, or undefined when `when` does not fit the
 * field's signed 32-bit range (before 1970 or after 2038-01-19): then only DOS time is kept.
 */
export function unixSeconds(when: Date): number | undefined {
  const ms = when.getTime();
  if (Number.isNaN(ms)) return undefined;
  const seconds = Math.floor(ms / 1000);
  return seconds >= 0 && seconds <= 0x7fffffff ? seconds : undefined;
}
