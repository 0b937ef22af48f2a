//! Exit codes and human-readable formatting.

use kura_core::{Error, ErrorKind};
use time::OffsetDateTime;

/// Exit codes: 1 other, 2 usage/config, 3 authentication, 4 storage (S3), 5 local files.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    match e.downcast_ref::<Error>().map(Error::kind) {
        Some(ErrorKind::Usage) => 2,
        Some(ErrorKind::Auth) => 3,
        Some(ErrorKind::Storage) => 4,
        Some(ErrorKind::Local) => 5,
        None => 1,
    }
}

/// Bytes in binary units (`1.5 MiB`).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// RFC 3339 time.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// "in 42 min" / "expired 3 min ago".
pub fn relative(t: OffsetDateTime) -> String {
    let s = (t - OffsetDateTime::now_utc()).whole_seconds();
    let fmt = |s: i64| {
        if s >= 3600 {
            format!("{} h {} min", s / 3600, (s % 3600) / 60)
        } else {
            format!("{} min", s / 60)
        }
    };
    if s >= 0 {
        format!("in {}", fmt(s))
    } else {
        format!("expired {} ago", fmt(-s))
    }
}

/// A `YYYY-MM-DD HH:MM:SS` UTC timestamp for listings.
pub fn short_time(t: Option<OffsetDateTime>) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.and_then(|t| t.format(&f).ok()).unwrap_or_else(|| "-".repeat(19))
}
