//! The words of a notification about an order, written once: the server
//! sends them with a notice and the app's core writes them again when the
//! manager's language changes.

use crate::ids::OrderNumber;
use crate::text::Lang;

/// «Заказ №1042: Уборка» — the body of a notification about an order.
pub fn notice_body(lang: Lang, number: OrderNumber, title: &str) -> String {
    match lang {
        Lang::Ru => format!("Заказ №{number}: {title}"),
        Lang::En => format!("Order #{number}: {title}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_names_the_order_in_each_language() {
        assert_eq!(
            notice_body(Lang::Ru, OrderNumber(1042), "Уборка"),
            "Заказ №1042: Уборка"
        );
        assert_eq!(
            notice_body(Lang::En, OrderNumber(1042), "Уборка"),
            "Order #1042: Уборка"
        );
    }
}
