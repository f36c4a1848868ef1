//! The administrator's screens rendered as the app shows them, in both
//! languages: lists, forms with their values, the responsible managers a
//! service may have, errors in place, and the read-only state offline.

use super::fields::{read_rub, rub_text};
use super::*;
use crate::api::ErrorCode;
use orderdesk_domain::{Money, Role};
use orderdesk_protocol::{AdminObject, AdminProduct, AdminService, AdminUser, OpeningHours};

fn user(id: i64, login: &str, name: &str, role: Role, blocked: bool) -> AdminUser {
    AdminUser {
        id: UserId(id),
        login: login.into(),
        name: name.into(),
        role,
        phone: None,
        email: None,
        company: None,
        blocked,
        services: Vec::new(),
        version: 3,
    }
}

fn service(
    id: i64,
    name: &str,
    kind: OrderKind,
    responsible: &[i64],
    active: bool,
) -> AdminService {
    AdminService {
        id: ServiceId(id),
        name: name.into(),
        kind,
        auto_close_minutes: 1440,
        first_response_minutes: Some(60),
        completion_minutes: None,
        responsible: responsible.iter().copied().map(UserId).collect(),
        active,
        open_orders: 2,
        version: 5,
    }
}

fn object(
    id: i64,
    service: i64,
    kind: OrderKind,
    name: &str,
    hours: Option<(&str, &str)>,
) -> AdminObject {
    AdminObject {
        id: ResourceId(id),
        service_id: ServiceId(service),
        kind,
        name: name.into(),
        tariff: (kind != OrderKind::Booking).then(|| "Стандарт".to_owned()),
        unit_price: Money::rub(if kind == OrderKind::Booking {
            100
        } else {
            1000
        }),
        capacity: if kind == OrderKind::Booking { 1 } else { 12 },
        hours: hours.map(|(first, last)| OpeningHours {
            first_slot: first.into(),
            last_slot: last.into(),
        }),
        active: true,
        open_orders: 0,
        version: 1,
    }
}

fn product(id: i64, service: i64, name: &str, rub: i64, on_sale: bool) -> AdminProduct {
    AdminProduct {
        id,
        service_id: ServiceId(service),
        name: name.into(),
        price: Money::rub(rub),
        on_sale,
        version: 1,
    }
}

/// A small organisation, as read just now.
fn organisation() -> AdminData {
    AdminData {
        users: vec![
            user(1, "admin", "Анна Админова", Role::Admin, false),
            user(2, "service", "Мария Иванова", Role::ServiceManager, false),
            user(3, "rental", "Пётр Арендов", Role::RentalManager, false),
            user(4, "service2", "Олег Заблоков", Role::ServiceManager, true),
        ],
        services: vec![
            service(10, "Уборка", OrderKind::SimpleRequest, &[2], true),
            service(11, "Переговорные", OrderKind::Booking, &[3], true),
            service(12, "Отель «УЮТ»", OrderKind::HotelBooking, &[3], true),
            service(13, "Магазин", OrderKind::NomenclatureSale, &[], false),
        ],
        objects: vec![
            object(
                20,
                11,
                OrderKind::Booking,
                "Переговорная Python",
                Some(("09:00", "20:30")),
            ),
            object(21, 12, OrderKind::HotelBooking, "Отель «УЮТ»", None),
        ],
        products: vec![
            product(30, 13, "Кофе в зёрнах", 650, true),
            product(31, 13, "Чай", 300, false),
            product(32, 12, "Ранний заезд", 500, true),
        ],
        read_at: chrono::DateTime::parse_from_rfc3339("2026-12-01T14:32:00+03:00").ok(),
        fresh: true,
    }
}

#[derive(Props, Clone, PartialEq)]
struct Case {
    lang: Lang,
    data: AdminData,
    tab: AdminTab,
    editing: Option<Editing>,
    error: Option<ApiError>,
}

fn screen(case: Case) -> Element {
    let saving = use_signal(|| false);
    let error = use_signal(|| case.error.clone());
    let form = FormState {
        writable: case.data.fresh,
        saving,
        error,
        on_save: EventHandler::new(|_| {}),
        on_close: EventHandler::new(|_| {}),
        on_reload: EventHandler::new(|_| {}),
    };
    rsx! {
        AdminScreen { lang: case.lang, data: case.data, tab: case.tab, editing: case.editing, form,
            on_tab: |_| {}, on_open: |_| {} }
    }
}

