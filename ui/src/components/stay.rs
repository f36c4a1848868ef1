//! Coworking tickets «Билет №…» and hotel reservations «Бронирование №…»:
//! the object with its tariff, the dates, and the guests.

use crate::format;
use crate::i18n::{t, Lang, Text};
use crate::model::{CoworkingInfo, HotelInfo, Person};
use dioxus::prelude::*;

#[component]
pub fn CoworkingCard(lang: Lang, ticket: CoworkingInfo, visitor: Option<Person>) -> Element {
    let days = if lang == Lang::Ru {
        format!("{} дн.", ticket.days)
    } else {
        format!("{} days", ticket.days)
    };
    rsx! {
        section { class: "card stay", id: "coworking-ticket",
            div { class: "card-head",
                h3 { class: "stay-title", "{t(lang, Text::Ticket)}{ticket.ticket_number}" }
            }
            TariffLine { lang, object: ticket.resource.name.clone(), tariff: ticket.resource.tariff.clone() }
            dl { class: "fields",
                div { class: "field-row",
                    dt { {if lang == Lang::Ru { "Даты" } else { "Dates" }} }
                    dd { "{format::day_month(lang, ticket.date_from)} – {format::day_month(lang, ticket.date_to)}, {days}" }
                }
                if let Some(visitor) = visitor {
                    div { class: "field-row",
                        dt { {t(lang, Text::Visitor)} }
                        dd { id: "visitor-name", {visitor.name.clone()} }
                    }
                }
            }
        }
    }
}

#[component]
pub fn HotelCard(lang: Lang, reservation: HotelInfo) -> Element {
    rsx! {
        section { class: "card stay", id: "hotel-reservation",
            div { class: "card-head",
                h3 { class: "stay-title", "{t(lang, Text::Reservation)}{reservation.reservation_number}" }
            }
            TariffLine { lang, object: reservation.resource.name.clone(), tariff: reservation.resource.tariff.clone() }
            div { class: "stay-dates",
                div { class: "stay-date",
                    span { class: "muted small", {if lang == Lang::Ru { "Заезд" } else { "Check-in" }} }
                    strong { {format::day_month(lang, reservation.check_in)} }
                }
                div { class: "stay-nights", "{reservation.nights} {nights_word(lang, reservation.nights)}" }
                div { class: "stay-date",
                    span { class: "muted small", {if lang == Lang::Ru { "Выезд" } else { "Check-out" }} }
                    strong { {format::day_month(lang, reservation.check_out)} }
                }
            }
            dl { class: "fields",
                div { class: "field-row", dt { {t(lang, Text::Adults)} } dd { "{reservation.adults}" } }
                div { class: "field-row", dt { {t(lang, Text::Children)} } dd { "{reservation.children}" } }
            }
            label { class: "check",
                input { r#type: "checkbox", disabled: true, checked: reservation.extras_separate_line }
                span { {t(lang, Text::ExtrasSeparateLine)} }
            }
        }
    }
}

#[component]
fn TariffLine(lang: Lang, object: String, tariff: Option<String>) -> Element {
    rsx! {
        div { class: "tariff-line",
            strong { {object} }
            if let Some(tariff) = tariff {
                span { class: "tariff", "{t(lang, Text::Tariff)} «{tariff}»" }
            }
        }
    }
}

/// «ночь», «ночи», «ночей» by the Russian rules for numbers.
pub fn nights_word(lang: Lang, n: u32) -> &'static str {
    if lang == Lang::En {
        return if n == 1 { "night" } else { "nights" };
    }
    match (n % 10, n % 100) {
        (1, m) if m != 11 => "ночь",
        (2..=4, m) if !(12..=14).contains(&m) => "ночи",
        _ => "ночей",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nights_agree_with_the_number() {
        assert_eq!(nights_word(Lang::Ru, 1), "ночь");
        assert_eq!(nights_word(Lang::Ru, 3), "ночи");
        assert_eq!(nights_word(Lang::Ru, 5), "ночей");
        assert_eq!(nights_word(Lang::Ru, 11), "ночей");
        assert_eq!(nights_word(Lang::Ru, 22), "ночи");
        assert_eq!(nights_word(Lang::En, 1), "night");
    }
}
