//! Rows as they come out of the tables: plain data, no rules. The `orders`
//! module turns them into domain facts and the `view` module into wire types.

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    pub role: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub auto_close_minutes: i64,
}

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ResourceRow {
    pub id: i64,
    pub service_id: i64,
    pub name: String,
    pub tariff: Option<String>,
    pub unit_price: i64,
    pub capacity: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProductRow {
    pub id: i64,
    pub service_id: i64,
    pub name: String,
    pub price: i64,
}

/// An order's own columns.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub number: i64,
    pub kind: String,
    pub status: String,
    pub service_id: i64,
    pub requester_id: i64,
    pub executor_id: Option<i64>,
    pub payer_company_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub comment: Option<String>,
    pub premises: Option<String>,
    pub visitor_name: Option<String>,
    pub visitor_phone: Option<String>,
    pub visitor_email: Option<String>,
    pub resource_id: Option<i64>,
    pub booking_date: Option<NaiveDate>,
    pub first_slot: Option<i64>,
    pub slot_count: Option<i64>,
    pub slot_price: Option<i64>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub adults: Option<i64>,
    pub children: Option<i64>,
    pub extras_separate_line: bool,
    pub ticket_number: Option<String>,
    pub reservation_number: Option<String>,
    pub period_start: Option<DateTime<Utc>>,
    pub period_end: Option<DateTime<Utc>>,
    pub total: i64,
    pub paid: i64,
    pub refunded: i64,
    /// Refunds asked for and not yet completed.
    pub refunding: i64,
    pub payment_token: Option<String>,
    pub awaiting_since: Option<DateTime<Utc>>,
    pub first_response_due: Option<DateTime<Utc>>,
    pub completion_due: Option<DateTime<Utc>>,
    pub search: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An order with the names the list shows beside it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderListRow {
    #[sqlx(flatten)]
    pub order: OrderRow,
    pub service_name: String,
    pub requester_name: String,
    pub executor_name: Option<String>,
    pub resource_name: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub order_id: i64,
    pub line: i64,
    pub product_id: Option<i64>,
    pub name: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub outcome: Option<String>,
    pub missing: i64,
    pub time: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub order_id: i64,
    pub kind: String,
    pub source: String,
    pub status: String,
    pub amount: i64,
    pub created_at: DateTime<Utc>,
    pub completes_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub order_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub visibility: String,
    pub system: bool,
    pub text: String,
    /// A system message's note as JSON; see migration 0008.
    #[sqlx(default)]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One entry of an order's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub order_id: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EmailRow {
    pub id: i64,
    pub order_id: Option<i64>,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    pub order_id: i64,
    pub order_number: i64,
    pub event: String,
    pub created_at: DateTime<Utc>,
}
