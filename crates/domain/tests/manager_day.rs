//! The rules of a manager's day, as tables: «Взять в работу», undoing a
//! collection mark, why «Изменить статус» is absent, the overdue mark, and
//! the words of the system notes in both languages.

mod common;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use common::{actor, fixture, now, Funding};
use orderdesk_domain::{
    allowed_actions, decide, overdue_mark, status_hint, Action, BookingSpan, Lang, LineNo,
    LineOutcome, Money, OrderKind, Overdue, Status, StatusHint, SystemNote, UserId,
};
use rstest::rstest;

fn take(
    kind: OrderKind,
    status: Status,
    executor: Option<i64>,
    who: &str,
) -> Result<Option<Status>, &'static str> {
    let mut order = fixture(kind, status, Funding::for_kind(kind)[0]);
    order.executor = executor.map(UserId);
    decide(&order, &Action::TakeInWork, actor(who))
        .map(|e| e.status)
        .map_err(|r| r.code.id())
}

#[rstest]
#[case::new_request(
    OrderKind::SimpleRequest,
    Status::New,
    None,
    "service",
    Ok(Some(Status::InProgress))
)]
#[case::new_request_assigned_to_another(
    OrderKind::PremisesRequest,
    Status::New,
    Some(999),
    "service",
    Ok(Some(Status::InProgress))
)]
#[case::in_work_without_executor(
    OrderKind::SimpleRequest,
    Status::InProgress,
    None,
    "service",
    Ok(None)
)]
#[case::in_work_with_an_executor(
    OrderKind::SimpleRequest,
    Status::InProgress,
    Some(999),
    "service",
    Err("wrong_status")
)]
#[case::awaiting_confirmation(
    OrderKind::SimpleRequest,
    Status::AwaitingConfirmation,
    None,
    "service",
    Err("wrong_status")
)]
#[case::done(
    OrderKind::SimpleRequest,
    Status::Done,
    None,
    "service",
    Err("wrong_status")
)]
#[case::cancelled(
    OrderKind::SimpleRequest,
    Status::Cancelled,
    None,
    "service",
    Err("already_cancelled")
)]
#[case::outsider(
    OrderKind::SimpleRequest,
    Status::New,
    None,
    "service_outsider",
    Err("not_responsible")
)]
#[case::requester(
    OrderKind::SimpleRequest,
    Status::New,
    None,
    "requester",
    Err("role_not_allowed")
)]
#[case::admin(
    OrderKind::SimpleRequest,
    Status::New,
    None,
    "admin",
    Err("role_not_allowed")
)]
#[case::booking(OrderKind::Booking, Status::New, None, "rental", Err("not_applicable"))]
#[case::shop(
    OrderKind::NomenclatureSale,
    Status::New,
    None,
    "shop",
    Err("not_applicable")
)]
fn take_in_work_table(
    #[case] kind: OrderKind,
    #[case] status: Status,
    #[case] executor: Option<i64>,
    #[case] who: &str,
    #[case] expected: Result<Option<Status>, &'static str>,
) {
    assert_eq!(take(kind, status, executor, who), expected);
}

#[test]
fn take_in_work_is_offered_exactly_when_allowed() {
    let order = fixture(OrderKind::SimpleRequest, Status::New, Funding::Free);
    assert!(allowed_actions(&order, actor("service")).take_in_work);
    assert!(!allowed_actions(&order, actor("requester")).take_in_work);
    let effect = decide(&order, &Action::TakeInWork, actor("service")).expect("allowed");
    assert_eq!(
        effect.system_messages,
        vec![SystemNote::StatusChanged {
            from: Some(Status::New),
            to: Status::InProgress
        }]
    );
}

