//! How dates, times, ranges and statuses read on screen, in both languages.

use crate::i18n::{t, Lang, Text};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Weekday};
use orderdesk_domain::Status;

const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_EN: [&str; 12] = [
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

fn month(lang: Lang, date: NaiveDate) -> &'static str {
    let index = date.month0() as usize;
    match lang {
        Lang::Ru => MONTHS_RU[index % 12],
        Lang::En => MONTHS_EN[index % 12],
    }
}

/// `01.03.2023 10:18`, as the list and the order header show creation time.
pub fn date_time(at: DateTime<FixedOffset>) -> String {
    at.format("%d.%m.%Y %H:%M").to_string()
}

/// `10:18`.
pub fn time(at: DateTime<FixedOffset>) -> String {
    at.format("%H:%M").to_string()
}

/// `Синхронизировано в 14:32` / `Synced at 14:32`: when the cache last
/// caught up with the server; a day before `today` shows its date too.
/// A date as the date fields show and take it in both languages:
/// `04.12.2026`. The webview's own date inputs follow the system's locale
/// (`12/04/2026` on an English system), so the app keeps its own.
pub fn date_field(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// A date typed as `04.12.2026` (or `4.12.2026`).
pub fn parse_date_field(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d.%m.%Y").ok()
}

/// A 24-hour time of day typed as `14:30` (or `9:05`).
pub fn parse_time_field(text: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

pub fn synced_at(lang: Lang, at: DateTime<FixedOffset>, today: NaiveDate) -> String {
    let when = if at.date_naive() == today {
        time(at)
    } else {
        date_time(at)
    };
    format!("{} {when}", t(lang, Text::SyncedAt))
}

/// `1 марта` / `1 March`.
pub fn day_month(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::Ru => format!("{} {}", date.day(), month(lang, date)),
        Lang::En => format!("{} {}", date.day(), month(lang, date)),
    }
}

/// `1 марта 2023 г., с 15:00 до 17:00` / `1 March 2023, 15:00–17:00`; a
/// range over several days (hotel nights) shows both dates.
pub fn booked_range(
    lang: Lang,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
) -> String {
    let (d1, d2) = (start.date_naive(), end.date_naive());
    if d1 != d2 {
        return format!("{} – {}", start.format("%d.%m.%Y"), end.format("%d.%m.%Y"));
    }
    match lang {
        Lang::Ru => format!(
            "{} {} г., с {} до {}",
            day_month(lang, d1),
            d1.year(),
            time(start),
            time(end)
        ),
        Lang::En => format!(
            "{} {}, {}–{}",
            day_month(lang, d1),
            d1.year(),
            time(start),
            time(end)
        ),
    }
}

/// `среда` / `Wednesday`, under a date chip.
pub fn weekday(lang: Lang, date: NaiveDate) -> &'static str {
    match (lang, date.weekday()) {
        (Lang::Ru, Weekday::Mon) => "понедельник",
        (Lang::Ru, Weekday::Tue) => "вторник",
        (Lang::Ru, Weekday::Wed) => "среда",
        (Lang::Ru, Weekday::Thu) => "четверг",
        (Lang::Ru, Weekday::Fri) => "пятница",
        (Lang::Ru, Weekday::Sat) => "суббота",
        (Lang::Ru, Weekday::Sun) => "воскресенье",
        (Lang::En, Weekday::Mon) => "Monday",
        (Lang::En, Weekday::Tue) => "Tuesday",
        (Lang::En, Weekday::Wed) => "Wednesday",
        (Lang::En, Weekday::Thu) => "Thursday",
        (Lang::En, Weekday::Fri) => "Friday",
        (Lang::En, Weekday::Sat) => "Saturday",
        (Lang::En, Weekday::Sun) => "Sunday",
    }
}

/// The status as the list shows it, with the payment state of a priced
/// order that is waiting for money: «Новый. В процессе оплаты».
/// `awaiting_payment` is the domain's `awaiting_payment` of the order.
pub fn status_line(lang: Lang, status: Status, awaiting_payment: bool) -> String {
    let label = status.label(lang);
    if awaiting_payment {
        format!("{label}. {}", t(lang, Text::AwaitingPayment))
    } else {
        label.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderdesk_domain::{awaiting_payment, Money, Payer, PaymentState};

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).expect("valid test time")
    }

    #[test]
    fn booked_range_reads_like_the_source_document() {
        let text = booked_range(
            Lang::Ru,
            at("2023-03-01T15:00:00+03:00"),
            at("2023-03-01T17:00:00+03:00"),
        );
        assert_eq!(text, "1 марта 2023 г., с 15:00 до 17:00");
    }

    #[test]
    fn unpaid_new_order_shows_payment_in_progress() {
        assert_eq!(
            status_line(Lang::Ru, Status::New, true),
            "Новый. В процессе оплаты"
        );
        let unpaid = PaymentState {
            total: Money::rub(400),
            ..PaymentState::default()
        };
        let cancelled = Status::Cancelled;
        let awaiting = awaiting_payment(cancelled, Payer::Individual, unpaid);
        assert_eq!(status_line(Lang::Ru, cancelled, awaiting), "Отменен");
        let company = Payer::Company {
            payer_id: orderdesk_domain::UserId(7),
        };
        let awaiting = awaiting_payment(Status::New, company, unpaid);
        assert_eq!(status_line(Lang::Ru, Status::New, awaiting), "Новый");
        let awaiting = awaiting_payment(Status::New, Payer::Individual, unpaid);
        assert_eq!(
            status_line(Lang::Ru, Status::New, awaiting),
            "Новый. В процессе оплаты"
        );
        assert_eq!(status_line(Lang::Ru, Status::New, false), "Новый");
    }
}
