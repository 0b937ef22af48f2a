const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** 1536 → "1.5 KiB"; bytes stay whole ("512 B"). */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)} B`;
  // One decimal below 100, none above ("12.3 MiB", "512 MiB").
  const s = v < 100 ? (Math.round(v * 10) / 10).toFixed(1) : String(Math.round(v));
  // Rounding may reach 1024 ("1024 KiB") → promote.
  if (Number(s) >= 1024 && u < UNITS.length - 1) return `1.0 ${UNITS[u + 1]}`;
  return `${s} ${UNITS[u]}`;
}

/** Bytes per second → "2.5 MiB/s" (always MiB/s, as the transfers panel shows). */
export function formatRate(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec) || bytesPerSec <= 0) return "0.0 MiB/s";
  const mib = bytesPerSec / (1024 * 1024);
  if (mib < 0.1) return `${mib.toFixed(2)} MiB/s`;
  if (mib < 100) return `${mib.toFixed(1)} MiB/s`;
  return `${Math.round(mib)} MiB/s`;
}

/**
 * Time left at the current average rate: "12 s left", "3 min left", "1 h 5 min left"; "" when the
 * rate or total is unknown or nothing is left.
 */
export function formatEta(bytesDone: number, bytesTotal: number, bytesPerSec: number): string {
  const left = bytesTotal - bytesDone;
  if (!(bytesPerSec > 0) || !(bytesTotal > 0) || left <= 0) return "";
  const secs = Math.ceil(left / bytesPerSec);
  if (secs < 60) return `${secs} s left`;
  const min = Math.ceil(secs / 60);
  if (min < 60) return `${min} min left`;
  return `${Math.floor(min / 60)} h ${min % 60} min left`;
}

/** Whole percentage, clamped 0–100; 0 when the total is unknown. */
export function percent(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** "credentials expire in 42 min" from an RFC 3339 instant; null when there is none. */
export function formatExpiry(expiresAt: string | null | undefined, now: number = Date.now()): string | null {
  if (!expiresAt) return null;
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t)) return null;
  const ms = t - now;
  if (ms <= 0) return "credentials expired";
  const min = Math.floor(ms / 60_000);
  if (min < 1) return "credentials expire in less than a minute";
  if (min < 60) return `credentials expire in ${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h < 48) return m ? `credentials expire in ${h} h ${m} min` : `credentials expire in ${h} h`;
  return `credentials expire in ${Math.floor(h / 24)} days`;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** RFC 3339 → local date and time; "" when unknown. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "" : dateFmt.format(new Date(t));
}

/** Characters that change how a name looks without being seen: C0/C1 controls, bidi overrides
 * and isolates (U+202A–202E, U+2066–2069, U+200E/200F, U+061C), zero-width characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]/g;

/** An object name as shown: hidden characters written as `\u{…}`, so `evil\u{202e}txt.exe`
 * cannot pose as `evilexe.txt` (the CLI escapes the same way). */
export function displayName(name: string): string {
  return name.replace(HIDDEN, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