#[rstest]
#[case::collected_while_collecting(Status::Collecting, Some(LineOutcome::Collected), "shop", Ok(()))]
#[case::missing_while_collecting(Status::Collecting, Some(LineOutcome::Missing { quantity: 1 }), "shop", Ok(()))]
#[case::unmarked(Status::Collecting, None, "shop", Err("line_not_collected"))]
#[case::ready_for_pickup(
    Status::ReadyForPickup,
    Some(LineOutcome::Collected),
    "shop",
    Err("wrong_status")
)]
#[case::new(Status::New, Some(LineOutcome::Collected), "shop", Err("wrong_status"))]
#[case::requester(
    Status::Collecting,
    Some(LineOutcome::Collected),
    "requester",
    Err("role_not_allowed")
)]
#[case::rental_manager(
    Status::Collecting,
    Some(LineOutcome::Collected),
    "rental",
    Err("role_not_allowed")
)]
fn undo_collection_table(
    #[case] status: Status,
    #[case] mark: Option<LineOutcome>,
    #[case] who: &str,
    #[case] expected: Result<(), &'static str>,
) {
    let mut order = fixture(OrderKind::NomenclatureSale, status, Funding::Paid);
    order.lines[0].outcome = mark;
    let got = decide(
        &order,
        &Action::UndoCollection { line: LineNo(1) },
        actor(who),
    );
    assert_eq!(got.map(|_| ()).map_err(|r| r.code.id()), expected);
    let unknown = decide(
        &order,
        &Action::UndoCollection { line: LineNo(9) },
        actor("shop"),
    );
    if status == Status::Collecting {
        assert_eq!(unknown.map_err(|r| r.code.id()), Err("unknown_line"));
    }
    let offered = allowed_actions(&order, actor(who)).undo_collection;
    assert_eq!(offered, expected.is_ok());
}

#[rstest]
#[case::shop_collecting_unmarked(
    OrderKind::NomenclatureSale,
    Status::Collecting,
    Funding::Paid,
    "shop",
    Some(StatusHint::CollectAllLinesFirst)
)]
#[case::shop_new(OrderKind::NomenclatureSale, Status::New, Funding::Paid, "shop", None)]
#[case::booking_unpaid(
    OrderKind::Booking,
    Status::New,
    Funding::Unpaid,
    "rental",
    Some(StatusHint::AwaitingPayment)
)]
#[case::booking_company(OrderKind::Booking, Status::New, Funding::Company, "rental", None)]
#[case::booking_confirmed(
    OrderKind::HotelBooking,
    Status::Confirmed,
    Funding::Paid,
    "rental",
    Some(StatusHint::MovesByTime)
)]
#[case::request_awaiting(
    OrderKind::SimpleRequest,
    Status::AwaitingConfirmation,
    Funding::Free,
    "service",
    Some(StatusHint::AwaitingRequester)
)]
#[case::request_new(OrderKind::SimpleRequest, Status::New, Funding::Free, "service", None)]
#[case::request_done(
    OrderKind::SimpleRequest,
    Status::Done,
    Funding::Free,
    "service",
    Some(StatusHint::Closed)
)]
#[case::cancelled(
    OrderKind::CoworkingBooking,
    Status::Cancelled,
    Funding::Unpaid,
    "rental",
    Some(StatusHint::Cancelled)
)]
#[case::requester_sees_none(
    OrderKind::SimpleRequest,
    Status::AwaitingConfirmation,
    Funding::Free,
    "requester",
    None
)]
#[case::outsider_sees_none(
    OrderKind::NomenclatureSale,
    Status::Collecting,
    Funding::Paid,
    "service",
    None
)]
fn status_hint_table(
    #[case] kind: OrderKind,
    #[case] status: Status,
    #[case] funding: Funding,
    #[case] who: &str,
    #[case] expected: Option<StatusHint>,
) {
    let order = fixture(kind, status, funding);
    assert_eq!(status_hint(&order, actor(who)), expected);
}

#[test]
fn the_collection_hint_reads_as_the_issue_asks() {
    assert_eq!(
        StatusHint::CollectAllLinesFirst.text(Lang::Ru),
        "Сначала соберите все позиции"
    );
    assert_eq!(
        StatusHint::CollectAllLinesFirst.text(Lang::En),
        "Collect or mark every line first"
    );
}

fn hours(h: i64) -> Option<DateTime<Utc>> {
    Some(now() + Duration::hours(h))
}