fn render(lang: Lang, tab: AdminTab, editing: Option<Editing>) -> String {
    render_case(Case {
        lang,
        data: organisation(),
        tab,
        editing,
        error: None,
    })
}

fn render_case(case: Case) -> String {
    let mut dom = VirtualDom::new_with_props(screen, case);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

#[test]
fn the_users_screen_lists_every_account_in_both_languages() {
    let html = render(Lang::Ru, AdminTab::Users, None);
    for text in [
        "Настройки экосистемы",
        "Пользователи",
        "Услуги",
        "Объекты",
        "Товары",
        "Новый пользователь",
        "Мария Иванова",
        "service · Менеджер по услугам",
        "Заблокирован",
    ] {
        assert!(html.contains(text), "«{text}» missing: {html}");
    }
    assert_eq!(html.matches("class=\"admin-row\"").count(), 4, "{html}");
    assert!(!html.contains("admin-offline"), "online: no banner");
    let html = render(Lang::En, AdminTab::Users, None);
    for text in [
        "Ecosystem settings",
        "Users",
        "Services",
        "Objects",
        "Goods",
        "New user",
        "Blocked",
        "Service manager",
    ] {
        assert!(html.contains(text), "«{text}» missing: {html}");
    }
}

#[test]
fn a_user_form_offers_the_role_blocking_and_a_new_password() {
    let html = render(Lang::Ru, AdminTab::Users, Some(Editing::User(UserId(4))));
    for text in [
        "Олег Заблоков",
        "Роль",
        "Разблокировать",
        "Сбросить пароль",
        "Новый пароль",
        "Сохранить",
    ] {
        assert!(html.contains(text), "«{text}» missing: {html}");
    }
    assert!(html.contains("id=\"user-unblock\""), "{html}");
    assert!(
        !html.contains("id=\"user-block\""),
        "already blocked: {html}"
    );
    assert!(
        html.contains("admin admin-editing"),
        "the phone shows the form alone"
    );
    let html = render(Lang::Ru, AdminTab::Users, Some(Editing::NewUser));
    for id in ["user-login", "user-name", "user-role", "user-password"] {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "{id} missing: {html}"
        );
    }
    assert!(html.contains(">Создать<"), "{html}");
}

#[test]
fn a_service_offers_only_managers_whose_role_covers_its_kind() {
    let html = render(
        Lang::Ru,
        AdminTab::Services,
        Some(Editing::Service(ServiceId(10))),
    );
    for text in [
        "Время автозакрытия заказа",
        "value=\"1440\"",
        "value=\"60\"",
        "Ответственные менеджеры",
        "Принимает новые заказы",
    ] {
        assert!(html.contains(text), "«{text}» missing: {html}");
    }
    let responsible = &html[html.find("service-responsible").expect("the list")..];
    assert!(
        responsible.contains("data-login=\"service\""),
        "{responsible}"
    );
    assert!(
        responsible.contains("data-login=\"service2\""),
        "{responsible}"
    );
    assert!(
        !responsible.contains("data-login=\"rental\""),
        "a rental manager cannot answer requests"
    );
    assert!(
        !responsible.contains("data-login=\"admin\""),
        "{responsible}"
    );
    let html = render(
        Lang::En,
        AdminTab::Services,
        Some(Editing::Service(ServiceId(11))),
    );
    let responsible = &html[html.find("service-responsible").expect("the list")..];
    assert!(
        responsible.contains("data-login=\"rental\""),
        "{responsible}"
    );
    assert!(
        !responsible.contains("data-login=\"service\""),
        "{responsible}"
    );
    assert!(html.contains("Order auto-close time"), "{html}");
    let list = render(Lang::Ru, AdminTab::Services, None);
    assert!(
        list.contains("Простая заявка · автозакрытие 1440 мин"),
        "{list}"
    );
    assert!(
        list.contains("Отключена"),
        "the shop is switched off: {list}"
    );
}

