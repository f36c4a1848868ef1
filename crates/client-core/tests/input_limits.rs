//! Every input limit the server enforces is refused by the client core at
//! once, offline, before anything is queued, in the server's own words: both
//! sides call the same domain functions.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::{temp_dir, tomorrow, Net, TestServer};
use orderdesk_client_core::{
    BookingChange, Client, CoreError, MemoryTokenStore, RecordingNotifier,
};
use orderdesk_domain::{
    validate_new_order, NewOrder, OrderNumber, ResourceId, ServiceId, UserId, Visibility,
    MAX_MESSAGE_CHARS,
};
use orderdesk_protocol::{NewExtra, NewItem, NewOrderDetails};
use orderdesk_server::storage::{self, ResourceRow};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

fn parts() -> (Arc<MemoryTokenStore>, Arc<RecordingNotifier>) {
    (
        Arc::new(MemoryTokenStore::new()),
        Arc::new(RecordingNotifier::new()),
    )
}

/// The server's answer to the same input, as `(status, code, message)`.
async fn server_answer(
    server: &TestServer,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> (u16, String, String) {
    let (status, json) = server.call(token, method, path, body).await;
    let error = &json["error"];
    (
        status,
        error["code"].as_str().unwrap_or_default().to_owned(),
        error["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The core refused at once, as invalid input, with the server's message.
fn assert_refused_like_the_server(
    refused: Result<impl std::fmt::Debug, CoreError>,
    server: &(u16, String, String),
    case: &str,
) {
    let error = refused.expect_err(case);
    assert_eq!(server.0, 422, "{case}: the server refuses it: {server:?}");
    assert_eq!(error.code(), "invalid_input", "{case}: {error:?}");
    assert_eq!(
        error.message(),
        server.2,
        "{case}: {} in the core",
        server.1
    );
}

#[tokio::test]
async fn every_limit_on_a_queued_action_is_refused_offline_before_queueing() {
    let server = TestServer::start("limits").await;
    let request = server.new_request().await;
    let room = server.ids.python_room;
    let booking = server.new_booking(room, &["10:00", "10:30"]).await;
    let (tokens, notifier) = parts();
    let service = server
        .client(&temp_dir("limits-service"), &tokens, &notifier, "service")
        .await;
    let (tokens, notifier) = parts();
    let rental = server
        .client(&temp_dir("limits-rental"), &tokens, &notifier, "rental")
        .await;
    service.sync_now().await.expect("service sync");
    rental.sync_now().await.expect("rental sync");
    let before = (
        service.order(request).expect("request"),
        rental.order(booking).expect("booking"),
    );
    message_limits(&server, &service, request).await;
    booking_edit_limits(&server, &rental, booking).await;

    assert_eq!(
        service.status().expect("status").pending,
        0,
        "nothing queued"
    );
    assert_eq!(
        rental.status().expect("status").pending,
        0,
        "nothing queued"
    );
    assert_eq!(service.order(request).expect("request"), before.0);
    assert_eq!(rental.order(booking).expect("booking"), before.1);
}

/// An empty message and one over the limit, to the server and offline to
/// the core.
async fn message_limits(server: &TestServer, service: &Client, request: OrderNumber) {
    let service_token = server.token("service").await;
    let too_long = "я".repeat(MAX_MESSAGE_CHARS + 1);
    for (case, text) in [
        ("empty", "   "),
        ("over 4000 characters", too_long.as_str()),
    ] {
        let path = format!("/orders/{request}/messages");
        let body = json!({"text": text, "visibility": "public"});
        let answer = server_answer(server, &service_token, Method::POST, &path, body).await;
        assert_eq!(answer.1, "invalid_text", "{case}");
        server.set_net(Net::Down);
        let refused = service
            .post_message(request, text, Visibility::Public)
            .await;
        server.set_net(Net::Up);
        assert_refused_like_the_server(refused, &answer, case);
    }
}

/// Booking edits off the slot grid or in the past, to the server and
/// offline to the core.
async fn booking_edit_limits(server: &TestServer, rental: &Client, booking: OrderNumber) {
    let rental_token = server.token("rental").await;
    let room = server.ids.python_room;
    let yesterday = (Utc::now() + Duration::hours(3) - Duration::days(1)).date_naive();
    let edits: [(&str, NaiveDate, &[&str], &str); 6] = [
        (
            "before opening",
            tomorrow(),
            &["07:30"],
            "slot_outside_hours",
        ),
        ("off the grid", tomorrow(), &["15:15"], "slot_misaligned"),
        (
            "with a gap",
            tomorrow(),
            &["15:00", "16:00"],
            "slots_not_contiguous",
        ),
        ("no slots", tomorrow(), &[], "no_slots"),
        ("unreadable", tomorrow(), &["noon"], "slot_unreadable"),
        ("in the past", yesterday, &["15:00"], "slot_in_past"),
    ];
    for (case, date, slots, code) in edits {
        let change = BookingChange {
            resource_id: ResourceId(room),
            date,
            slots: slots.iter().map(|s| s.to_string()).collect(),
            payer_id: Some(UserId(server.ids.company)),
            comment: None,
        };
        let path = format!("/orders/{booking}/booking");
        let body = serde_json::to_value(&change).expect("json");
        let answer = server_answer(server, &rental_token, Method::PATCH, &path, body).await;
        assert_eq!(answer.1, code, "{case}");
        server.set_net(Net::Down);
        let refused = rental.edit_booking(booking, change).await;
        server.set_net(Net::Up);
        assert_refused_like_the_server(refused, &answer, case);
    }
}

/// The services, objects and goods the new-order limits need.
struct Catalog {
    premises: i64,
    coworking: (i64, i64),
    hotel: (i64, i64),
    extra: i64,
    shop: i64,
    product: i64,
}

async fn catalog(server: &TestServer) -> Catalog {
    let mut tx = server.state.storage().begin().await.expect("begin");
    let mut ids = Vec::new();
    for (name, kind) in [
        ("Аренда помещения", "premises_request"),
        ("Коворкинг", "coworking_booking"),
        ("Отель", "hotel_booking"),
        ("Магазин", "nomenclature_sale"),
    ] {
        let id = storage::insert_service(&mut tx, name, kind, 60)
            .await
            .expect("service");
        ids.push(id);
    }
    let (premises, coworking, hotel, shop) = (ids[0], ids[1], ids[2], ids[3]);
    let object = |service_id: i64, name: &str| ResourceRow {
        id: 0,
        service_id,
        name: name.to_owned(),
        tariff: Some("Стандарт".to_owned()),
        unit_price: 40_000,
        capacity: 5,
    };
    let floor = object(coworking, "Коворкинг на 2 этаже");
    let floor = storage::insert_resource(&mut tx, &floor)
        .await
        .expect("floor");
    let room = object(hotel, "Отель «УЮТ»");
    let room = storage::insert_resource(&mut tx, &room)
        .await
        .expect("room");
    let extra = storage::insert_product(&mut tx, hotel, "Ранний заезд", 50_000)
        .await
        .expect("extra");
    let product = storage::insert_product(&mut tx, shop, "Блокнот", 15_000)
        .await
        .expect("product");
    tx.commit().await.expect("commit");
    Catalog {
        premises,
        coworking: (coworking, floor),
        hotel: (hotel, room),
        extra,
        shop,
        product,
    }
}

/// A limit case: its name, the service, the details and the code refused.
type NewOrderCase = (&'static str, i64, NewOrderDetails, &'static str);

impl Catalog {
    fn hotel(
        &self,
        check_in: NaiveDate,
        nights: i64,
        adults: u32,
        children: u32,
    ) -> NewOrderDetails {
        NewOrderDetails::HotelBooking {
            resource_id: ResourceId(self.hotel.1),
            check_in,
            check_out: check_in + Duration::days(nights),
            adults,
            children,
            extras: Vec::new(),
            extras_separate_line: false,
        }
    }

    fn extra(&self, quantity: u32, time: Option<&str>) -> NewOrderDetails {
        NewOrderDetails::HotelBooking {
            resource_id: ResourceId(self.hotel.1),
            check_in: day(1),
            check_out: day(2),
            adults: 1,
            children: 0,
            extras: vec![NewExtra {
                product_id: self.extra,
                quantity,
                time: time.map(str::to_owned),
            }],
            extras_separate_line: false,
        }
    }

    fn coworking(&self, from: NaiveDate, to: NaiveDate) -> NewOrderDetails {
        NewOrderDetails::CoworkingBooking {
            resource_id: ResourceId(self.coworking.1),
            date_from: from,
            date_to: to,
        }
    }

    fn sale(&self, quantities: &[u32]) -> NewOrderDetails {
        NewOrderDetails::NomenclatureSale {
            items: quantities
                .iter()
                .map(|&quantity| NewItem {
                    product_id: self.product,
                    quantity,
                })
                .collect(),
        }
    }
}

/// The site's day `n` days from today.
fn day(n: i64) -> NaiveDate {
    (Utc::now() + Duration::hours(3)).date_naive() + Duration::days(n)
}

fn booking(room: i64, date: NaiveDate, slots: &[&str]) -> NewOrderDetails {
    NewOrderDetails::Booking {
        resource_id: ResourceId(room),
        date,
        slots: slots.iter().map(|s| s.to_string()).collect(),
    }
}

/// Every new-order limit of the server, one case each.
fn new_order_cases(c: &Catalog, rooms: i64, room: i64) -> Vec<NewOrderCase> {
    let premises = NewOrderDetails::PremisesRequest {
        premises: " ".to_owned(),
    };
    vec![
        ("no premises", c.premises, premises, "premises_required"),
        (
            "slot in the past",
            rooms,
            booking(room, day(-1), &["15:00"]),
            "slot_in_past",
        ),
        (
            "slot off the grid",
            rooms,
            booking(room, day(1), &["15:15"]),
            "slot_misaligned",
        ),
        (
            "32 coworking days",
            c.coworking.0,
            c.coworking(day(1), day(32)),
            "invalid_dates",
        ),
        (
            "coworking from yesterday",
            c.coworking.0,
            c.coworking(day(-1), day(1)),
            "invalid_dates",
        ),
        (
            "31 nights",
            c.hotel.0,
            c.hotel(day(1), 31, 1, 0),
            "invalid_dates",
        ),
        (
            "no night",
            c.hotel.0,
            c.hotel(day(1), 0, 1, 0),
            "invalid_dates",
        ),
        (
            "check-in yesterday",
            c.hotel.0,
            c.hotel(day(-1), 2, 1, 0),
            "invalid_dates",
        ),
        (
            "no adult",
            c.hotel.0,
            c.hotel(day(1), 1, 0, 0),
            "invalid_guests",
        ),
        (
            "11 adults",
            c.hotel.0,
            c.hotel(day(1), 1, 11, 0),
            "invalid_guests",
        ),
        (
            "11 children",
            c.hotel.0,
            c.hotel(day(1), 1, 1, 11),
            "invalid_guests",
        ),
        ("no extra", c.hotel.0, c.extra(0, None), "invalid_quantity"),
        (
            "101 extras",
            c.hotel.0,
            c.extra(101, None),
            "invalid_quantity",
        ),
        (
            "extra at no time",
            c.hotel.0,
            c.extra(1, Some("утром")),
            "invalid_time",
        ),
        ("no items", c.shop, c.sale(&[]), "no_items"),
        ("51 items", c.shop, c.sale(&[1; 51]), "no_items"),
        ("no units", c.shop, c.sale(&[0]), "invalid_quantity"),
        ("1000 units", c.shop, c.sale(&[1000]), "invalid_quantity"),
    ]
}

/// The app takes no new orders, but a client that does checks them with
/// `validate_new_order`: for every limit the server refuses a new order for,
/// that function refuses the same input with the same code and message.
#[tokio::test]
async fn every_new_order_limit_of_the_server_is_the_domains() {
    let server = TestServer::start("new-limits").await;
    let c = catalog(&server).await;
    let resident = server.token("resident").await;
    let cases = new_order_cases(&c, server.ids.rooms, server.ids.python_room);
    let site = server.state.config().site_offset;
    let orders = count_orders(&server).await;
    for (case, service_id, details, code) in cases {
        let domain =
            validate_new_order(&NewOrder::from(&details), Utc::now(), site).expect_err(case);
        let body = json!({"service_id": ServiceId(service_id), "details": details});
        let answer = server_answer(&server, &resident, Method::POST, "/orders", body).await;
        assert_eq!(
            (answer.0, answer.1.as_str()),
            (422, code),
            "{case}: {answer:?}"
        );
        assert_eq!(domain.code(), code, "{case}");
        assert_eq!(
            domain.message(orderdesk_domain::Lang::Ru),
            answer.2,
            "{case}"
        );
    }
    assert_eq!(count_orders(&server).await, orders, "nothing was created");
}

/// The orders the resident has.
async fn count_orders(server: &TestServer) -> u64 {
    let token = server.token("resident").await;
    let (status, json) = server
        .call(&token, Method::GET, "/orders", Value::Null)
        .await;
    assert_eq!(status, 200, "{json}");
    json["total"].as_u64().expect("a total")
}