#[rstest]
#[case::nothing_due(None, None, Status::New, None)]
#[case::first_response_passed_while_new(hours(-1), hours(5), Status::New, Some(Overdue::FirstResponse))]
#[case::first_response_passed_after_answer(hours(-1), hours(5), Status::InProgress, None)]
#[case::completion_passed(hours(-3), hours(-1), Status::InProgress, Some(Overdue::Completion))]
#[case::completion_wins(hours(-3), hours(-1), Status::New, Some(Overdue::Completion))]
#[case::handed_over(None, hours(-1), Status::AwaitingConfirmation, None)]
#[case::ready_for_pickup(None, hours(-1), Status::ReadyForPickup, None)]
#[case::closed(None, hours(-1), Status::Done, None)]
#[case::cancelled(None, hours(-1), Status::Cancelled, None)]
#[case::not_yet(hours(1), hours(2), Status::New, None)]
fn overdue_table(
    #[case] first: Option<DateTime<Utc>>,
    #[case] done: Option<DateTime<Utc>>,
    #[case] status: Status,
    #[case] expected: Option<Overdue>,
) {
    assert_eq!(overdue_mark(first, done, status, now()), expected);
}

fn site(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("a time")
}

#[test]
fn notes_read_in_both_languages() {
    let day = NaiveDate::from_ymd_opt(2026, 12, 4).expect("a day");
    let span = |object: &str, start: &str, end: &str| BookingSpan {
        object: Some(object.to_owned()),
        date: day,
        start: start.to_owned(),
        end: end.to_owned(),
    };
    let cases = [
        (
            SystemNote::BookingChanged {
                from: Some(span("Переговорная Python", "15:00", "17:00")),
                to: Some(span("Переговорная Python", "10:00", "11:00")),
            },
            "Бронирование изменено: 04.12.2026 15:00–17:00 → 04.12.2026 10:00–11:00.",
            "Booking changed: 4 Dec 2026 15:00–17:00 → 4 Dec 2026 10:00–11:00.",
        ),
        (
            SystemNote::BookingChanged {
                from: None,
                to: None,
            },
            "Бронирование изменено.",
            "Booking changed.",
        ),
        (
            SystemNote::StatusChanged {
                from: None,
                to: Status::Done,
            },
            "Статус изменен: «Выполнен».",
            "Status changed: “Done”.",
        ),
        (
            SystemNote::RefundStarted {
                amount: Money::rub(400),
            },
            "Оформлен возврат средств: 400\u{a0}₽.",
            "Refund requested: 400\u{a0}₽.",
        ),
        (
            SystemNote::DeadlinesChanged {
                first_response_from: None,
                first_response_to: Some(site("2026-12-04T09:30:00+03:00")),
                completion_from: None,
                completion_to: None,
            },
            "Сроки изменены: срок первого ответа: не задан → 04.12.2026 09:30.",
            "Due times changed: first response due: none → 4 Dec 2026, 09:30.",
        ),
        (
            SystemNote::LineCollected {
                line: LineNo(2),
                name: "Кофе".to_owned(),
                outcome: LineOutcome::Missing { quantity: 2 },
            },
            "Позиция «Кофе» отсутствует: 2 шт.",
            "Line “Кофе” missing: 2 pcs.",
        ),
    ];
    for (note, ru, en) in cases {
        assert_eq!(note.text(Lang::Ru), ru);
        assert_eq!(note.text(Lang::En), en);
        let json = serde_json::to_value(&note).expect("json");
        assert_eq!(json["code"], note.code());
        assert_eq!(
            serde_json::from_value::<SystemNote>(json).expect("back"),
            note
        );
    }
}

#[test]
fn a_cancelled_paid_order_notes_the_refund_for_its_history() {
    let order = fixture(OrderKind::Booking, Status::Confirmed, Funding::Paid);
    let effect = decide(&order, &Action::Cancel, actor("rental")).expect("allowed");
    assert_eq!(
        effect.system_messages,
        vec![
            SystemNote::StatusChanged {
                from: Some(Status::Confirmed),
                to: Status::CancelledRefundPending
            },
            SystemNote::RefundStarted {
                amount: Money::rub(400)
            },
        ]
    );
    assert!(effect.system_messages[0].is_public() && !effect.system_messages[1].is_public());
}
