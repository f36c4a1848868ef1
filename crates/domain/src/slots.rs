//! Meeting-room time: 30-minute slots shown 08:00–23:30, and contiguous
//! ranges of them on one day.

use crate::money::Money;
use crate::text::Lang;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Length of one slot.
pub const SLOT_MINUTES: u32 = 30;
/// Start of the first slot of a day, 08:00, in minutes after midnight.
pub const FIRST_SLOT_MINUTES: u32 = 8 * 60;
/// Start of the last slot of a day, 23:30, in minutes after midnight.
pub const LAST_SLOT_MINUTES: u32 = 23 * 60 + 30;
/// Slots in a day: 08:00, 08:30, …, 23:30.
pub const SLOTS_PER_DAY: u8 = ((LAST_SLOT_MINUTES - FIRST_SLOT_MINUTES) / SLOT_MINUTES + 1) as u8;

/// One slot of a day, by its position: 0 is 08:00, 31 is 23:30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot(u8);

/// Why a slot or a range of slots is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    #[error("«{0}» is not a time of day in HH:MM")]
    Unreadable(String),
    #[error("{0} is not on a 30-minute boundary")]
    Misaligned(String),
    #[error("{0} is outside booking hours 08:00–23:30")]
    OutsideHours(String),
    #[error("no slots chosen")]
    Empty,
    #[error("the chosen slots are not one continuous period")]
    NotContiguous,
}

impl SlotError {
    /// The stable code that crosses HTTP and IPC.
    pub fn code(&self) -> &'static str {
        match self {
            SlotError::Unreadable(_) => "slot_unreadable",
            SlotError::Misaligned(_) => "slot_misaligned",
            SlotError::OutsideHours(_) => "slot_outside_hours",
            SlotError::Empty => "no_slots",
            SlotError::NotContiguous => "slots_not_contiguous",
        }
    }

    /// What to tell the person; English is the error's own text.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Ru => match self {
                SlotError::Unreadable(t) => format!("«{t}» — не время в формате ЧЧ:ММ."),
                SlotError::Misaligned(t) => format!("{t}: слоты начинаются каждые 30 минут."),
                SlotError::OutsideHours(t) => {
                    format!("{t}: бронирование возможно с 08:00 до 23:30.")
                }
                SlotError::Empty => "Выберите хотя бы один слот.".to_owned(),
                SlotError::NotContiguous => "Выбранные слоты должны идти подряд.".to_owned(),
            },
        }
    }
}

impl Slot {
    /// The slot at a position of the day, if there is one.
    pub fn from_index(index: u8) -> Option<Slot> {
        (index < SLOTS_PER_DAY).then_some(Slot(index))
    }

    pub fn index(self) -> u8 {
        self.0
    }

    /// Minutes after midnight at which the slot starts.
    pub fn start_minutes(self) -> u32 {
        FIRST_SLOT_MINUTES + u32::from(self.0) * SLOT_MINUTES
    }

    pub fn start_time(self) -> NaiveTime {
        let m = self.start_minutes();
        NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN)
    }

    /// Reads `HH:MM`, refusing anything off the grid.
    pub fn parse(text: &str) -> Result<Slot, SlotError> {
        let unreadable = || SlotError::Unreadable(text.to_owned());
        let (h, m) = text.trim().split_once(':').ok_or_else(unreadable)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(unreadable());
        }
        let h: u32 = h.parse().map_err(|_| unreadable())?;
        let m: u32 = m.parse().map_err(|_| unreadable())?;
        if h > 23 || m > 59 {
            return Err(unreadable());
        }
        let minutes = h * 60 + m;
        if !minutes.is_multiple_of(SLOT_MINUTES) {
            return Err(SlotError::Misaligned(text.to_owned()));
        }
        if !(FIRST_SLOT_MINUTES..=LAST_SLOT_MINUTES).contains(&minutes) {
            return Err(SlotError::OutsideHours(text.to_owned()));
        }
        Ok(Slot(((minutes - FIRST_SLOT_MINUTES) / SLOT_MINUTES) as u8))
    }

    /// Every slot of a day, in order.
    pub fn all() -> impl Iterator<Item = Slot> {
        (0..SLOTS_PER_DAY).map(Slot)
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.start_minutes();
        write!(f, "{:02}:{:02}", m / 60, m % 60)
    }
}

