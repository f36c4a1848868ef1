//! Orders as lists and as the full card a manager opens.
//!
//! No label travels here: statuses, kinds and roles go as ids, and a client
//! shows them with the domain's `label(Lang)`, in the user's language.

use chrono::{DateTime, FixedOffset, NaiveDate};
use orderdesk_domain::{
    LineNo, LineOutcome, Money, OrderKind, OrderNumber, Payer, ResourceId, Role, ServiceId, Status,
    StatusHint, SystemNote, UserId,
};

pub use orderdesk_domain::AllowedActions;
use serde::{Deserialize, Serialize};

/// `GET /orders` filters. Every field is optional; pages start at 1.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OrderListQuery {
    /// A status id, e.g. `in_progress`.
    pub status: Option<String>,
    /// A kind id, e.g. `booking`.
    pub kind: Option<String>,
    /// An order number, or text found in the subject, comment or requester.
    pub q: Option<String>,
    /// A user id, `me`, or `none` for orders with no executor.
    pub assignee: Option<String>,
    /// «Мои», «Без исполнителя» or «Просрочено»; with `assignee`, both apply.
    #[cfg_attr(feature = "openapi", param(inline))]
    pub quick: Option<QuickFilter>,
    /// `newest` (the default) or `due_soonest`.
    #[cfg_attr(feature = "openapi", param(inline))]
    pub sort: Option<ListSort>,
    /// From 1; 1 when absent.
    #[serde(default, deserialize_with = "crate::range::page")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 2147483647))]
    pub page: Option<u32>,
    /// 1 to 100; 20 when absent.
    #[serde(default, deserialize_with = "crate::range::per_page")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub per_page: Option<u32>,
}

/// The list's quick filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuickFilter {
    /// «Мои»: the caller is the executor.
    Mine,
    /// «Без исполнителя».
    Unassigned,
    /// «Просрочено»: a due time the order still awaits has passed, as
    /// [`orderdesk_domain::overdue`] decides.
    Overdue,
}

impl QuickFilter {
    pub const ALL: [QuickFilter; 3] = [
        QuickFilter::Mine,
        QuickFilter::Unassigned,
        QuickFilter::Overdue,
    ];
}

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListSort {
    /// Newest number first.
    #[default]
    Newest,
    /// The earliest due time still awaited ([`orderdesk_domain::next_due`])
    /// first; orders with none after them, newest first.
    DueSoonest,
}

/// The first line of a description as a list row shows it: trimmed, at
/// most [`DESCRIPTION_LINE_CHARS`] characters (an ellipsis marks a cut).
pub fn description_line(description: Option<&str>) -> Option<String> {
    let line = description?
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())?;
    if line.chars().count() <= DESCRIPTION_LINE_CHARS {
        return Some(line.to_owned());
    }
    let cut: String = line.chars().take(DESCRIPTION_LINE_CHARS - 1).collect();
    Some(format!("{}…", cut.trim_end()))
}

/// The longest description line a list row carries.
pub const DESCRIPTION_LINE_CHARS: usize = 120;

/// A page of orders, newest number first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderPage {
    pub items: Vec<OrderSummary>,
    /// Orders matching the filters, over all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// One row of the orders list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub number: OrderNumber,
    pub kind: OrderKind,
    pub status: Status,
    /// «В процессе оплаты» beside the status, as
    /// [`orderdesk_domain::awaiting_payment`] decides.
    #[serde(default)]
    pub awaiting_payment: bool,
    pub title: String,
    pub service: ServiceRef,
    pub requester_name: String,
    pub executor_name: Option<String>,
    /// The executor's id, for «Мои».
    #[serde(default)]
    pub executor_id: Option<UserId>,
    pub total: Money,
    /// The object and time held, e.g. «Переговорная Python, 15:00–17:00».
    pub period_text: Option<String>,
    /// The first line of the description ([`description_line`]).
    #[serde(default)]
    pub description_line: Option<String>,
    /// The room of a request («Офис 305») or the object held
    /// («Переговорная Python»).
    #[serde(default)]
    pub place: Option<String>,
    /// «Срок первого ответа» and «Срок исполнения»; the overdue mark is
    /// [`orderdesk_domain::overdue`] of these, the status and now.
    #[serde(default)]
    pub deadlines: Deadlines,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    pub version: i64,
}

/// A service, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRef {
    pub id: ServiceId,
    pub name: String,
    pub kind: OrderKind,
}

/// A bookable object, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceRef {
    pub id: ResourceId,
    pub name: String,
    /// «Стандарт» for coworking and the hotel.
    pub tariff: Option<String>,
}

