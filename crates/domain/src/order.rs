//! The facts about an order that the rules read. The server builds them from
//! its tables, the client core from its cache; neither passes anything else.

use crate::ids::{LineNo, ResourceId, UserId};
use crate::kind::{OrderKind, Status};
use crate::money::Money;
use crate::shop::LineOutcome;
use crate::slots::SlotRange;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Who pays for an order. On the wire: `{"kind": "individual"}` or
/// `{"kind": "company", "payer_id": 7}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payer {
    /// The requester as a private person.
    Individual,
    /// A company, identified by the user account that represents it.
    Company { payer_id: UserId },
}

impl Payer {
    pub fn is_company(self) -> bool {
        matches!(self, Payer::Company { .. })
    }

    /// The company account that pays, if a company does.
    pub fn company_id(self) -> Option<UserId> {
        match self {
            Payer::Company { payer_id } => Some(payer_id),
            Payer::Individual => None,
        }
    }

    /// A company payer by its account, or the requester when there is none.
    pub fn from_company(payer_id: Option<UserId>) -> Payer {
        payer_id.map_or(Payer::Individual, |payer_id| Payer::Company { payer_id })
    }
}

/// Money owed, paid and given back on an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PaymentState {
    pub total: Money,
    pub paid: Money,
    /// Refunds the provider has completed.
    pub refunded: Money,
    /// Refunds asked for and still on their way (a missing shop line, say):
    /// no longer held, not yet given back.
    #[serde(default)]
    pub refunding: Money,
}

impl PaymentState {
    pub fn outstanding(self) -> Money {
        (self.total - self.paid).max(Money::ZERO)
    }

    /// Money received that no refund, done or on its way, gives back yet.
    pub fn held(self) -> Money {
        (self.paid - self.refunded - self.refunding).max(Money::ZERO)
    }

    /// Money received and not yet given back, whether a refund of it is on
    /// its way or not.
    pub fn not_given_back(self) -> Money {
        (self.paid - self.refunded).max(Money::ZERO)
    }

    pub fn is_paid_in_full(self) -> bool {
        self.total.is_positive() && self.paid >= self.total
    }

    /// «Провести оплату» applies: some money came, not all of it.
    pub fn is_partly_paid(self) -> bool {
        self.paid.is_positive() && self.paid < self.total
    }

    /// A priced order with nothing paid yet. The order's payment state
    /// «В процессе оплаты» is [`awaiting_payment`], which also reads who pays.
    pub fn awaits_payment(self) -> bool {
        self.total.is_positive() && !self.paid.is_positive()
    }
}

/// The time an order holds its object: a booking's slots, a coworking day,
/// hotel nights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What a meeting-room booking holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingFacts {
    pub resource: ResourceId,
    pub slot_price: Money,
    pub range: SlotRange,
}

/// One line of a shop order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFacts {
    pub line: LineNo,
    pub quantity: u32,
    pub unit_price: Money,
    /// `None` until the line has been collected or found missing.
    pub outcome: Option<LineOutcome>,
}

/// Everything the rules need to know about one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFacts {
    pub kind: OrderKind,
    pub status: Status,
    pub requester: UserId,
    pub executor: Option<UserId>,
    /// The service's responsible users («ответственные за обработку»).
    pub responsible: Vec<UserId>,
    pub payer: Payer,
    pub payment: PaymentState,
    /// When the order entered `awaiting_confirmation`, if it is there.
    pub awaiting_since: Option<DateTime<Utc>>,
    /// The service's «время автозакрытия заказа».
    pub auto_close_after: Duration,
    pub period: Option<Period>,
    pub booking: Option<BookingFacts>,
    pub lines: Vec<LineFacts>,
}

impl OrderFacts {
    /// A fresh order of a kind in `new`, for building examples and tests.
    pub fn new(kind: OrderKind, requester: UserId, responsible: Vec<UserId>) -> OrderFacts {
        OrderFacts {
            kind,
            status: Status::New,
            requester,
            executor: None,
            responsible,
            payer: Payer::Individual,
            payment: PaymentState::default(),
            awaiting_since: None,
            auto_close_after: Duration::hours(24),
            period: None,
            booking: None,
            lines: Vec::new(),
        }
    }

    pub fn is_responsible(&self, user: UserId) -> bool {
        self.responsible.contains(&user)
    }
}

/// What «Отменить заказ» gives back now: the money received that no refund,
/// done or on its way, gives back yet («Будет возвращено 400 ₽»).
pub fn refund_on_cancel(payment: PaymentState) -> Money {
    payment.held()
}

/// «В процессе оплаты» beside the status: a live order the requester pays
/// for by card, priced, with nothing paid yet. A company pays by invoice, so
/// its orders never wait for the payment link.
pub fn awaiting_payment(status: Status, payer: Payer, payment: PaymentState) -> bool {
    !status.is_cancelled() && !payer.is_company() && payment.awaits_payment()
}