impl Serialize for Slot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Slot, D::Error> {
        let text = String::deserialize(d)?;
        Slot::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A continuous run of slots on one day: what a booking holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlotRange {
    pub date: NaiveDate,
    pub first: Slot,
    pub count: u8,
}

impl SlotRange {
    /// A range from its first slot and length, if it fits in the day.
    pub fn new(date: NaiveDate, first: Slot, count: u8) -> Result<SlotRange, SlotError> {
        if count == 0 {
            return Err(SlotError::Empty);
        }
        let last = u16::from(first.0) + u16::from(count) - 1;
        if last >= u16::from(SLOTS_PER_DAY) {
            return Err(SlotError::OutsideHours(format!("{first} + {count} slots")));
        }
        Ok(SlotRange { date, first, count })
    }

    /// A range from chosen slot starts in any order; they must join up.
    pub fn from_slots(date: NaiveDate, slots: &[Slot]) -> Result<SlotRange, SlotError> {
        let mut sorted: Vec<u8> = slots.iter().map(|s| s.0).collect();
        sorted.sort_unstable();
        let (&first, &last) = match (sorted.first(), sorted.last()) {
            (Some(f), Some(l)) => (f, l),
            _ => return Err(SlotError::Empty),
        };
        let contiguous = sorted.windows(2).all(|w| w[1] == w[0] + 1);
        if !contiguous {
            return Err(SlotError::NotContiguous);
        }
        SlotRange::new(date, Slot(first), last - first + 1)
    }

