//! The six kinds of order and the twelve statuses, with their ids and labels.

use crate::text::Lang;
use serde::{Deserialize, Serialize};

/// What an order is for; decides which manager role processes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    SimpleRequest,
    PremisesRequest,
    Booking,
    CoworkingBooking,
    HotelBooking,
    NomenclatureSale,
}

impl OrderKind {
    pub const ALL: [OrderKind; 6] = [
        OrderKind::SimpleRequest,
        OrderKind::PremisesRequest,
        OrderKind::Booking,
        OrderKind::CoworkingBooking,
        OrderKind::HotelBooking,
        OrderKind::NomenclatureSale,
    ];

    pub fn id(self) -> &'static str {
        match self {
            OrderKind::SimpleRequest => "simple_request",
            OrderKind::PremisesRequest => "premises_request",
            OrderKind::Booking => "booking",
            OrderKind::CoworkingBooking => "coworking_booking",
            OrderKind::HotelBooking => "hotel_booking",
            OrderKind::NomenclatureSale => "nomenclature_sale",
        }
    }

    pub fn parse(id: &str) -> Option<OrderKind> {
        OrderKind::ALL.into_iter().find(|k| k.id() == id)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => match self {
                OrderKind::SimpleRequest => "Простая заявка",
                OrderKind::PremisesRequest => "Заявка с помещением",
                OrderKind::Booking => "Бронирование",
                OrderKind::CoworkingBooking => "Бронирование коворкинга",
                OrderKind::HotelBooking => "Бронирование отеля",
                OrderKind::NomenclatureSale => "Продажа номенклатуры",
            },
            Lang::En => match self {
                OrderKind::SimpleRequest => "Simple request",
                OrderKind::PremisesRequest => "Request with premises",
                OrderKind::Booking => "Booking",
                OrderKind::CoworkingBooking => "Coworking booking",
                OrderKind::HotelBooking => "Hotel booking",
                OrderKind::NomenclatureSale => "Nomenclature sale",
            },
        }
    }

    /// Requests: processed by a service manager, confirmed by the requester.
    pub fn is_request(self) -> bool {
        matches!(self, OrderKind::SimpleRequest | OrderKind::PremisesRequest)
    }

    /// Orders that hold an object for a time: slots, desks or rooms.
    pub fn holds_resource(self) -> bool {
        matches!(
            self,
            OrderKind::Booking | OrderKind::CoworkingBooking | OrderKind::HotelBooking
        )
    }
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    InProgress,
    AwaitingConfirmation,
    Done,
    Confirmed,
    Active,
    Finished,
    Collecting,
    ReadyForPickup,
    Cancelled,
    CancelledRefundPending,
    CancelledRefunded,
}

impl Status {
    pub const ALL: [Status; 12] = [
        Status::New,
        Status::InProgress,
        Status::AwaitingConfirmation,
        Status::Done,
        Status::Confirmed,
        Status::Active,
        Status::Finished,
        Status::Collecting,
        Status::ReadyForPickup,
        Status::Cancelled,
        Status::CancelledRefundPending,
        Status::CancelledRefunded,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::AwaitingConfirmation => "awaiting_confirmation",
            Status::Done => "done",
            Status::Confirmed => "confirmed",
            Status::Active => "active",
            Status::Finished => "finished",
            Status::Collecting => "collecting",
            Status::ReadyForPickup => "ready_for_pickup",
            Status::Cancelled => "cancelled",
            Status::CancelledRefundPending => "cancelled_refund_pending",
            Status::CancelledRefunded => "cancelled_refunded",
        }
    }

    pub fn parse(id: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => match self {
                Status::New => "Новый",
                Status::InProgress => "В работе",
                Status::AwaitingConfirmation => "Выполнен. Ожидает подтверждения",
                Status::Done => "Выполнен",
                Status::Confirmed => "Подтвержден",
                Status::Active => "Активен",
                Status::Finished => "Завершен",
                Status::Collecting => "Собирается",
                Status::ReadyForPickup => "Готов к выдаче",
                Status::Cancelled => "Отменен",
                Status::CancelledRefundPending => "Отменен. Выполняется возврат",
                Status::CancelledRefunded => "Отменен. Выполнен возврат",
            },
            Lang::En => match self {
                Status::New => "New",
                Status::InProgress => "In progress",
                Status::AwaitingConfirmation => "Done. Awaiting confirmation",
                Status::Done => "Done",
                Status::Confirmed => "Confirmed",
                Status::Active => "Active",
                Status::Finished => "Finished",
                Status::Collecting => "Collecting",
                Status::ReadyForPickup => "Ready for pickup",
                Status::Cancelled => "Cancelled",
                Status::CancelledRefundPending => "Cancelled. Refund in progress",
                Status::CancelledRefunded => "Cancelled. Refunded",
            },
        }
    }

    pub fn is_cancelled(self) -> bool {
        matches!(
            self,
            Status::Cancelled | Status::CancelledRefundPending | Status::CancelledRefunded
        )
    }

    /// Nothing more happens to the order except, for a paid cancelled one,
    /// the refund completing.
    pub fn is_final(self) -> bool {
        self.is_cancelled() || matches!(self, Status::Done | Status::Finished)
    }

    /// The colour of the dot beside the status in lists, as a design token.
    pub fn tone(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress | Status::Collecting | Status::Active => "work",
            Status::AwaitingConfirmation | Status::ReadyForPickup | Status::Confirmed => "wait",
            Status::Done | Status::Finished => "done",
            Status::Cancelled | Status::CancelledRefundPending | Status::CancelledRefunded => {
                "cancelled"
            }
        }
    }

    /// Statuses an order of this kind can ever be in.
    pub fn applies_to(self, kind: OrderKind) -> bool {
        match self {
            Status::New
            | Status::Cancelled
            | Status::CancelledRefundPending
            | Status::CancelledRefunded => true,
            Status::InProgress | Status::AwaitingConfirmation => kind.is_request(),
            Status::Done => kind.is_request() || kind == OrderKind::NomenclatureSale,
            Status::Confirmed | Status::Active | Status::Finished => kind.holds_resource(),
            Status::Collecting | Status::ReadyForPickup => kind == OrderKind::NomenclatureSale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_parse_and_serde() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.id()), Some(s));
            let json = serde_json::to_string(&s).expect("serialize");
            assert_eq!(json, format!("\"{}\"", s.id()));
        }
        for k in OrderKind::ALL {
            assert_eq!(OrderKind::parse(k.id()), Some(k));
            let json = serde_json::to_string(&k).expect("serialize");
            assert_eq!(json, format!("\"{}\"", k.id()));
        }
        assert_eq!(Status::parse("closed"), None);
    }
}