#[test]
fn objects_show_rooms_with_hours_and_hotels_with_their_extras() {
    let html = render(Lang::Ru, AdminTab::Objects, None);
    for text in [
        "Переговорные",
        "Коворкинг",
        "Отель",
        "Переговорная Python",
        "09:00–20:30",
        "Номера: 12",
        "Доп. услуги",
        "Ранний заезд",
    ] {
        assert!(html.contains(text), "«{text}» missing: {html}");
    }
    assert!(
        !html.contains("Кофе в зёрнах"),
        "shop goods are not hotel extras"
    );
    let room = render(
        Lang::Ru,
        AdminTab::Objects,
        Some(Editing::Object(ResourceId(20))),
    );
    for text in [
        "Цена за 30 минут, ₽",
        "value=\"100\"",
        "Открывается",
        "object-last-slot",
    ] {
        assert!(room.contains(text), "«{text}» missing: {room}");
    }
    assert!(
        !room.contains("object-capacity"),
        "a meeting room is one place"
    );
    let hotel = render(
        Lang::En,
        AdminTab::Objects,
        Some(Editing::NewObject(OrderKind::HotelBooking)),
    );
    for text in ["Price per night, ₽", "Rooms", "Tariff", "pick-service"] {
        assert!(hotel.contains(text), "«{text}» missing: {hotel}");
    }
}

#[test]
fn goods_show_price_and_whether_on_sale() {
    let html = render(Lang::Ru, AdminTab::Goods, None);
    assert!(html.contains("Кофе в зёрнах"), "{html}");
    assert!(html.contains("Снят с продажи"), "{html}");
    assert!(
        !html.contains("Ранний заезд"),
        "hotel extras live under objects"
    );
    let form = render(Lang::Ru, AdminTab::Goods, Some(Editing::Product(30)));
    for text in ["value=\"650\"", "В продаже", "product-on-sale"] {
        assert!(form.contains(text), "«{text}» missing: {form}");
    }
}

#[test]
fn offline_the_screens_stay_readable_and_nothing_can_be_saved() {
    let mut data = organisation();
    data.fresh = false;
    let html = render_case(Case {
        lang: Lang::Ru,
        data,
        tab: AdminTab::Services,
        editing: Some(Editing::Service(ServiceId(10))),
        error: None,
    });
    assert!(
        html.contains("Нет связи с сервером: изменения недоступны"),
        "{html}"
    );
    assert!(html.contains("не ставятся в очередь"), "{html}");
    assert!(html.contains("Загружено: 01.12.2026 14:32"), "{html}");
    assert!(html.contains("Уборка"), "still readable: {html}");
    let save = &html[html.find("id=\"admin-save\"").expect("the save button")..];
    assert!(
        save[..save.find('>').unwrap_or(0)].contains("disabled"),
        "{save}"
    );
}

#[test]
fn refusals_show_in_the_form_and_a_stale_record_asks_to_reload() {
    let case = |code, message: &str| Case {
        lang: Lang::Ru,
        data: organisation(),
        tab: AdminTab::Services,
        editing: Some(Editing::Service(ServiceId(10))),
        error: Some(ApiError::new(code, message)),
    };
    let html = render_case(case(
        ErrorCode::InvalidMinutes,
        "Время автозакрытия: от 1 до 525 600 минут.",
    ));
    let error = &html[html.find("id=\"admin-error\"").expect("the error in place")..];
    assert!(error.contains("от 1 до 525 600 минут"), "{error}");
    assert!(html.contains("data-code=\"invalid_minutes\""), "{html}");
    let html = render_case(case(ErrorCode::StaleVersion, "version"));
    assert!(html.contains("изменил кто-то другой"), "{html}");
    assert!(html.contains("id=\"admin-reload\""), "{html}");
}

#[test]
fn roubles_are_read_as_typed() {
    assert_eq!(read_rub(Lang::Ru, "1500"), Ok(Money::rub(1500)));
    assert_eq!(read_rub(Lang::Ru, "1 500 ₽"), Ok(Money::rub(1500)));
    assert_eq!(read_rub(Lang::Ru, "99,9"), Ok(Money(9990)));
    assert_eq!(read_rub(Lang::Ru, "99.05"), Ok(Money(9905)));
    for wrong in ["", "abc", "1,234", "-5", "1.2.3"] {
        assert!(read_rub(Lang::Ru, wrong).is_err(), "{wrong}");
    }
    assert_eq!(rub_text(Money(9905)), "99,05");
    assert_eq!(rub_text(Money::rub(100)), "100");
}
