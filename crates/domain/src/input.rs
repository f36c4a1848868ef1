//! Limits on what people type: a new order's dates, guests, items and
//! quantities, a chat message's length, slots that are already in the past.
//!
//! The server refuses such input with 422 and the code of [`InputError`];
//! the client core checks the same functions before it queues an action, so
//! it refuses at once, offline, what the server would refuse. Time is passed
//! in: `now` and the site's offset, never read from a clock here.

use crate::kind::OrderKind;
use crate::slots::{SlotError, SlotRange};
use crate::text::Lang;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use std::fmt;

/// The longest chat message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// The most days of one coworking booking.
pub const MAX_COWORKING_DAYS: usize = 31;
/// The most nights of one hotel booking.
pub const MAX_HOTEL_NIGHTS: usize = 30;
/// The most adults, and the most children, in one hotel room.
pub const MAX_GUESTS: u32 = 10;
/// The most units of one hotel extra.
pub const MAX_EXTRA_QUANTITY: u32 = 100;
/// The most lines of one shop order.
pub const MAX_ITEMS: usize = 50;
/// The most units of one shop line.
pub const MAX_ITEM_QUANTITY: u32 = 999;

/// The longest canned reply of a service, in characters.
pub const MAX_REPLY_CHARS: usize = 500;
/// The most canned replies one service keeps.
pub const MAX_REPLIES: usize = 30;

/// Input the product does not accept. Every variant is a 422 over HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// Slot starts off the grid, outside hours, or not one period.
    Slots(SlotError),
    SlotInPast,
    PremisesRequired,
    /// Coworking: 1 to 31 days from today on.
    CoworkingDays,
    /// Hotel: 1 to 30 nights, check-in from today on.
    HotelNights,
    Guests,
    /// A quantity outside 1 to `max`.
    Quantity {
        max: u32,
    },
    /// A time of day that is not `HH:MM`.
    Time,
    /// A shop order with no lines or too many.
    ItemCount,
    /// An empty chat message or one over [`MAX_MESSAGE_CHARS`].
    MessageText,
    /// An empty canned reply or one over [`MAX_REPLY_CHARS`].
    ReplyText,
    /// More than [`MAX_REPLIES`] canned replies for one service.
    ReplyCount,
}

impl InputError {
    /// The stable code that crosses HTTP and IPC.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Slots(e) => e.code(),
            InputError::SlotInPast => "slot_in_past",
            InputError::PremisesRequired => "premises_required",
            InputError::CoworkingDays | InputError::HotelNights => "invalid_dates",
            InputError::Guests => "invalid_guests",
            InputError::Quantity { .. } => "invalid_quantity",
            InputError::Time => "invalid_time",
            InputError::ItemCount => "no_items",
            InputError::MessageText => "invalid_text",
            InputError::ReplyText => "invalid_reply",
            InputError::ReplyCount => "too_many_replies",
        }
    }

    /// What to tell the person, and how to fix it.
    pub fn message(&self, lang: Lang) -> String {
        let (ru, en): (String, String) = match self {
            InputError::Slots(e) => return e.message(lang),
            InputError::SlotInPast => (
                "Выбранное время уже прошло.".into(),
                "The chosen time has passed.".into(),
            ),
            InputError::PremisesRequired => ("Укажите помещение.".into(), "Name the premises.".into()),
            InputError::CoworkingDays => (
                format!("Выберите от 1 до {MAX_COWORKING_DAYS} дня, начиная с сегодняшнего."),
                format!("Choose 1 to {MAX_COWORKING_DAYS} days from today on."),
            ),
            InputError::HotelNights => (
                format!("Дата выезда должна быть позже даты заезда (до {MAX_HOTEL_NIGHTS} ночей), заезд — не раньше сегодня."),
                format!("Check-out must follow check-in (up to {MAX_HOTEL_NIGHTS} nights), from today on."),
            ),
            InputError::Guests => (
                format!("Укажите от 1 до {MAX_GUESTS} взрослых и до {MAX_GUESTS} детей."),
                format!("From 1 to {MAX_GUESTS} adults and up to {MAX_GUESTS} children."),
            ),
            InputError::Quantity { max } => (
                format!("Количество — от 1 до {max}."),
                format!("Quantity must be 1 to {max}."),
            ),
            InputError::Time => ("Время — в формате ЧЧ:ММ.".into(), "Time must be HH:MM.".into()),
            InputError::ItemCount => (
                format!("Добавьте от 1 до {MAX_ITEMS} товаров."),
                format!("Add 1 to {MAX_ITEMS} items."),
            ),
            InputError::MessageText => (
                format!("Сообщение должно содержать от 1 до {MAX_MESSAGE_CHARS} символов."),
                format!("A message must have 1 to {MAX_MESSAGE_CHARS} characters."),
            ),
            InputError::ReplyText => (
                format!("Шаблон ответа должен содержать от 1 до {MAX_REPLY_CHARS} символов."),
                format!("A canned reply must have 1 to {MAX_REPLY_CHARS} characters."),
            ),
            InputError::ReplyCount => (
                format!("У услуги может быть не больше {MAX_REPLIES} шаблонов ответа."),
                format!("A service keeps at most {MAX_REPLIES} canned replies."),
            ),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

impl From<SlotError> for InputError {
    fn from(error: SlotError) -> InputError {
        InputError::Slots(error)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message(Lang::En))
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InputError::Slots(e) => Some(e),
            _ => None,
        }
    }
}

