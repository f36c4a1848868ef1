//! What the system writes about an order, as codes with parameters: the
//! system messages of the public chat and the entries of the order's history.
//!
//! A note is stored and sent as its code and parameters; [`SystemNote::text`]
//! is the one place that turns it into words, in the reader's language, for
//! the server (API answers, e-mail) and for the app alike.

use crate::ids::LineNo;
use crate::kind::Status;
use crate::money::Money;
use crate::shop::LineOutcome;
use crate::slots::SlotRange;
use crate::text::Lang;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// A meeting-room booking's object and time, as a note quotes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingSpan {
    /// The object's name («Переговорная Python»); absent when the rules
    /// wrote the note, which know objects only by id.
    #[serde(default)]
    pub object: Option<String>,
    pub date: NaiveDate,
    /// `15:00`.
    pub start: String,
    /// `17:00`.
    pub end: String,
}

impl BookingSpan {
    /// The time a slot range covers, with no object name yet.
    pub fn of_range(range: SlotRange) -> BookingSpan {
        let (start, end) = range.time_span();
        BookingSpan {
            object: None,
            date: range.date,
            start,
            end,
        }
    }

    fn text(&self, lang: Lang, with_object: bool) -> String {
        let when = format!("{} {}–{}", date_text(self.date, lang), self.start, self.end);
        match (&self.object, with_object) {
            (Some(object), true) => format!("{object}, {when}"),
            _ => when,
        }
    }
}

/// Something the system records about an order. On the wire:
/// `{"code": "status_changed", "from": "new", "to": "in_progress"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SystemNote {
    /// «Поступила оплата через платёжный шлюз.»
    GatewayPayment,
    /// A manager recorded a payment («Провести оплату»).
    PaymentRecorded { amount: Money },
    /// The status moved; `from` is absent in notes written before it was kept.
    StatusChanged {
        #[serde(default)]
        from: Option<Status>,
        to: Status,
    },
    /// «Бронирование изменено.», from what to what.
    BookingChanged {
        #[serde(default)]
        from: Option<BookingSpan>,
        #[serde(default)]
        to: Option<BookingSpan>,
    },
    /// A refund was asked of the provider and is on its way.
    RefundStarted { amount: Money },
    /// The provider confirmed the refund.
    Refunded { amount: Money },
    /// «Изменить исполнителя» (or «Взять в работу»): names; `None` is
    /// «Не назначено».
    ExecutorChanged {
        from: Option<String>,
        to: Option<String>,
    },
    /// «Изменить время»: each due time before and after.
    DeadlinesChanged {
        first_response_from: Option<DateTime<FixedOffset>>,
        first_response_to: Option<DateTime<FixedOffset>>,
        completion_from: Option<DateTime<FixedOffset>>,
        completion_to: Option<DateTime<FixedOffset>>,
    },
    /// A shop line marked collected or missing.
    LineCollected {
        line: LineNo,
        name: String,
        outcome: LineOutcome,
    },
    /// A shop line's collection mark taken back while collecting.
    CollectionUndone { line: LineNo, name: String },
}

/// A day in the language's format: `04.12.2026`, `4 Dec 2026`.
pub fn date_text(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ru => date.format("%d.%m.%Y").to_string(),
        Lang::En => date.format("%-d %b %Y").to_string(),
    }
}

/// A moment in the language's format, 24-hour, in the offset it carries
/// (the site's): `04.12.2026 15:00`, `4 Dec 2026, 15:00`.
pub fn date_time_text(at: DateTime<FixedOffset>, lang: Lang) -> String {
    match lang {
        Lang::Ru => at.format("%d.%m.%Y %H:%M").to_string(),
        Lang::En => at.format("%-d %b %Y, %H:%M").to_string(),
    }
}

fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("«{text}»"),
        Lang::En => format!("“{text}”"),
    }
}

fn unassigned(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "Не назначено",
        Lang::En => "Not assigned",
    }
}

fn no_time(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "не задан",
        Lang::En => "none",
    }
}

fn due_change(
    label: &str,
    from: Option<DateTime<FixedOffset>>,
    to: Option<DateTime<FixedOffset>>,
    lang: Lang,
) -> Option<String> {
    if from == to {
        return None;
    }
    let show = |t: Option<DateTime<FixedOffset>>| {
        t.map_or_else(|| no_time(lang).to_owned(), |t| date_time_text(t, lang))
    };
    Some(format!("{label}: {} → {}", show(from), show(to)))
}

