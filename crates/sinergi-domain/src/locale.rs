//! Indonesian (and English) presentation of dates, times, money and numbers, as used in
//! letters, minutes and agreements: day and month names, "pukul 10.00 WITA (09.00 WIB)",
//! "Rp1.500.000,00", and numbers spelled out in words ("terbilang").
//!
//! Everything here is pure: values in, text out.

mod number;
mod words;

pub use number::{decimal, decimal_id, number_id, rupiah, rupiah_in};
pub use words::{agreement_opening, date_in_words, rupiah_words, terbilang};

use time::{Date, Month, Time, Weekday};

use crate::{Lang, TimeZone};

/// Minutes in a day, for wrapping converted times.
const MINUTES_PER_DAY: i32 = 24 * 60;

/// The name of the day of the week of `d`: "Kamis" / "Thursday".
#[must_use]
pub fn day_name(d: Date, lang: Lang) -> &'static str {
    match (d.weekday(), lang) {
        (Weekday::Monday, Lang::Id) => "Senin",
        (Weekday::Tuesday, Lang::Id) => "Selasa",
        (Weekday::Wednesday, Lang::Id) => "Rabu",
        (Weekday::Thursday, Lang::Id) => "Kamis",
        (Weekday::Friday, Lang::Id) => "Jumat",
        (Weekday::Saturday, Lang::Id) => "Sabtu",
        (Weekday::Sunday, Lang::Id) => "Minggu",
        (Weekday::Monday, Lang::En) => "Monday",
        (Weekday::Tuesday, Lang::En) => "Tuesday",
        (Weekday::Wednesday, Lang::En) => "Wednesday",
        (Weekday::Thursday, Lang::En) => "Thursday",
        (Weekday::Friday, Lang::En) => "Friday",
        (Weekday::Saturday, Lang::En) => "Saturday",
        (Weekday::Sunday, Lang::En) => "Sunday",
    }
}

/// The name of the month `m`: "Maret" / "March".
#[must_use]
pub fn month_name(m: Month, lang: Lang) -> &'static str {
    match (m, lang) {
        (Month::January, Lang::Id) => "Januari",
        (Month::February, Lang::Id) => "Februari",
        (Month::March, Lang::Id) => "Maret",
        (Month::April, Lang::Id) => "April",
        (Month::May, Lang::Id) => "Mei",
        (Month::June, Lang::Id) => "Juni",
        (Month::July, Lang::Id) => "Juli",
        (Month::August, Lang::Id) => "Agustus",
        (Month::September, Lang::Id) => "September",
        (Month::October, Lang::Id) => "Oktober",
        (Month::November, Lang::Id) => "November",
        (Month::December, Lang::Id) => "Desember",
        (Month::January, Lang::En) => "January",
        (Month::February, Lang::En) => "February",
        (Month::March, Lang::En) => "March",
        (Month::April, Lang::En) => "April",
        (Month::May, Lang::En) => "May",
        (Month::June, Lang::En) => "June",
        (Month::July, Lang::En) => "July",
        (Month::August, Lang::En) => "August",
        (Month::September, Lang::En) => "September",
        (Month::October, Lang::En) => "October",
        (Month::November, Lang::En) => "November",
        (Month::December, Lang::En) => "December",
    }
}

/// The date with its day name: "Kamis, 24 Maret 2022" / "Thursday, 24 March 2022".
#[must_use]
pub fn date_long(d: Date, lang: Lang) -> String {
    format!("{}, {}", day_name(d, lang), date_short(d, lang))
}

/// The date without its day name: "24 Maret 2022" / "24 March 2022".
#[must_use]
pub fn date_short(d: Date, lang: Lang) -> String {
    format!("{} {} {}", d.day(), month_name(d.month(), lang), d.year())
}

