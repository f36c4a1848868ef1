//! Money as whole kopecks, never floating point.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Mul, Sub};

/// Money as a whole number of kopecks (1 ₽ = 100), never a fraction:
/// `150000` is 1 500 ₽. Negative values only arise as differences.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = 150000))]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// Whole roubles.
    pub const fn rub(rub: i64) -> Money {
        Money(rub * 100)
    }

    pub const fn kopecks(self) -> i64 {
        self.0
    }

    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Money) -> Money {
        Money(self.0.min(other.0))
    }

    /// Russian display: `1 000 ₽`, `12,50 ₽`, with a narrow space between
    /// thousands as the source document shows.
    pub fn format_rub(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let rub = abs / 100;
        let kop = abs % 100;
        let digits = rub.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(ch);
        }
        if kop == 0 {
            format!("{sign}{grouped}\u{a0}₽")
        } else {
            format!("{sign}{grouped},{kop:02}\u{a0}₽")
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_rub())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Mul<i64> for Money {
    type Output = Money;
    fn mul(self, rhs: i64) -> Money {
        Money(self.0 * rhs)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_roubles_with_thousands_groups() {
        assert_eq!(Money::rub(400).format_rub(), "400\u{a0}₽");
        assert_eq!(Money::rub(3500).format_rub(), "3\u{202f}500\u{a0}₽");
        assert_eq!(
            Money::rub(1_000_000).format_rub(),
            "1\u{202f}000\u{202f}000\u{a0}₽"
        );
        assert_eq!(Money(1250).format_rub(), "12,50\u{a0}₽");
        assert_eq!(Money(-5).format_rub(), "-0,05\u{a0}₽");
    }
}