impl SystemNote {
    /// The stable code, as stored and sent.
    pub fn code(&self) -> &'static str {
        match self {
            SystemNote::GatewayPayment => "gateway_payment",
            SystemNote::PaymentRecorded { .. } => "payment_recorded",
            SystemNote::StatusChanged { .. } => "status_changed",
            SystemNote::BookingChanged { .. } => "booking_changed",
            SystemNote::RefundStarted { .. } => "refund_started",
            SystemNote::Refunded { .. } => "refunded",
            SystemNote::ExecutorChanged { .. } => "executor_changed",
            SystemNote::DeadlinesChanged { .. } => "deadlines_changed",
            SystemNote::LineCollected { .. } => "line_collected",
            SystemNote::CollectionUndone { .. } => "collection_undone",
        }
    }

    /// Whether the note also goes to the public chat (the requester sees it);
    /// the others are for the order's history only.
    pub fn is_public(&self) -> bool {
        matches!(
            self,
            SystemNote::GatewayPayment
                | SystemNote::PaymentRecorded { .. }
                | SystemNote::StatusChanged { .. }
                | SystemNote::BookingChanged { .. }
                | SystemNote::Refunded { .. }
        )
    }

    /// The note in words, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => self.text_ru(),
            Lang::En => self.text_en(),
        }
    }

    fn text_ru(&self) -> String {
        let lang = Lang::Ru;
        match self {
            SystemNote::GatewayPayment => "Поступила оплата через платёжный шлюз.".to_owned(),
            SystemNote::PaymentRecorded { amount } => format!("Проведена оплата: {amount}."),
            SystemNote::StatusChanged {
                from: Some(from),
                to,
            } => format!(
                "Статус изменен: {} → {}.",
                quoted(from.label(lang), lang),
                quoted(to.label(lang), lang)
            ),
            SystemNote::StatusChanged { from: None, to } => {
                format!("Статус изменен: {}.", quoted(to.label(lang), lang))
            }
            SystemNote::BookingChanged { from, to } => match booking_change(from, to, lang) {
                Some(change) => format!("Бронирование изменено: {change}."),
                None => "Бронирование изменено.".to_owned(),
            },
            SystemNote::RefundStarted { amount } => {
                format!("Оформлен возврат средств: {amount}.")
            }
            SystemNote::Refunded { amount } => format!("Выполнен возврат средств: {amount}."),
            SystemNote::ExecutorChanged { from, to } => format!(
                "Исполнитель изменен: {} → {}.",
                from.as_deref().unwrap_or(unassigned(lang)),
                to.as_deref().unwrap_or(unassigned(lang))
            ),
            SystemNote::DeadlinesChanged { .. } => {
                format!("Сроки изменены: {}.", self.deadlines(lang))
            }
            SystemNote::LineCollected { name, outcome, .. } => match outcome {
                LineOutcome::Collected => format!("Позиция собрана: {}.", quoted(name, lang)),
                LineOutcome::Missing { quantity } => {
                    format!("Позиция {} отсутствует: {quantity} шт.", quoted(name, lang))
                }
            },
            SystemNote::CollectionUndone { name, .. } => {
                format!("Отметка сбора снята: {}.", quoted(name, lang))
            }
        }
    }

    fn text_en(&self) -> String {
        let lang = Lang::En;
        match self {
            SystemNote::GatewayPayment => {
                "Payment received through the payment gateway.".to_owned()
            }
            SystemNote::PaymentRecorded { amount } => format!("Payment recorded: {amount}."),
            SystemNote::StatusChanged {
                from: Some(from),
                to,
            } => format!(
                "Status changed: {} → {}.",
                quoted(from.label(lang), lang),
                quoted(to.label(lang), lang)
            ),
            SystemNote::StatusChanged { from: None, to } => {
                format!("Status changed: {}.", quoted(to.label(lang), lang))
            }
            SystemNote::BookingChanged { from, to } => match booking_change(from, to, lang) {
                Some(change) => format!("Booking changed: {change}."),
                None => "Booking changed.".to_owned(),
            },
            SystemNote::RefundStarted { amount } => format!("Refund requested: {amount}."),
            SystemNote::Refunded { amount } => format!("Refund completed: {amount}."),
            SystemNote::ExecutorChanged { from, to } => format!(
                "Executor changed: {} → {}.",
                from.as_deref().unwrap_or(unassigned(lang)),
                to.as_deref().unwrap_or(unassigned(lang))
            ),
            SystemNote::DeadlinesChanged { .. } => {
                format!("Due times changed: {}.", self.deadlines(lang))
            }
            SystemNote::LineCollected { name, outcome, .. } => match outcome {
                LineOutcome::Collected => format!("Line collected: {}.", quoted(name, lang)),
                LineOutcome::Missing { quantity } => {
                    format!("Line {} missing: {quantity} pcs.", quoted(name, lang))
                }
            },
            SystemNote::CollectionUndone { name, .. } => {
                format!("Collection mark taken back: {}.", quoted(name, lang))
            }
        }
    }

    /// The due times that changed, «Срок первого ответа: … → …; …».
    fn deadlines(&self, lang: Lang) -> String {
        let SystemNote::DeadlinesChanged {
            first_response_from,
            first_response_to,
            completion_from,
            completion_to,
        } = self
        else {
            return String::new();
        };
        let (first, done) = match lang {
            Lang::Ru => ("срок первого ответа", "срок исполнения"),
            Lang::En => ("first response due", "completion due"),
        };
        let parts: Vec<String> = [
            due_change(first, *first_response_from, *first_response_to, lang),
            due_change(done, *completion_from, *completion_to, lang),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            no_time(lang).to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// «04.12.2026 15:00–17:00 → 05.12.2026 10:00–11:00», naming the objects
/// when the booking moved to another one.
fn booking_change(
    from: &Option<BookingSpan>,
    to: &Option<BookingSpan>,
    lang: Lang,
) -> Option<String> {
    let (from, to) = (from.as_ref()?, to.as_ref()?);
    // Only the payer or the comment changed: no time to quote.
    if from == to {
        return None;
    }
    let moved = from.object.is_some() && from.object != to.object;
    Some(format!(
        "{} → {}",
        from.text(lang, moved),
        to.text(lang, moved)
    ))
}
