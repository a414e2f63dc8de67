//! Calendar days as the library counts them: `YYYY-MM-DD` strings and days since the
//! Unix epoch (UTC), without a date library. Used by the store, the library, sync and
//! the app alike, so it sits at the bottom of the crate.

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DD` → days since the epoch.
pub fn parse_day(s: &str) -> Option<i64> {
    let mut it = s.get(..10)?.split('-');
    let (y, m, d) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

/// Days since the epoch → `YYYY-MM-DD`.
pub fn format_day(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today (UTC), in days since the epoch.
pub fn today_utc() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (secs / 86_400) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(format_day(0), "1970-01-01");
        for d in [-1000, 0, 11_016, 19_723, 20_000, 20_785] {
            assert_eq!(parse_day(&format_day(d)), Some(d));
        }
        assert_eq!(
            format_day(parse_day("2024-02-28").unwrap() + 1),
            "2024-02-29"
        );
        assert_eq!(
            format_day(parse_day("2023-12-31").unwrap() + 1),
            "2024-01-01"
        );
        assert_eq!(parse_day("2024-13-01"), None);
    }
}