/// The date in digits, day first: "24/03/2022".
#[must_use]
pub fn date_numeric(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Hours and minutes with the Indonesian dot: "10.00".
#[must_use]
pub fn time_hm(t: Time) -> String {
    hm_from_minutes(i32::from(t.hour()) * 60 + i32::from(t.minute()))
}

/// A time of day in `zone`, followed in brackets by the same moment in each distinct zone of
/// `others` that differs from `zone`, in the order given: "pukul 10.00 WITA (09.00 WIB)".
/// English drops the "pukul". Converted times wrap around midnight.
#[must_use]
pub fn time_label(t: Time, zone: TimeZone, others: &[TimeZone], lang: Lang) -> String {
    let minutes = i32::from(t.hour()) * 60 + i32::from(t.minute());
    let mut label = String::new();
    if lang == Lang::Id {
        label.push_str("pukul ");
    }
    label.push_str(&hm_from_minutes(minutes));
    label.push(' ');
    label.push_str(zone.label());

    let mut shown: Vec<TimeZone> = Vec::new();
    for &other in others {
        if other != zone && !shown.contains(&other) {
            shown.push(other);
        }
    }
    if !shown.is_empty() {
        let converted: Vec<String> = shown
            .iter()
            .map(|&other| {
                let shift =
                    (i32::from(other.utc_offset_hours()) - i32::from(zone.utc_offset_hours())) * 60;
                format!("{} {}", hm_from_minutes(minutes + shift), other.label())
            })
            .collect();
        label.push_str(" (");
        label.push_str(&converted.join(", "));
        label.push(')');
    }
    label
}

/// Formats minutes since midnight (wrapped into one day) as "HH.MM".
fn hm_from_minutes(minutes: i32) -> String {
    let m = minutes.rem_euclid(MINUTES_PER_DAY);
    format!("{:02}.{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    #[test]
    fn day_names_of_known_dates() {
        assert_eq!(day_name(date!(2022 - 03 - 24), Lang::Id), "Kamis");
        assert_eq!(day_name(date!(2022 - 03 - 24), Lang::En), "Thursday");
        assert_eq!(day_name(date!(2022 - 03 - 26), Lang::Id), "Sabtu");
        assert_eq!(day_name(date!(2022 - 03 - 26), Lang::En), "Saturday");
        let week = [
            ("Senin", "Monday"),
            ("Selasa", "Tuesday"),
            ("Rabu", "Wednesday"),
            ("Kamis", "Thursday"),
            ("Jumat", "Friday"),
            ("Sabtu", "Saturday"),
            ("Minggu", "Sunday"),
        ];
        // 2022-03-21 is a Monday.
        let mut d = date!(2022 - 03 - 21);
        for (id, en) in week {
            assert_eq!(day_name(d, Lang::Id), id);
            assert_eq!(day_name(d, Lang::En), en);
            d = d.next_day().unwrap();
        }
    }

    #[test]
    fn month_names() {
        let id = [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember",
        ];
        let en = [
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
        let mut m = Month::January;
        for i in 0..12 {
            assert_eq!(month_name(m, Lang::Id), id[i]);
            assert_eq!(month_name(m, Lang::En), en[i]);
            m = m.next();
        }
    }

    #[test]
    fn dates() {
        let d = date!(2022 - 03 - 24);
        assert_eq!(date_long(d, Lang::Id), "Kamis, 24 Maret 2022");
        assert_eq!(date_long(d, Lang::En), "Thursday, 24 March 2022");
        assert_eq!(date_short(d, Lang::Id), "24 Maret 2022");
        assert_eq!(date_short(d, Lang::En), "24 March 2022");
        assert_eq!(date_numeric(d), "24/03/2022");
        assert_eq!(date_numeric(date!(2022 - 01 - 05)), "05/01/2022");
        assert_eq!(
            date_short(date!(2022 - 01 - 05), Lang::Id),
            "5 Januari 2022"
        );
    }

    #[test]
    fn times() {
        assert_eq!(time_hm(time!(10:00)), "10.00");
        assert_eq!(time_hm(time!(0:05:59)), "00.05");
        assert_eq!(time_hm(time!(23:59)), "23.59");
    }

    #[test]
    fn time_labels() {
        use TimeZone::{Wib, Wit, Wita};
        let t = time!(10:00);
        assert_eq!(
            time_label(t, Wita, &[Wib, Wita], Lang::Id),
            "pukul 10.00 WITA (09.00 WIB)"
        );
        assert_eq!(
            time_label(t, Wita, &[Wib, Wita], Lang::En),
            "10.00 WITA (09.00 WIB)"
        );
        assert_eq!(time_label(t, Wita, &[], Lang::Id), "pukul 10.00 WITA");
        assert_eq!(time_label(t, Wita, &[Wita, Wita], Lang::En), "10.00 WITA");
        assert_eq!(
            time_label(t, Wib, &[Wit, Wib, Wita, Wit, Wita], Lang::Id),
            "pukul 10.00 WIB (12.00 WIT, 11.00 WITA)"
        );
        // Day wrap in both directions.
        assert_eq!(
            time_label(time!(23:30), Wit, &[Wib], Lang::Id),
            "pukul 23.30 WIT (21.30 WIB)"
        );
        assert_eq!(
            time_label(time!(00:30), Wib, &[Wita], Lang::Id),
            "pukul 00.30 WIB (01.30 WITA)"
        );
        assert_eq!(
            time_label(time!(00:30), Wit, &[Wib], Lang::En),
            "00.30 WIT (22.30 WIB)"
        );
        assert_eq!(
            time_label(time!(23:15), Wib, &[Wit], Lang::En),
            "23.15 WIB (01.15 WIT)"
        );
    }
}
