//! UTC timestamps for the audit log and `--since`, without a date library.

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 for a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
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

/// `2026-11-24T16:05:09.123Z`
pub fn rfc3339(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// A `--since` value that is not a time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a time: use a UTC date like 2026-11-24, a date and time like 2026-11-24T16:05, or an age like 90m, 12h, 7d, 2w")]
pub struct NotATime(pub String);

/// Parses `--since`: a UTC date (`2026-11-24`), date and time
/// (`2026-11-24T16:05`, `2026-11-24 16:05:09`, optional trailing `Z`), or an
/// age (`90m`, `12h`, `7d`, `2w`) counted back from `now_ms`.
pub fn parse_since(s: &str, now_ms: i64) -> Result<i64, NotATime> {
    let s = s.trim();
    let bad = || NotATime(s.to_string());
    let is_age = !s.contains(['-', ':']);
    if let Some(unit) = s
        .chars()
        .last()
        .filter(|c| is_age && c.is_ascii_alphabetic())
    {
        let n: i64 = s[..s.len() - 1].parse().map_err(|_| bad())?;
        let unit_ms = match unit {
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => MS_PER_DAY,
            'w' => 7 * MS_PER_DAY,
            _ => return Err(bad()),
        };
        if n < 0 {
            return Err(bad());
        }
        return Ok(now_ms - n.saturating_mul(unit_ms));
    }
    let s = s.trim_end_matches('Z');
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-').map(|p| p.parse::<i64>());
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    let mut ms = days_from_civil(y, m, d) * MS_PER_DAY;
    if let Some(t) = time {
        let fields: Vec<&str> = t.split(':').collect();
        if fields.len() < 2 || fields.len() > 3 {
            return Err(bad());
        }
        let h: i64 = fields[0].parse().map_err(|_| bad())?;
        let min: i64 = fields[1].parse().map_err(|_| bad())?;
        let sec: i64 = match fields.get(2) {
            Some(v) => v.parse().map_err(|_| bad())?,
            None => 0,
        };
        if h > 23 || min > 59 || sec > 60 {
            return Err(bad());
        }
        ms += (h * 3600 + min * 60 + sec) * 1000;
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_795_536_309_123), "2026-11-24T16:05:09.123Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn parses_dates_times_and_ages() {
        let now = 1_795_536_309_123;
        let table: &[(&str, Result<i64, ()>)] = &[
            ("2026-11-24", Ok(1_795_478_400_000)),
            ("2026-11-24T10:05", Ok(1_795_514_700_000)),
            ("2026-11-24 10:05:09Z", Ok(1_795_514_709_000)),
            ("2h", Ok(now - 7_200_000)),
            ("7d", Ok(now - 7 * 86_400_000)),
            ("yesterday", Err(())),
            ("2026-13-01", Err(())),
            ("5y", Err(())),
            ("2026-11-24T25:00", Err(())),
        ];
        for (input, want) in table {
            assert_eq!(parse_since(input, now).map_err(|_| ()), *want, "{input}");
        }
        for ms in [0, 86_399_999, 1_795_536_309_123] {
            let text = rfc3339(ms);
            let back = parse_since(&text[..19], 0).unwrap();
            assert_eq!(back, ms - ms % 1000, "{text}");
        }
    }
}

/// A duration in words for the agent: "5 minutes", "1 minute 30 seconds",
/// "2 hours".
pub fn duration_words(d: std::time::Duration) -> String {
    fn unit(n: u64, one: &str) -> String {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    }
    let s = d.as_secs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let parts: Vec<String> = [(h, "hour"), (m, "minute"), (sec, "second")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, u)| unit(n, u))
        .collect();
    if parts.is_empty() {
        "0 seconds".into()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod duration_words_tests {
    use std::time::Duration;

    #[test]
    fn words() {
        for (s, w) in [
            (0, "0 seconds"),
            (1, "1 second"),
            (300, "5 minutes"),
            (90, "1 minute 30 seconds"),
            (7200, "2 hours"),
            (3660, "1 hour 1 minute"),
        ] {
            assert_eq!(super::duration_words(Duration::from_secs(s)), w);
        }
    }
}
