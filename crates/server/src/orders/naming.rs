//! What an order's rows are written with besides the request: the line name
//! of a booking, the text the list searches, local times of the site, the
//! payment link's token. The live flows and the demo share them.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use orderdesk_domain::SlotRange;
use rand::RngCore;

/// An order's title, the same for orders made live and in the demo:
/// requests and shop orders carry their service's name («Уборка»,
/// «Магазин»), bookings the object they hold («Переговорная Python»).
pub fn order_title(service: &str, object: Option<&str>) -> String {
    object.unwrap_or(service).to_owned()
}

/// Lower-cased words for the list's text search.
pub fn search_text(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.to_lowercase())
        .collect::<Vec<_>>()
        .join(" \u{1f} ")
}

/// «Переговорная Python, 27.11.2026 15:00–17:00».
pub fn booking_line_name(resource: &str, range: SlotRange) -> String {
    let (start, end) = range.time_span();
    format!(
        "{resource}, {} {start}–{end}",
        range.date.format("%d.%m.%Y")
    )
}

/// A local time of the site as an instant.
pub fn local_instant(date: NaiveDate, hour: u32, minute: u32, site: FixedOffset) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
    site.from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| local.and_utc())
}

/// A fresh token for the order's payment link.
pub fn payment_token() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A line before the order has an id: product, name, quantity, unit price,
/// time of day.
pub type NewLine = (Option<i64>, String, i64, i64, Option<String>);
