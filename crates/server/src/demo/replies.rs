//! The demo's canned replies: a few per service, chosen by the service's
//! kind, so they follow whatever services the catalogue has.

use orderdesk_domain::OrderKind;

use crate::error::ServiceError;
use crate::orders::facts::parse_kind;
use crate::storage::{self, Conn};

/// Replies a manager of a kind of service sends most often.
fn replies_for(kind: OrderKind) -> &'static [&'static str] {
    match kind {
        OrderKind::SimpleRequest | OrderKind::PremisesRequest => &[
            "Здравствуйте! Заявку приняли, мастер придет в течение часа.",
            "Работы выполнены. Пожалуйста, подтвердите выполнение заказа.",
            "Уточните, пожалуйста, удобное время для визита.",
        ],
        OrderKind::Booking | OrderKind::CoworkingBooking | OrderKind::HotelBooking => &[
            "Здравствуйте! Бронирование подтверждено, ждем вас.",
            "Ссылка на оплату отправлена, бронирование подтвердится после оплаты.",
            "К сожалению, это время занято. Предлагаем выбрать другое.",
        ],
        OrderKind::NomenclatureSale => &[
            "Здравствуйте! Заказ собираем, сообщим, когда он будет готов.",
            "Заказ готов, заберите его на ресепшене.",
            "Одного товара нет в наличии, стоимость вернем.",
        ],
    }
}

/// Gives every service of the catalogue its canned replies.
pub async fn seed(conn: &mut Conn) -> Result<(), ServiceError> {
    for service in storage::services(conn).await? {
        let kind = parse_kind(&service.kind)?;
        let replies: Vec<String> = replies_for(kind).iter().map(|r| (*r).to_owned()).collect();
        storage::set_replies(conn, service.id, &replies).await?;
    }
    Ok(())
}
