//! Many clients at once: overlapping bookings of one room never both win.

mod common;

use common::*;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_bookings_of_overlapping_slots_give_one_booking() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let company = server.login("company").await;
    let holds_before = server.count("slot_holds").await;
    let orders_before = server.count("orders").await;
    let starts = ["12:00", "12:30", "13:00", "13:30", "14:00"];
    let mut tasks = Vec::new();
    for i in 0..50 {
        let api = if i % 2 == 0 {
            resident.clone()
        } else {
            company.clone()
        };
        // Every request overlaps 14:00–14:30, whatever its start.
        let start = starts[i % starts.len()];
        let mut slots = vec![start.to_owned()];
        let mut t = chrono::NaiveTime::parse_from_str(start, "%H:%M").expect("time");
        while t < chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("time") {
            t += chrono::Duration::minutes(30);
            slots.push(t.format("%H:%M").to_string());
        }
        tasks.push(tokio::spawn(async move {
            let refs: Vec<&str> = slots.iter().map(String::as_str).collect();
            api.post("/orders", booking(PYTHON, FREE_DAY, &refs)).await
        }));
    }
    let mut created = 0;
    let mut taken = 0;
    for task in tasks {
        let (status, body) = task.await.expect("the request task");
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert_eq!(code(&body), "slot_taken");
                taken += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, taken), (1, 49));
    assert_eq!(server.count("orders").await, orders_before + 1);
    let (_, day) = resident
        .get(&format!("/resources/{PYTHON}/availability?date={FREE_DAY}"))
        .await;
    let held = day["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter(|s| s["free"] == false)
        .count();
    assert_eq!(server.count("slot_holds").await, holds_before + held as i64);
    assert!(held >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hotel_rooms_are_never_sold_beyond_capacity() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let mut tasks = Vec::new();
    for _ in 0..14 {
        let api = resident.clone();
        tasks.push(tokio::spawn(async move {
            api.post("/orders", serde_json::json!({
                "service_id": HOTEL,
                "details": {"kind": "hotel_booking", "resource_id": HOTEL_UYUT, "check_in": "2027-05-01", "check_out": "2027-05-03",
                    "adults": 1, "children": 0, "extras": [], "extras_separate_line": false}
            })).await
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        let (status, body) = task.await.expect("task");
        if status == StatusCode::CONFLICT {
            assert_eq!(code(&body), "capacity_exhausted");
        }
        statuses.push(status);
    }
    // «Отель «УЮТ»» has ten rooms.
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        10
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        4
    );
}
