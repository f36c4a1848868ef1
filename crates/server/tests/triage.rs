//! What a manager triages the list by: each row's description line, place,
//! due times and executor; the quick filters «Мои», «Без исполнителя» and
//! «Просрочено»; newest or due-soonest order; search in descriptions.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use orderdesk_domain::{next_due, overdue, Status};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().expect("items")
}

fn numbers(page: &Value) -> Vec<i64> {
    items(page)
        .iter()
        .filter_map(|o| o["number"].as_i64())
        .collect()
}

fn time(value: &Value) -> Option<DateTime<Utc>> {
    value
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// The domain's reading of a row: (status, first response due, completion due).
fn due_facts(row: &Value) -> (Status, Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let status = Status::parse(row["status"].as_str().expect("status")).expect("a status");
    let deadlines = &row["deadlines"];
    (
        status,
        time(&deadlines["first_response_due"]),
        time(&deadlines["completion_due"]),
    )
}

async fn set_deadlines(api: &Api, number: i64, first: &str, completion: &str) {
    let (status, body) = api
        .post(
            &format!("/orders/{number}/deadlines"),
            json!({"first_response_due": first, "completion_due": completion}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Two requests: «коробки» overdue for its first response and nobody's,
/// «кондиционер» in «Офис 305», due tomorrow and taken by the manager.
async fn two_requests(server: &TestServer) -> (i64, i64) {
    let resident = server.login("resident").await;
    let service = server.login("service").await;
    let boxes = create(
        &resident,
        simple_request(
            PLUMBER,
            "Привезти коробки для переезда\nВторой этаж, к лифту",
        ),
    )
    .await;
    let cooling = create(
        &resident,
        json!({
            "service_id": PREMISES,
            "description": "Не работает кондиционер",
            "details": {"kind": "premises_request", "premises": "Офис 305"}
        }),
    )
    .await;
    // The clock stands at 2026-11-27 09:00 (+03:00).
    set_deadlines(
        &service,
        boxes,
        "2026-11-27T08:00:00+03:00",
        "2026-11-29T18:00:00+03:00",
    )
    .await;
    set_deadlines(
        &service,
        cooling,
        "2026-11-28T10:00:00+03:00",
        "2026-11-28T18:00:00+03:00",
    )
    .await;
    let (status, body) = service
        .post(
            &format!("/orders/{cooling}/assignee"),
            json!({"user_id": SERVICE}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (boxes, cooling)
}

#[tokio::test]
async fn rows_carry_the_description_line_place_due_times_and_executor() {
    let server = TestServer::start().await;
    let (boxes, cooling) = two_requests(&server).await;
    let service = server.login("service").await;

    let (status, found) = service
        .get("/orders?q=%D0%BA%D0%BE%D1%80%D0%BE%D0%B1%D0%BA%D0%B8")
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        numbers(&found)[0],
        boxes,
        "«коробки» is found in the description"
    );
    let row = &items(&found)[0];
    assert_eq!(row["description_line"], "Привезти коробки для переезда");
    assert_eq!(row["executor_id"], Value::Null);
    assert_eq!(
        row["deadlines"]["first_response_due"],
        "2026-11-27T08:00:00+03:00"
    );

    let (_, found) = service
        .get("/orders?q=%D0%BA%D0%BE%D0%BD%D0%B4%D0%B8%D1%86")
        .await;
    assert_eq!(numbers(&found)[0], cooling, "«кондиц» is found too");
    let row = &items(&found)[0];
    assert_eq!(row["place"], "Офис 305");
    assert_eq!(row["executor_id"], SERVICE);
    assert_eq!(row["executor_name"], "Ирина Сервисова");
}

#[tokio::test]
async fn quick_filters_find_mine_unassigned_and_overdue() {
    let server = TestServer::start().await;
    let (boxes, cooling) = two_requests(&server).await;
    let service = server.login("service").await;
    let now = server.clock.now_utc();

    let (_, mine) = service.get("/orders?quick=mine&per_page=100").await;
    assert!(numbers(&mine).contains(&cooling) && !numbers(&mine).contains(&boxes));
    assert!(items(&mine).iter().all(|o| o["executor_id"] == SERVICE));

    let (_, nobody) = service.get("/orders?quick=unassigned&per_page=100").await;
    assert!(numbers(&nobody).contains(&boxes) && !numbers(&nobody).contains(&cooling));
    assert!(items(&nobody).iter().all(|o| o["executor_id"].is_null()));

    let (_, late) = service.get("/orders?quick=overdue&per_page=100").await;
    assert!(numbers(&late).contains(&boxes) && !numbers(&late).contains(&cooling));
    for row in items(&late) {
        let (status, first, completion) = due_facts(row);
        assert!(overdue(status, first, completion, now).is_some(), "{row}");
    }
    // Past the completion due of «кондиционер», it is overdue too.
    server.clock.advance(Duration::days(2));
    let (_, later) = service.get("/orders?quick=overdue&per_page=100").await;
    assert!(numbers(&later).contains(&cooling));
    assert_eq!(later["total"].as_u64(), Some(numbers(&later).len() as u64));

    let (status, body) = service.get("/orders?quick=urgent").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["code"].is_string(), "{body}");
}

#[tokio::test]
async fn due_soonest_puts_the_earliest_awaited_due_time_first() {
    let server = TestServer::start().await;
    let (boxes, cooling) = two_requests(&server).await;
    let service = server.login("service").await;
    let (status, page) = service.get("/orders?sort=due_soonest&per_page=100").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let due: Vec<Option<DateTime<Utc>>> = items(&page)
        .iter()
        .map(|row| {
            let (status, first, completion) = due_facts(row);
            next_due(status, first, completion).map(|(_, at)| at)
        })
        .collect();
    let set = due.iter().take_while(|d| d.is_some()).count();
    assert!(
        due[set..].iter().all(Option::is_none),
        "orders with no due time come last"
    );
    assert!(due[..set].windows(2).all(|w| w[0] <= w[1]), "{due:?}");
    let order = numbers(&page);
    let at = |n: i64| order.iter().position(|&x| x == n).expect("listed");
    assert!(at(boxes) < at(cooling));
    let (_, newest) = service.get("/orders?sort=newest&per_page=5").await;
    assert_eq!(numbers(&newest)[0], cooling);
}

#[tokio::test]
async fn the_api_document_names_the_quick_filters_and_sorts() {
    let server = TestServer::start().await;
    let (status, doc) = server.anonymous().get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let params = doc["paths"]["/api/v1/orders"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let values = |name: &str| -> Vec<String> {
        let param = params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} documented"));
        let schema = &param["schema"];
        let options = schema["enum"]
            .as_array()
            .or_else(|| schema["oneOf"][0]["enum"].as_array())
            .or_else(|| schema["anyOf"][0]["enum"].as_array())
            .unwrap_or_else(|| panic!("{name}: {schema}"));
        options
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(values("quick"), ["mine", "unassigned", "overdue"]);
    assert_eq!(values("sort"), ["newest", "due_soonest"]);
}

#[tokio::test]
async fn a_moved_booking_is_still_found_by_its_description() {
    let server = TestServer::start().await;
    let company = server.login("company").await;
    let rental = server.login("rental").await;
    let mut body = booking(PYTHON, FREE_DAY, &["11:00"]);
    body["description"] = json!("Презентация для инвесторов");
    let number = create(&company, body).await;
    let (status, order) = rental
        .patch(&format!("/orders/{number}/booking"), json!({
            "resource_id": PYTHON, "date": FREE_DAY, "slots": ["12:00"], "payer_id": COMPANY, "comment": null
        }))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    // «инвестор»
    let (_, found) = rental
        .get("/orders?q=%D0%B8%D0%BD%D0%B2%D0%B5%D1%81%D1%82%D0%BE%D1%80")
        .await;
    assert_eq!(numbers(&found), [number]);
    let row = &items(&found)[0];
    assert_eq!(row["place"], "Переговорная Python");
    assert_eq!(row["description_line"], "Презентация для инвесторов");
}
