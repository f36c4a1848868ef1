//! Shop collection: each line collected, or missing with a quantity; and the
//! money owed back for what could not be collected.

use crate::money::Money;
use crate::order::{LineFacts, PaymentState};
use serde::{Deserialize, Serialize};

/// What the shop manager found for a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum LineOutcome {
    /// Every unit of the line is there.
    Collected,
    /// `quantity` units could not be collected (the rest were).
    Missing { quantity: u32 },
}

impl LineOutcome {
    pub fn missing(self) -> u32 {
        match self {
            LineOutcome::Collected => 0,
            LineOutcome::Missing { quantity } => quantity,
        }
    }
}

/// The order total once missing units are taken off.
pub fn shop_total_after_collection(lines: &[LineFacts]) -> Money {
    lines
        .iter()
        .map(|l| {
            let missing = l.outcome.map_or(0, LineOutcome::missing).min(l.quantity);
            l.unit_price * i64::from(l.quantity - missing)
        })
        .sum()
}

/// What must go back to the buyer for missing units, given what was paid and
/// already refunded. Nothing is owed on an unpaid order.
pub fn shop_refund_due(lines: &[LineFacts], payment: PaymentState) -> Money {
    let owed_total = shop_total_after_collection(lines);
    (payment.held() - owed_total).max(Money::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::LineNo;

    fn line(n: u32, qty: u32, price: i64, outcome: Option<LineOutcome>) -> LineFacts {
        LineFacts {
            line: LineNo(n),
            quantity: qty,
            unit_price: Money::rub(price),
            outcome,
        }
    }

    #[test]
    fn missing_units_of_a_paid_order_are_refunded_for_that_line() {
        let lines = [
            line(1, 2, 150, Some(LineOutcome::Collected)),
            line(2, 3, 80, Some(LineOutcome::Missing { quantity: 2 })),
        ];
        let paid = PaymentState {
            total: Money::rub(540),
            paid: Money::rub(540),
            refunded: Money::ZERO,
            refunding: Money::ZERO,
        };
        assert_eq!(shop_total_after_collection(&lines), Money::rub(380));
        assert_eq!(shop_refund_due(&lines, paid), Money::rub(160));
        let unpaid = PaymentState {
            total: Money::rub(540),
            ..PaymentState::default()
        };
        assert_eq!(shop_refund_due(&lines, unpaid), Money::ZERO);
        let refunded = PaymentState {
            refunded: Money::rub(160),
            ..paid
        };
        assert_eq!(shop_refund_due(&lines, refunded), Money::ZERO);
        let on_its_way = PaymentState {
            refunding: Money::rub(160),
            ..paid
        };
        assert_eq!(shop_refund_due(&lines, on_its_way), Money::ZERO);
    }
}
