//! Example values for component tests and design previews. Test-only: the
//! app shows nothing but what the core returns.

use crate::model::{
    AllowedActions, BookingInfo, ChatMessage, MessageView, OrderDetail, OrderLine, OrderSummary,
    PayerInfo, PaymentInfo, Person, ResourceInfo,
};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use orderdesk_domain::{
    LineNo, Money, OrderKind, OrderNumber, ResourceId, Role, ServiceId, Status, SystemNote, UserId,
    Visibility,
};
use orderdesk_protocol::{Deadlines, MessageId, ResourceRef, ServiceRef};

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("valid fixture time")
}

fn person(id: i64, name: &str, phone: &str, email: &str) -> Person {
    Person {
        id: Some(UserId(id)),
        name: name.into(),
        role: Some(Role::Requester),
        phone: Some(phone.into()),
        email: Some(email.into()),
    }
}

fn service(kind: OrderKind, name: &str) -> ServiceRef {
    ServiceRef {
        id: ServiceId(kind as i64 + 1),
        name: name.into(),
        kind,
    }
}

/// `count` orders of every kind and several statuses, newest first.
pub fn orders(count: usize) -> Vec<OrderSummary> {
    let titles = [
        ("Уборка", None),
        ("Аренда помещения", None),
        (
            "Переговорная Python",
            Some("Переговорная Python, 15:00–17:00"),
        ),
        (
            "Коворкинг на 2 этаже",
            Some("Коворкинг на 2 этаже, 21.11.2026"),
        ),
        ("Отель «УЮТ»", Some("Отель «УЮТ», 29.11–30.11.2026")),
        ("Магазин", None),
    ];
    let executors = [None, Some("Ольга Смирнова"), Some("Иван Петров")];
    let base = at("2026-11-20T18:00:00+03:00");
    (0..count)
        .map(|i| {
            let kind = OrderKind::ALL[i % 6];
            let status = Status::ALL
                .into_iter()
                .filter(|s| s.applies_to(kind))
                .nth(i / 6 % 4)
                .unwrap_or(Status::New);
            let created_at = base - Duration::minutes(i as i64 * 37);
            let total = if kind.is_request() {
                Money::ZERO
            } else {
                Money::rub(400 + (i as i64 % 5) * 100)
            };
            let unpaid = orderdesk_domain::PaymentState {
                total,
                ..Default::default()
            };
            let awaiting = i % 3 == 0
                && orderdesk_domain::awaiting_payment(
                    status,
                    orderdesk_domain::Payer::Individual,
                    unpaid,
                );
            let (title, period) = titles[i % 6];
            OrderSummary {
                number: OrderNumber(1_000_000 + i as i64),
                kind,
                status,
                awaiting_payment: awaiting,
                title: title.into(),
                service: service(kind, title),
                requester_name: "Михаил Андреев".into(),
                executor_name: executors[i % 3].map(str::to_owned),
                executor_id: None,
                total,
                period_text: period.map(str::to_owned),
                description_line: None,
                place: None,
                deadlines: Default::default(),
                created_at,
                updated_at: created_at,
                version: 1,
            }
        })
        .collect()
}

pub fn resources() -> Vec<ResourceInfo> {
    ["Переговорная Python", "Переговорная Java"]
        .into_iter()
        .enumerate()
        .map(|(i, name)| ResourceInfo {
            id: ResourceId(i as i64 + 1),
            service_id: ServiceId(3),
            name: name.into(),
            tariff: None,
            unit_price: Money::rub(100),
            capacity: 1,
        })
        .collect()
}

pub fn individual() -> PayerInfo {
    PayerInfo {
        payer: orderdesk_domain::Payer::Individual,
        name: "Физическое лицо".into(),
    }
}

/// The site's offset in the fixtures: Moscow time.
pub fn site() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).expect("valid offset")
}

pub fn booking_info() -> BookingInfo {
    BookingInfo {
        resource: ResourceRef {
            id: ResourceId(1),
            name: "Переговорная Python".into(),
            tariff: None,
        },
        date: NaiveDate::from_ymd_opt(2023, 3, 1).expect("valid date"),
        slots: ["15:00", "15:30", "16:00", "16:30"]
            .map(str::to_owned)
            .to_vec(),
        start: "15:00".into(),
        end: "17:00".into(),
        slot_price: Money::rub(100),
    }
}

/// The chat as the core hands it: the sent messages, then a public answer
/// still waiting on this device.
pub fn message_views() -> Vec<MessageView> {
    let sent = messages();
    let mut waiting = sent[1].clone();
    waiting.id = MessageId(-1);
    waiting.text = "Сейчас уточню у администратора.".into();
    sent.into_iter()
        .map(|message| MessageView {
            message,
            pending: false,
        })
        .chain(std::iter::once(MessageView {
            message: waiting,
            pending: true,
        }))
        .collect()
}

pub fn messages() -> Vec<ChatMessage> {
    let created = at("2026-11-20T09:12:00+03:00");
    vec![
        ChatMessage {
            id: MessageId(1),
            visibility: Visibility::Public,
            system: true,
            author_id: None,
            author_name: None,
            note: Some(SystemNote::GatewayPayment),
            text: "Поступила оплата через платёжный шлюз.".into(),
            created_at: created,
        },
        ChatMessage {
            id: MessageId(2),
            visibility: Visibility::Public,
            system: false,
            author_id: Some(UserId(3)),
            author_name: Some("Михаил Андреев".into()),
            note: None,
            text: "Нужен проектор и доска.".into(),
            created_at: created + Duration::minutes(3),
        },
        ChatMessage {
            id: MessageId(3),
            visibility: Visibility::Internal,
            system: false,
            author_id: Some(UserId(8)),
            author_name: Some("Иван Петров".into()),
            note: None,
            text: "Проектор в переговорной Java, перенесу.".into(),
            created_at: created + Duration::minutes(5),
        },
    ]
}