/// A person on an order: requester, visitor, executor, a responsible user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    /// `None` for a visitor who has no account.
    pub id: Option<UserId>,
    pub name: String,
    pub role: Option<Role>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Money on the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentInfo {
    pub total: Money,
    pub paid: Money,
    pub refunded: Money,
    pub outstanding: Money,
    /// «В процессе оплаты», as [`orderdesk_domain::awaiting_payment`]
    /// decides: a live order the requester pays for, with nothing paid yet.
    pub awaiting_payment: bool,
    /// «Провести оплату» applies.
    pub partly_paid: bool,
    /// What cancelling now gives back, as
    /// [`orderdesk_domain::refund_on_cancel`] decides: the cancel dialog's
    /// «Будет возвращено …».
    #[serde(default)]
    pub refund_on_cancel: Money,
    /// «Скопировать ссылку на сервис оплаты».
    pub payment_url: Option<String>,
}

/// Who pays: the requester as a person, or a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayerInfo {
    /// `{"kind": "individual"}` or `{"kind": "company", "payer_id": 7}`.
    #[serde(flatten)]
    pub payer: Payer,
    /// «Физическое лицо» or the company's name, e.g. «ООО Ромашка».
    pub name: String,
}

/// A meeting-room booking's object, day and slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingInfo {
    pub resource: ResourceRef,
    pub date: NaiveDate,
    /// Slot starts, `["15:00", "15:30", …]`.
    pub slots: Vec<String>,
    /// `15:00`.
    pub start: String,
    /// `17:00`.
    pub end: String,
    pub slot_price: Money,
}

/// A coworking ticket «Билет №».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoworkingInfo {
    pub resource: ResourceRef,
    pub ticket_number: String,
    pub date_from: NaiveDate,
    /// The last day, inclusive.
    pub date_to: NaiveDate,
    pub days: u32,
}

/// A hotel reservation «Бронирование №».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HotelInfo {
    pub resource: ResourceRef,
    pub reservation_number: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub nights: u32,
    pub adults: u32,
    pub children: u32,
    /// «Выделить доп. услуги отдельной строкой при оформлении счета и акта».
    pub extras_separate_line: bool,
}

/// One line: quantity × unit price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub line: LineNo,
    pub name: String,
    pub quantity: u32,
    pub unit_price: Money,
    /// Quantity × unit price, less missing units once collected.
    pub total: Money,
    /// Shop collection result; `None` until the line is collected.
    pub outcome: Option<LineOutcome>,
    /// A time of day for an extra, e.g. «Ранний заезд» at `08:00`.
    pub time: Option<String>,
}

/// Whether money came in or went back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentEntryKind {
    Payment,
    Refund,
}

/// Where a payment came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentSource {
    /// The payment gateway.
    Gateway,
    /// Recorded by a manager («Провести оплату»).
    Manual,
}

/// Whether a payment or refund has gone through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentEntryStatus {
    Pending,
    Completed,
}

/// One movement of money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentEntry {
    pub id: i64,
    pub kind: PaymentEntryKind,
    pub source: PaymentSource,
    pub status: PaymentEntryStatus,
    pub amount: Money,
    pub created_at: DateTime<FixedOffset>,
    pub completed_at: Option<DateTime<FixedOffset>>,
}

/// «Срок первого ответа» and «Срок исполнения».
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadlines {
    pub first_response_due: Option<DateTime<FixedOffset>>,
    pub completion_due: Option<DateTime<FixedOffset>>,
}

/// `GET /orders/{number}`: the whole card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderDetail {
    pub number: OrderNumber,
    pub kind: OrderKind,
    pub status: Status,
    pub title: String,
    pub description: Option<String>,
    pub comment: Option<String>,
    /// The room of a request with premises.
    pub premises: Option<String>,
    pub service: ServiceRef,
    pub payment: PaymentInfo,
    pub payer: PayerInfo,
    pub booking: Option<BookingInfo>,
    pub coworking: Option<CoworkingInfo>,
    pub hotel: Option<HotelInfo>,
    /// Start and end of what the order holds, whatever its kind.
    pub period_start: Option<DateTime<FixedOffset>>,
    pub period_end: Option<DateTime<FixedOffset>>,
    pub lines: Vec<OrderLine>,
    pub payments: Vec<PaymentEntry>,
    pub requester: Person,
    pub visitor: Option<Person>,
    pub executor: Option<Person>,
    /// The service's responsible users: the choices for «Изменить исполнителя».
    pub responsible: Vec<Person>,
    pub deadlines: Deadlines,
    pub allowed: AllowedActions,
    /// Why «Изменить статус» is absent for the caller, as
    /// [`orderdesk_domain::status_hint`] decides; the app shows its text.
    #[serde(default)]
    pub status_hint: Option<StatusHint>,
    /// Who changed what and when, oldest first. Staff only; empty for a
    /// requester.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// The service's canned replies for the public chat. Staff only.
    #[serde(default)]
    pub canned_replies: Vec<String>,
    pub version: i64,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// One entry of an order's history: a change, who made it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub at: DateTime<FixedOffset>,
    /// The person who made the change; `None` when the system did (the
    /// clock, the payment gateway).
    pub actor_id: Option<UserId>,
    pub actor_name: Option<String>,
    pub note: SystemNote,
    /// The note in the caller's language.
    pub text: String,
}