    /// Reads `["15:00", "15:30", …]`.
    pub fn parse(date: NaiveDate, slots: &[impl AsRef<str>]) -> Result<SlotRange, SlotError> {
        let parsed = slots
            .iter()
            .map(|s| Slot::parse(s.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        SlotRange::from_slots(date, &parsed)
    }

    pub fn slots(self) -> impl Iterator<Item = Slot> {
        (self.first.0..self.first.0 + self.count).map(Slot)
    }

    /// Minutes after midnight at which the range ends (24:00 is 1440).
    pub fn end_minutes(self) -> u32 {
        self.first.start_minutes() + u32::from(self.count) * SLOT_MINUTES
    }

    /// `15:00`–`17:00` for display.
    pub fn time_span(self) -> (String, String) {
        let end = self.end_minutes();
        (
            self.first.to_string(),
            format!("{:02}:{:02}", end / 60, end % 60),
        )
    }

    pub fn price(self, per_slot: Money) -> Money {
        per_slot * i64::from(self.count)
    }

    pub fn overlaps(self, other: SlotRange) -> bool {
        self.date == other.date
            && self.first.0 < other.first.0 + other.count
            && other.first.0 < self.first.0 + self.count
    }

    /// The instants the range starts and ends at, in the site's time zone.
    pub fn instants(self, site: FixedOffset) -> (DateTime<Utc>, DateTime<Utc>) {
        let at = |minutes: u32| {
            let midnight = self.date.and_time(NaiveTime::MIN);
            let local = midnight + chrono::Duration::minutes(i64::from(minutes));
            site.from_local_datetime(&local)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| local.and_utc())
        };
        (at(self.first.start_minutes()), at(self.end_minutes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 3, 1).expect("date")
    }

    #[test]
    fn a_day_has_thirty_two_slots_from_eight_to_half_past_eleven() {
        let all: Vec<String> = Slot::all().map(|s| s.to_string()).collect();
        assert_eq!(all.len(), 32);
        assert_eq!(all.first().map(String::as_str), Some("08:00"));
        assert_eq!(all.last().map(String::as_str), Some("23:30"));
    }

    #[test]
    fn source_example_fifteen_to_seventeen_is_four_slots_of_a_hundred() {
        let r = SlotRange::parse(day(), &["15:00", "15:30", "16:00", "16:30"]).expect("range");
        assert_eq!(r.count, 4);
        assert_eq!(r.price(Money::rub(100)), Money::rub(400));
        assert_eq!(r.time_span(), ("15:00".to_owned(), "17:00".to_owned()));
    }

    #[test]
    fn refuses_times_off_the_grid() {
        assert_eq!(
            Slot::parse("07:30"),
            Err(SlotError::OutsideHours("07:30".into()))
        );
        assert_eq!(
            Slot::parse("15:15"),
            Err(SlotError::Misaligned("15:15".into()))
        );
        assert!(matches!(
            Slot::parse("25:00"),
            Err(SlotError::Unreadable(_))
        ));
        assert!(matches!(Slot::parse("noon"), Err(SlotError::Unreadable(_))));
        assert_eq!(
            SlotRange::parse(day(), &["15:00", "16:00"]),
            Err(SlotError::NotContiguous)
        );
        assert_eq!(
            SlotRange::parse(day(), &[] as &[&str]),
            Err(SlotError::Empty)
        );
        assert_eq!(
            SlotRange::parse(day(), &["15:00", "15:00"]),
            Err(SlotError::NotContiguous)
        );
    }

    #[test]
    fn the_last_slot_ends_at_midnight() {
        let r = SlotRange::parse(day(), &["23:30"]).expect("range");
        assert_eq!(r.end_minutes(), 24 * 60);
        let site = FixedOffset::east_opt(3 * 3600).expect("offset");
        let (start, end) = r.instants(site);
        assert_eq!(start.to_rfc3339(), "2023-03-01T20:30:00+00:00");
        assert_eq!(end.to_rfc3339(), "2023-03-01T21:00:00+00:00");
    }

    proptest! {
        #[test]
        fn any_range_built_from_slots_is_contiguous_within_hours_and_priced_by_count(
            first in 0u8..SLOTS_PER_DAY,
            count in 1u8..=SLOTS_PER_DAY,
            price in 0i64..1_000_000,
        ) {
            let start = Slot::from_index(first).expect("slot");
            match SlotRange::new(day(), start, count) {
                Ok(r) => {
                    let slots: Vec<Slot> = r.slots().collect();
                    prop_assert_eq!(slots.len(), usize::from(count));
                    prop_assert!(slots.windows(2).all(|w| w[1].index() == w[0].index() + 1));
                    prop_assert!(r.end_minutes() <= 24 * 60);
                    prop_assert!(r.first.start_minutes() >= FIRST_SLOT_MINUTES);
                    prop_assert_eq!(r.price(Money(price)), Money(price * i64::from(count)));
                    let texts: Vec<String> = slots.iter().rev().map(|s| s.to_string()).collect();
                    prop_assert_eq!(SlotRange::parse(day(), &texts), Ok(r));
                }
                Err(_) => prop_assert!(u16::from(first) + u16::from(count) > u16::from(SLOTS_PER_DAY)),
            }
        }

        #[test]
        fn a_range_with_a_gap_is_refused(first in 0u8..29, gap in 2u8..3) {
            let a = Slot::from_index(first).expect("slot");
            let b = Slot::from_index(first + gap).expect("slot");
            prop_assert_eq!(SlotRange::from_slots(day(), &[a, b]), Err(SlotError::NotContiguous));
        }

        #[test]
        fn overlap_is_symmetric_and_matches_shared_slots(
            a0 in 0u8..32, ac in 1u8..8, b0 in 0u8..32, bc in 1u8..8,
        ) {
            let (Ok(a), Ok(b)) = (
                SlotRange::new(day(), Slot(a0), ac),
                SlotRange::new(day(), Slot(b0), bc),
            ) else { return Ok(()); };
            let shared = a.slots().any(|s| b.slots().any(|t| t == s));
            prop_assert_eq!(a.overlaps(b), shared);
            prop_assert_eq!(b.overlaps(a), shared);
        }
    }
}