fn managers() -> Vec<Person> {
    let mut olga = person(7, "Ольга Смирнова", "+7 (900) 100-20-30", "olga@example.ru");
    olga.role = Some(Role::ServiceManager);
    let mut ivan = person(8, "Иван Петров", "+7 (900) 100-20-31", "ivan@example.ru");
    ivan.role = Some(Role::ServiceManager);
    vec![olga, ivan]
}

/// The booking of the source document's screenshot: 1006273.
pub fn unpaid_booking() -> OrderDetail {
    let created = at("2023-03-01T10:18:00+03:00");
    let kind = OrderKind::Booking;
    OrderDetail {
        number: OrderNumber(1_006_273),
        kind,
        status: Status::New,
        title: "Переговорная Python".into(),
        description: None,
        comment: Some("Нужен проектор и доска.".into()),
        premises: None,
        service: service(kind, "Бронирование переговорных"),
        payment: PaymentInfo {
            total: Money::rub(400),
            paid: Money::ZERO,
            refunded: Money::ZERO,
            outstanding: Money::rub(400),
            awaiting_payment: true,
            partly_paid: false,
            refund_on_cancel: Money::ZERO,
            payment_url: Some("https://pay.example.ru/13998048068".into()),
        },
        payer: individual(),
        booking: Some(booking_info()),
        coworking: None,
        hotel: None,
        period_start: Some(at("2023-03-01T15:00:00+03:00")),
        period_end: Some(at("2023-03-01T17:00:00+03:00")),
        lines: vec![OrderLine {
            line: LineNo(1),
            name: "Переговорная Python".into(),
            quantity: 4,
            unit_price: Money::rub(100),
            total: Money::rub(400),
            outcome: None,
            time: None,
        }],
        // As the server sends it: no payment row until money arrives.
        payments: Vec::new(),
        requester: person(
            3,
            "Михаил Андреев",
            "+7 (922) 641-66-10",
            "andreevma59@gmail.com",
        ),
        visitor: None,
        executor: None,
        responsible: managers(),
        deadlines: Deadlines::default(),
        allowed: AllowedActions {
            status_targets: vec![Status::Confirmed],
            assign_executor: true,
            edit_booking: true,
            cancel: true,
            post_public: true,
            read_internal: true,
            post_internal: true,
            ..AllowedActions::default()
        },
        status_hint: None,
        history: Vec::new(),
        canned_replies: Vec::new(),
        version: 3,
        created_at: created,
        updated_at: created,
    }
}

/// A cleaning request in work with an executor and due times.
pub fn request_in_progress() -> OrderDetail {
    let created = at("2026-11-20T09:12:00+03:00");
    let kind = OrderKind::SimpleRequest;
    let managers = managers();
    OrderDetail {
        number: OrderNumber(1_006_401),
        kind,
        status: Status::InProgress,
        title: "Уборка".into(),
        description: Some("Пролили кофе на ковёр у переговорной".into()),
        comment: None,
        premises: Some("Офис 214".into()),
        service: service(kind, "Уборка"),
        payment: PaymentInfo {
            total: Money::ZERO,
            paid: Money::ZERO,
            refunded: Money::ZERO,
            outstanding: Money::ZERO,
            awaiting_payment: false,
            partly_paid: false,
            refund_on_cancel: Money::ZERO,
            payment_url: None,
        },
        payer: individual(),
        booking: None,
        coworking: None,
        hotel: None,
        period_start: None,
        period_end: None,
        lines: Vec::new(),
        payments: Vec::new(),
        requester: person(
            4,
            "Алексей Трошков",
            "+7 (965) 577-65-00",
            "troshkov@example.ru",
        ),
        visitor: None,
        executor: managers.first().cloned(),
        responsible: managers,
        deadlines: Deadlines {
            first_response_due: Some(at("2026-11-20T10:00:00+03:00")),
            completion_due: Some(at("2026-11-20T18:00:00+03:00")),
        },
        allowed: AllowedActions {
            status_targets: vec![Status::AwaitingConfirmation],
            assign_executor: true,
            change_deadlines: true,
            cancel: true,
            post_public: true,
            read_internal: true,
            post_internal: true,
            ..AllowedActions::default()
        },
        status_hint: None,
        history: Vec::new(),
        canned_replies: Vec::new(),
        version: 5,
        created_at: created,
        updated_at: created,
    }
}

/// Renders a root component to HTML inside a Dioxus runtime, as the app would.
pub fn render(root: fn() -> dioxus::prelude::Element) -> String {
    let mut dom = dioxus::prelude::VirtualDom::new(root);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

/// A service manager signed in to a local server.
pub fn session() -> crate::model::Session {
    crate::model::Session {
        server_url: "http://127.0.0.1:8080".into(),
        user: crate::model::UserSummary {
            id: UserId(1),
            login: "service".into(),
            name: "Мария Иванова".into(),
            role: Role::ServiceManager,
            phone: None,
            email: None,
            company: None,
        },
        services: Vec::new(),
    }
}