/// One hotel extra as typed: how many, and at what time of day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExtraInput {
    pub quantity: u32,
    pub time: Option<String>,
}

/// The kind-specific part of a new order, as the requester typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewOrder {
    SimpleRequest,
    PremisesRequest {
        premises: String,
    },
    Booking {
        date: NaiveDate,
        slots: Vec<String>,
    },
    CoworkingBooking {
        date_from: NaiveDate,
        /// The last day, inclusive.
        date_to: NaiveDate,
    },
    HotelBooking {
        check_in: NaiveDate,
        check_out: NaiveDate,
        adults: u32,
        children: u32,
        extras: Vec<NewExtraInput>,
    },
    NomenclatureSale {
        /// The quantity of each line.
        quantities: Vec<u32>,
    },
}

impl NewOrder {
    pub fn kind(&self) -> OrderKind {
        match self {
            NewOrder::SimpleRequest => OrderKind::SimpleRequest,
            NewOrder::PremisesRequest { .. } => OrderKind::PremisesRequest,
            NewOrder::Booking { .. } => OrderKind::Booking,
            NewOrder::CoworkingBooking { .. } => OrderKind::CoworkingBooking,
            NewOrder::HotelBooking { .. } => OrderKind::HotelBooking,
            NewOrder::NomenclatureSale { .. } => OrderKind::NomenclatureSale,
        }
    }
}

/// Checks a new order's input against every limit, `now` being the time of
/// creation and `site` the offset of the site's local time.
pub fn validate_new_order(
    order: &NewOrder,
    now: DateTime<Utc>,
    site: FixedOffset,
) -> Result<(), InputError> {
    let today = now.with_timezone(&site).date_naive();
    match order {
        NewOrder::SimpleRequest => Ok(()),
        NewOrder::PremisesRequest { premises } => {
            if premises.trim().is_empty() {
                Err(InputError::PremisesRequired)
            } else {
                Ok(())
            }
        }
        NewOrder::Booking { date, slots } => {
            let range = SlotRange::parse(*date, slots)?;
            validate_booking_time(range, now, site)
        }
        NewOrder::CoworkingBooking { date_from, date_to } => {
            let days = date_from.iter_days().take_while(|d| d <= date_to).count();
            if days == 0 || days > MAX_COWORKING_DAYS || *date_from < today {
                Err(InputError::CoworkingDays)
            } else {
                Ok(())
            }
        }
        NewOrder::HotelBooking {
            check_in,
            check_out,
            adults,
            children,
            extras,
        } => {
            let nights = check_in.iter_days().take_while(|d| d < check_out).count();
            if nights == 0 || nights > MAX_HOTEL_NIGHTS || *check_in < today {
                return Err(InputError::HotelNights);
            }
            if *adults == 0 || *adults > MAX_GUESTS || *children > MAX_GUESTS {
                return Err(InputError::Guests);
            }
            extras.iter().try_for_each(|extra| {
                check_quantity(extra.quantity, MAX_EXTRA_QUANTITY)?;
                extra
                    .time
                    .as_deref()
                    .map_or(Ok(()), |t| time_of_day(t).map(drop))
            })
        }
        NewOrder::NomenclatureSale { quantities } => {
            if quantities.is_empty() || quantities.len() > MAX_ITEMS {
                return Err(InputError::ItemCount);
            }
            quantities
                .iter()
                .try_for_each(|q| check_quantity(*q, MAX_ITEM_QUANTITY))
        }
    }
}

fn check_quantity(quantity: u32, max: u32) -> Result<(), InputError> {
    if quantity == 0 || quantity > max {
        Err(InputError::Quantity { max })
    } else {
        Ok(())
    }
}

/// A time of day typed as `HH:MM`, as it is stored: `8:00` reads as `08:00`.
pub fn time_of_day(text: &str) -> Result<String, InputError> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .map(|t| t.format("%H:%M").to_string())
        .map_err(|_| InputError::Time)
}

/// A booking's slots, new or edited, must not have ended already.
pub fn validate_booking_time(
    range: SlotRange,
    now: DateTime<Utc>,
    site: FixedOffset,
) -> Result<(), InputError> {
    let (_, end) = range.instants(site);
    if end <= now {
        Err(InputError::SlotInPast)
    } else {
        Ok(())
    }
}

/// A chat message as it is kept: trimmed, 1 to [`MAX_MESSAGE_CHARS`]
/// characters.
pub fn validate_message(text: &str) -> Result<&str, InputError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_MESSAGE_CHARS {
        Err(InputError::MessageText)
    } else {
        Ok(text)
    }
}

/// A service's canned replies as an administrator saves them: each trimmed,
/// 1 to [`MAX_REPLY_CHARS`] characters, at most [`MAX_REPLIES`] of them.
pub fn validate_canned_replies(replies: &[String]) -> Result<Vec<String>, InputError> {
    if replies.len() > MAX_REPLIES {
        return Err(InputError::ReplyCount);
    }
    replies
        .iter()
        .map(|reply| {
            let reply = reply.trim();
            let chars = reply.chars().count();
            if chars == 0 || chars > MAX_REPLY_CHARS {
                Err(InputError::ReplyText)
            } else {
                Ok(reply.to_owned())
            }
        })
        .collect()
}
