//! Proleptic Gregorian day arithmetic: the little of a calendar library that
//! relative dates need (add days, add months, find a weekday), without one.
//!
//! Days are counted from 1970-01-01 (day 0), with Howard Hinnant's
//! `days_from_civil` algorithm, exact over the whole `i32` year range.

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// Year, astronomical numbering (year 0 exists; negative is BCE).
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, from 1.
    pub day: u32,
}

impl Day {
    /// The day, if `month` and `day` exist in `year`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Day { year, month, day })
    }

    /// Parses the first ten characters of an ISO date (`2023-09-13`,
    /// `2023-09-13T10:00:00Z`).
    pub fn parse_iso(s: &str) -> Option<Day> {
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = s.get(0..4)?.parse().ok()?;
        let month = s.get(5..7)?.parse().ok()?;
        let day = s.get(8..10)?.parse().ok()?;
        Day::new(year, month, day)
    }

    /// Days since 1970-01-01.
    pub fn number(self) -> i64 {
        let y = self.year as i64 - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day with number `n` (see [`Day::number`]).
    pub fn from_number(n: i64) -> Day {
        let z = n + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }

    /// The day `days` later (earlier when negative).
    pub fn add_days(self, days: i64) -> Day {
        Day::from_number(self.number() + days)
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.number() + 3).rem_euclid(7) + 1) as u32
    }

    /// The day as an ISO 8601 date, `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `(year, month)` moved by `months` (negative: back).
pub(crate) fn add_months(year: i32, month: u32, months: i64) -> (i32, u32) {
    let index = year as i64 * 12 + (month as i64 - 1) + months;
    (index.div_euclid(12) as i32, (index.rem_euclid(12) + 1) as u32)
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_weekdays() {
        for n in [-800_000i64, -1, 0, 1, 19_000, 19_613, 2_000_000] {
            assert_eq!(Day::from_number(n).number(), n);
        }
        let d = Day::new(2023, 9, 13).unwrap();
        assert_eq!(d.weekday(), 3, "13 September 2023 was a Wednesday");
        assert_eq!(Day::new(2024, 6, 22).unwrap().weekday(), 6);
        assert_eq!(d.add_days(-13).iso(), "2023-08-31");
        assert_eq!(Day::new(2023, 2, 29), None);
        assert_eq!(Day::parse_iso("2024-02-29T00:00:00Z").map(Day::iso), Some("2024-02-29".into()));
        assert_eq!(add_months(2024, 1, -1), (2023, 12));
        assert_eq!(add_months(2023, 12, 1), (2024, 1));
    }
}
