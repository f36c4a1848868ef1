//! Fixtures shared by the rule tests: orders of every kind in every status,
//! and the cast of actors.

#![allow(dead_code)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use orderdesk_domain::{
    Actor, BookingFacts, LineFacts, LineNo, LineOutcome, Money, OrderFacts, OrderKind, Payer,
    PaymentState, Period, ResourceId, Role, Slot, SlotRange, Status, UserId,
};

pub const SERVICE: UserId = UserId(1);
pub const SERVICE_OTHER: UserId = UserId(2);
pub const RENTAL: UserId = UserId(3);
pub const RENTAL_OTHER: UserId = UserId(4);
pub const SHOP: UserId = UserId(5);
pub const RESIDENT: UserId = UserId(10);
pub const NEIGHBOUR: UserId = UserId(11);
pub const ADMIN: UserId = UserId(20);

/// How much of a priced order has been paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Funding {
    Free,
    Unpaid,
    Partly,
    Paid,
    Company,
}

impl Funding {
    pub fn id(self) -> &'static str {
        match self {
            Funding::Free => "free",
            Funding::Unpaid => "unpaid",
            Funding::Partly => "partly",
            Funding::Paid => "paid",
            Funding::Company => "company",
        }
    }

    pub fn for_kind(kind: OrderKind) -> Vec<Funding> {
        match kind {
            OrderKind::SimpleRequest | OrderKind::PremisesRequest => vec![Funding::Free],
            OrderKind::NomenclatureSale => vec![Funding::Unpaid, Funding::Partly, Funding::Paid],
            _ => vec![
                Funding::Unpaid,
                Funding::Partly,
                Funding::Paid,
                Funding::Company,
            ],
        }
    }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 3, 1, 7, 18, 0)
        .single()
        .expect("valid time")
}

pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 3, 1).expect("valid date")
}

/// 15:00–17:00, four slots of 100 ₽: the source's example.
pub fn booking_facts() -> BookingFacts {
    let first = Slot::parse("15:00").expect("on the grid");
    BookingFacts {
        resource: ResourceId(1),
        slot_price: Money::rub(100),
        range: SlotRange::new(day(), first, 4).expect("fits the day"),
    }
}

/// The same number of slots two hours later.
pub fn later_range(range: SlotRange) -> SlotRange {
    let first = Slot::from_index(range.first.index() + 4).expect("on the grid");
    SlotRange::new(range.date, first, range.count).expect("fits the day")
}

pub fn period() -> Period {
    Period {
        start: now() + Duration::hours(5),
        end: now() + Duration::hours(7),
    }
}

pub fn responsible_for(kind: OrderKind) -> UserId {
    match kind {
        OrderKind::SimpleRequest | OrderKind::PremisesRequest => SERVICE,
        OrderKind::NomenclatureSale => SHOP,
        _ => RENTAL,
    }
}

/// An order of a kind in a status, as it would stand in the database.
pub fn fixture(kind: OrderKind, status: Status, funding: Funding) -> OrderFacts {
    let responsible = match kind {
        OrderKind::SimpleRequest | OrderKind::PremisesRequest => vec![SERVICE],
        OrderKind::NomenclatureSale => vec![SHOP],
        _ => vec![RENTAL],
    };
    let mut order = OrderFacts::new(kind, RESIDENT, responsible);
    order.status = status;
    let total = match kind {
        OrderKind::SimpleRequest | OrderKind::PremisesRequest => Money::ZERO,
        OrderKind::Booking => Money::rub(400),
        OrderKind::CoworkingBooking => Money::rub(400),
        OrderKind::HotelBooking => Money::rub(3500),
        OrderKind::NomenclatureSale => Money::rub(540),
    };
    let paid = match funding {
        Funding::Free | Funding::Unpaid | Funding::Company => Money::ZERO,
        Funding::Partly => Money::rub(200),
        Funding::Paid => total,
    };
    // What was paid is given back (refunded) or on its way (refunding).
    let (refunded, refunding) = match status {
        Status::CancelledRefunded => (paid, Money::ZERO),
        Status::CancelledRefundPending => (Money::ZERO, paid),
        _ => (Money::ZERO, Money::ZERO),
    };
    order.payment = PaymentState {
        total,
        paid,
        refunded,
        refunding,
    };
    if funding == Funding::Company {
        order.payer = Payer::Company {
            payer_id: UserId(70),
        };
    }
    if status == Status::AwaitingConfirmation {
        order.awaiting_since = Some(now());
    }
    if kind.holds_resource() {
        order.period = Some(period());
    }
    if kind == OrderKind::Booking {
        order.booking = Some(booking_facts());
    }
    if kind == OrderKind::NomenclatureSale {
        let decided = matches!(status, Status::ReadyForPickup | Status::Done);
        order.lines = vec![
            LineFacts {
                line: LineNo(1),
                quantity: 2,
                unit_price: Money::rub(150),
                outcome: decided.then_some(LineOutcome::Collected),
            },
            LineFacts {
                line: LineNo(2),
                quantity: 3,
                unit_price: Money::rub(80),
                outcome: decided.then_some(LineOutcome::Collected),
            },
        ];
    }
    order
}

/// The cast, in the column order of the rule table.
pub fn actors() -> Vec<(String, Actor)> {
    [
        ("service", Actor::user(SERVICE, Role::ServiceManager)),
        (
            "service_outsider",
            Actor::user(SERVICE_OTHER, Role::ServiceManager),
        ),
        ("rental", Actor::user(RENTAL, Role::RentalManager)),
        (
            "rental_outsider",
            Actor::user(RENTAL_OTHER, Role::RentalManager),
        ),
        ("shop", Actor::user(SHOP, Role::ShopManager)),
        ("requester", Actor::user(RESIDENT, Role::Requester)),
        ("other_requester", Actor::user(NEIGHBOUR, Role::Requester)),
        ("admin", Actor::user(ADMIN, Role::Admin)),
        ("system", Actor::System),
    ]
    .into_iter()
    .map(|(n, a)| (n.to_owned(), a))
    .collect()
}

pub fn actor(name: &str) -> Actor {
    actors()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, a)| a)
        .expect("a known actor")
}
