// Numbers, sizes, durations, dates and relative times in the UI's language, with Intl (the
// formatters are cached per language); the words around them come from the catalogue.
import { currentLanguage, t, type Language } from "../i18n";

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** One cached Intl formatter per language and options. */
function cached<F>(make: (lang: Language) => F): () => F {
  const byLang = new Map<Language, F>();
  return () => {
    const lang = currentLanguage();
    let f = byLang.get(lang);
    if (!f) {
      f = make(lang);
      byLang.set(lang, f);
    }
    return f;
  };
}

const whole = cached((lang) => new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }));
const oneDecimal = cached((lang) => new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const twoDecimals = cached((lang) => new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

/** 100000 → "100,000" (grouped as the language writes numbers). */
export function formatNumber(n: number): string {
  return whole().format(n);
}

/** 1536 → "1.5 KiB"; bytes stay whole ("512 B", "1,023 B"). Binary units in every language. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${whole().format(Math.round(v))} B`;
  // One decimal below 100, none above ("12.3 MiB", "512 MiB").
  const rounded = v < 100 ? Math.round(v * 10) / 10 : Math.round(v);
  // Rounding may reach 1024 ("1024 KiB") → promote.
  if (rounded >= 1024 && u < UNITS.length - 1) return `${oneDecimal().format(1)} ${UNITS[u + 1]}`;
  return `${v < 100 ? oneDecimal().format(rounded) : whole().format(rounded)} ${UNITS[u]}`;
}

/** Bytes per second → "2.5 MiB/s" (always MiB/s, as the transfers panel shows). */
export function formatRate(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec) || bytesPerSec <= 0) return `${oneDecimal().format(0)} MiB/s`;
  const mib = bytesPerSec / (1024 * 1024);
  if (mib < 0.1) return `${twoDecimals().format(mib)} MiB/s`;
  if (mib < 100) return `${oneDecimal().format(mib)} MiB/s`;
  return `${whole().format(Math.round(mib))} MiB/s`;
}

type DurationUnit = "second" | "minute" | "hour" | "day";

const unitFormats = new Map<string, Intl.NumberFormat>();
function unitFormat(lang: Language, unit: DurationUnit): Intl.NumberFormat {
  const key = `${lang}:${unit}`;
  let f = unitFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay: "short" });
    unitFormats.set(key, f);
  }
  return f;
}
const unitList = cached((lang) => new Intl.ListFormat(lang, { type: "unit", style: "short" }));

/** Amounts of units → "1 hr, 5 min" / "1 時間 5 分" (Intl.NumberFormat units joined by
 * Intl.ListFormat: what Intl.DurationFormat does, which the webview may lack). Zero parts are
 * left out, except when all are zero. */
export function formatDuration(parts: Array<[number, DurationUnit]>): string {
  const lang = currentLanguage();
  const shown = parts.filter(([n]) => n !== 0);
  const list = (shown.length ? shown : parts.slice(-1)).map(([n, unit]) => unitFormat(lang, unit).format(n));
  return unitList().format(list);
}

/** Whole seconds → the largest fitting units: "12 sec", "3 min", "1 hr, 5 min". */
function durationOfSeconds(secs: number): string {
  if (secs < 60) return formatDuration([[secs, "second"]]);
  const min = Math.ceil(secs / 60);
  if (min < 60) return formatDuration([[min, "minute"]]);
  return formatDuration([
    [Math.floor(min / 60), "hour"],
    [min % 60, "minute"],
  ]);
}

/**
 * Time left at the current average rate: "12 sec left", "3 min left", "1 hr, 5 min left"; "" when
 * the rate or total is unknown or nothing is left.
 */
export function formatEta(bytesDone: number, bytesTotal: number, bytesPerSec: number): string {
  const left = bytesTotal - bytesDone;
  if (!(bytesPerSec > 0) || !(bytesTotal > 0) || left <= 0) return "";
  return t("format.timeLeft", { duration: durationOfSeconds(Math.ceil(left / bytesPerSec)) });
}

/** Whole percentage, clamped 0–100; 0 when the total is unknown. */
export function percent(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** "credentials expire in 42 min" from an RFC 3339 instant (whole minutes, rounded down, like
 * the tray); null when there is none. */
export function formatExpiry(expiresAt: string | null | undefined, now: number = Date.now()): string | null {
  if (!expiresAt) return null;
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return null;
  const ms = at - now;
  if (ms <= 0) return t("format.expired");
  const min = Math.floor(ms / 60_000);
  if (min < 1) return t("format.expiresSoon");
  const h = Math.floor(min / 60);
  const duration =
    min < 60
      ? formatDuration([[min, "minute"]])
      : h < 48
        ? formatDuration([
            [h, "hour"],
            [min % 60, "minute"],
          ])
        : formatDuration([[Math.floor(h / 24), "day"]]);
  return t("format.expiresIn", { duration });
}

const dateFmt = cached((lang) => new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }));

/** RFC 3339 → local date and time in the UI's language; "" when unknown. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const at = Date.parse(iso);
  return Number.isNaN(at) ? "" : dateFmt().format(new Date(at));
}

const relativeFmt = cached((lang) => new Intl.RelativeTimeFormat(lang, { numeric: "auto" }));

/** An RFC 3339 instant relative to `now`: "in 1 hour", "3 days ago", "1 時間後" (the largest
 * whole unit, rounded towards now); "" when unknown. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "";
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const secs = (at - now) / 1000;
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of steps) {
    if (Math.abs(secs) >= size) return relativeFmt().format(Math.trunc(secs / size), unit);
  }
  return relativeFmt().format(Math.trunc(secs), "second");
}

const listFmt = cached((lang) => new Intl.ListFormat(lang, { type: "conjunction", style: "narrow" }));

/** Items as a list in the UI's language: "a, b, c" / "a、b、c". */
export function formatList(items: string[]): string {
  return listFmt().format(items);
}

const percentFmt = cached((lang) => new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }));

/** A whole percentage (0–100) → "45%". */
export function formatPercent(pct: number): string {
  return percentFmt().format(pct / 100);
}

/** An amount of one unit, spelled out: "15 minutes", "1 hour" / "15 分", "1 時間". */
export function formatUnitLong(n: number, unit: DurationUnit): string {
  return new Intl.NumberFormat(currentLanguage(), { style: "unit", unit, unitDisplay: "long" }).format(n);
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
