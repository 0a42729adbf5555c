//! Dates as pages show them, written directly: chrono's `format` parses its
//! pattern on every call, and a large dossier formats hundreds of thousands
//! of dates on every build.

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `9 December 2024`, as `%-d %B %Y`.
pub fn day_month_year(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// `Monday 9 December 2024`, as `%A %-d %B %Y`.
pub fn weekday_day_month_year(date: NaiveDate) -> String {
    let weekday = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
    format!("{weekday} {}", day_month_year(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_chrono_writes_them() {
        let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(day_month_year(date), date.format("%-d %B %Y").to_string());
            assert_eq!(
                weekday_day_month_year(date),
                date.format("%A %-d %B %Y").to_string()
            );
            assert_eq!(date.to_string(), date.format("%Y-%m-%d").to_string());
            date = date + chrono::Days::new(3);
        }
    }
}
