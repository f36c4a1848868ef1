//! What a meeting-room booking edit may change once money has come in: an
//! individual who has paid keeps the number of slots and the total paid.
//!
//! [`decide`](crate::decide) refuses an edit that breaks this; the server
//! computes the saved total with [`booking_edit_total`]; the UI offers only
//! [`paid_slot_count`] slots.

use crate::action::BookingEdit;
use crate::money::Money;
use crate::order::{OrderFacts, Payer};

/// Whether a booking with this payer and this much paid keeps its paid slot
/// count and total through an edit. A company is invoiced afterwards, so its
/// booking follows the new time.
pub fn keeps_paid_slots(payer: Payer, paid: Money) -> bool {
    payer == Payer::Individual && paid.is_positive()
}

/// The number of slots an edit must keep, when the payer has paid for them.
pub fn paid_slot_count(payer: Payer, paid: Money, slots_now: u8) -> Option<u8> {
    keeps_paid_slots(payer, paid).then_some(slots_now)
}

/// The order's total once the edit is saved: a paid individual's total stays
/// as paid (the rules have made sure the price is the same); otherwise the
/// total is the new slots at the new object's price.
pub fn booking_edit_total(order: &OrderFacts, edit: &BookingEdit) -> Money {
    if keeps_paid_slots(order.payer, order.payment.paid) {
        order.payment.total
    } else {
        edit.range.price(edit.slot_price)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ResourceId, UserId};
    use crate::kind::OrderKind;
    use crate::slots::{Slot, SlotRange};
    use chrono::NaiveDate;
    use rstest::rstest;

    const COMPANY: Payer = Payer::Company {
        payer_id: UserId(7),
    };

    fn range(count: u8) -> SlotRange {
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).expect("date");
        let first = Slot::from_index(14).expect("slot");
        SlotRange::new(date, first, count).expect("range")
    }

    #[rstest]
    #[case::paid_individual_keeps_total(Payer::Individual, 400, 4, 150, 400)]
    #[case::unpaid_individual_follows_new_time(Payer::Individual, 0, 2, 150, 300)]
    #[case::paid_company_follows_new_time(COMPANY, 400, 2, 100, 200)]
    #[case::unpaid_company_follows_new_time(COMPANY, 0, 3, 100, 300)]
    fn an_edit_saves_the_total_by_who_paid(
        #[case] payer: Payer,
        #[case] paid_rub: i64,
        #[case] new_count: u8,
        #[case] new_slot_price_rub: i64,
        #[case] expected_rub: i64,
    ) {
        let mut order = OrderFacts::new(OrderKind::Booking, UserId(1), vec![UserId(2)]);
        order.payer = payer;
        order.payment.total = Money::rub(400);
        order.payment.paid = Money::rub(paid_rub);
        let edit = BookingEdit {
            resource: ResourceId(3),
            slot_price: Money::rub(new_slot_price_rub),
            range: range(new_count),
            payer,
        };
        assert_eq!(booking_edit_total(&order, &edit), Money::rub(expected_rub));
    }

    #[rstest]
    #[case::paid_individual(Payer::Individual, 1, Some(4))]
    #[case::unpaid_individual(Payer::Individual, 0, None)]
    #[case::paid_company(COMPANY, 400, None)]
    fn a_paid_individual_keeps_the_slot_count(
        #[case] payer: Payer,
        #[case] paid_kopecks: i64,
        #[case] expected: Option<u8>,
    ) {
        assert_eq!(paid_slot_count(payer, Money(paid_kopecks), 4), expected);
    }
}
