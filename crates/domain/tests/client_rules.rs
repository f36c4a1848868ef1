//! The rules every client needs besides `decide`: the buttons to offer, the
//! payment state, and the input limits, as tables of named cases.

mod common;

use chrono::{Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use common::{actor, actors, fixture, Funding};
use orderdesk_domain::{
    allowed_actions, awaiting_payment, decide, validate_booking_time, validate_message,
    validate_new_order, Action, InputError, Lang, NewExtraInput, NewOrder, OrderKind, Payer,
    SlotError, SlotRange, Status, UserId, MAX_MESSAGE_CHARS,
};
use rstest::rstest;

fn site() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).expect("offset")
}

/// 2026-12-01 12:00 at the site.
fn noon() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("valid time")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn slots(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn hotel(check_in: &str, check_out: &str, adults: u32, children: u32) -> NewOrder {
    NewOrder::HotelBooking {
        check_in: date(check_in),
        check_out: date(check_out),
        adults,
        children,
        extras: Vec::new(),
    }
}

fn extra(quantity: u32, time: Option<&str>) -> NewOrder {
    NewOrder::HotelBooking {
        check_in: date("2026-12-02"),
        check_out: date("2026-12-03"),
        adults: 1,
        children: 0,
        extras: vec![NewExtraInput {
            quantity,
            time: time.map(str::to_owned),
        }],
    }
}

fn coworking(from: &str, to: &str) -> NewOrder {
    NewOrder::CoworkingBooking {
        date_from: date(from),
        date_to: date(to),
    }
}

fn booking(day: &str, list: &[&str]) -> NewOrder {
    NewOrder::Booking {
        date: date(day),
        slots: slots(list),
    }
}

fn sale(quantities: Vec<u32>) -> NewOrder {
    NewOrder::NomenclatureSale { quantities }
}

#[rstest]
#[case::simple_request(NewOrder::SimpleRequest, Ok(()))]
#[case::premises_named(NewOrder::PremisesRequest { premises: "Офис 204".into() }, Ok(()))]
#[case::premises_blank(NewOrder::PremisesRequest { premises: "  ".into() }, Err("premises_required"))]
#[case::booking_later_today(booking("2026-12-01", &["15:00", "15:30"]), Ok(()))]
#[case::booking_ended_this_morning(booking("2026-12-01", &["10:00"]), Err("slot_in_past"))]
#[case::booking_the_slot_now_running(booking("2026-12-01", &["11:30", "12:00"]), Ok(()))]
#[case::booking_slot_ending_now(booking("2026-12-01", &["11:30"]), Err("slot_in_past"))]
#[case::booking_off_hours(booking("2026-12-02", &["07:30"]), Err("slot_outside_hours"))]
#[case::booking_off_grid(booking("2026-12-02", &["15:15"]), Err("slot_misaligned"))]
#[case::booking_with_a_gap(booking("2026-12-02", &["15:00", "16:00"]), Err("slots_not_contiguous"))]
#[case::booking_no_slots(booking("2026-12-02", &[]), Err("no_slots"))]
#[case::booking_unreadable(booking("2026-12-02", &["noon"]), Err("slot_unreadable"))]
#[case::coworking_one_day_today(coworking("2026-12-01", "2026-12-01"), Ok(()))]
#[case::coworking_31_days(coworking("2026-12-01", "2026-12-31"), Ok(()))]
#[case::coworking_32_days(coworking("2026-12-01", "2027-01-01"), Err("invalid_dates"))]
#[case::coworking_from_yesterday(coworking("2026-11-30", "2026-12-01"), Err("invalid_dates"))]
#[case::coworking_backwards(coworking("2026-12-03", "2026-12-02"), Err("invalid_dates"))]
#[case::hotel_one_night(hotel("2026-12-01", "2026-12-02", 1, 0), Ok(()))]
#[case::hotel_30_nights(hotel("2026-12-01", "2026-12-31", 2, 2), Ok(()))]
#[case::hotel_31_nights(hotel("2026-12-01", "2027-01-01", 2, 0), Err("invalid_dates"))]
#[case::hotel_no_night(hotel("2026-12-02", "2026-12-02", 2, 0), Err("invalid_dates"))]
#[case::hotel_check_in_yesterday(hotel("2026-11-30", "2026-12-02", 2, 0), Err("invalid_dates"))]
#[case::hotel_no_adult(hotel("2026-12-02", "2026-12-03", 0, 1), Err("invalid_guests"))]
#[case::hotel_ten_adults_ten_children(hotel("2026-12-02", "2026-12-03", 10, 10), Ok(()))]
#[case::hotel_eleven_adults(hotel("2026-12-02", "2026-12-03", 11, 0), Err("invalid_guests"))]
#[case::hotel_eleven_children(hotel("2026-12-02", "2026-12-03", 1, 11), Err("invalid_guests"))]
#[case::extra_at_eight(extra(1, Some("08:00")), Ok(()))]
#[case::extra_hundred(extra(100, None), Ok(()))]
#[case::extra_none(extra(0, None), Err("invalid_quantity"))]
#[case::extra_hundred_and_one(extra(101, None), Err("invalid_quantity"))]
#[case::extra_bad_time(extra(1, Some("8 утра")), Err("invalid_time"))]
#[case::sale_one_line(sale(vec![1]), Ok(()))]
#[case::sale_999_units(sale(vec![999]), Ok(()))]
#[case::sale_50_lines(sale(vec![1; 50]), Ok(()))]
#[case::sale_no_lines(sale(vec![]), Err("no_items"))]
#[case::sale_51_lines(sale(vec![1; 51]), Err("no_items"))]
#[case::sale_zero_units(sale(vec![2, 0]), Err("invalid_quantity"))]
#[case::sale_1000_units(sale(vec![1000]), Err("invalid_quantity"))]
fn new_order_limits(#[case] order: NewOrder, #[case] expected: Result<(), &'static str>) {
    let got = validate_new_order(&order, noon(), site());
    assert_eq!(
        got.as_ref().map_err(InputError::code),
        expected.as_ref().map_err(|c| *c)
    );
    if let Err(e) = got {
        assert!(!e.message(Lang::Ru).is_empty() && !e.message(Lang::En).is_empty());
        assert_ne!(e.message(Lang::Ru), e.message(Lang::En), "{e:?}");
    }
}

#[rstest]
#[case::one_char("a", Ok("a"))]
#[case::trimmed("  Готово \n", Ok("Готово"))]
#[case::blank("   ", Err("invalid_text"))]
#[case::empty("", Err("invalid_text"))]
fn message_limits(#[case] text: &str, #[case] expected: Result<&str, &str>) {
    assert_eq!(validate_message(text).map_err(|e| e.code()), expected);
}

#[test]
fn a_message_is_at_most_4000_characters_counted_as_characters() {
    let longest = "я".repeat(MAX_MESSAGE_CHARS);
    assert_eq!(validate_message(&longest), Ok(longest.as_str()));
    let over = "я".repeat(MAX_MESSAGE_CHARS + 1);
    assert_eq!(validate_message(&over), Err(InputError::MessageText));
    assert_eq!(
        InputError::MessageText.message(Lang::Ru),
        "Сообщение должно содержать от 1 до 4000 символов."
    );
}

#[rstest]
#[case::ended_yesterday("2026-11-30", "15:00", Err(InputError::SlotInPast))]
#[case::ends_at_noon_exactly("2026-12-01", "11:30", Err(InputError::SlotInPast))]
#[case::ends_after_noon("2026-12-01", "12:00", Ok(()))]
#[case::tomorrow("2026-12-02", "08:00", Ok(()))]
fn an_edited_booking_may_not_move_into_the_past(
    #[case] day: &str,
    #[case] slot: &str,
    #[case] expected: Result<(), InputError>,
) {
    let range = SlotRange::parse(date(day), &[slot]).expect("on the grid");
    assert_eq!(validate_booking_time(range, noon(), site()), expected);
}

#[test]
fn slot_errors_keep_the_codes_the_server_sends() {
    let e = InputError::from(SlotError::Misaligned("15:15".into()));
    assert_eq!(e.code(), "slot_misaligned");
    assert_eq!(
        e.message(Lang::Ru),
        "15:15: слоты начинаются каждые 30 минут."
    );
}

#[rstest]
#[case::unpaid_individual(OrderKind::HotelBooking, Status::New, Funding::Unpaid, true)]
#[case::partly_paid(OrderKind::HotelBooking, Status::New, Funding::Partly, false)]
#[case::paid(OrderKind::Booking, Status::Confirmed, Funding::Paid, false)]
#[case::company_pays_by_invoice(OrderKind::Booking, Status::New, Funding::Company, false)]
#[case::unpaid_but_cancelled(OrderKind::Booking, Status::Cancelled, Funding::Unpaid, false)]
#[case::free_request(OrderKind::SimpleRequest, Status::New, Funding::Free, false)]
#[case::unpaid_shop_order(OrderKind::NomenclatureSale, Status::Collecting, Funding::Unpaid, true)]
fn awaiting_payment_cases(
    #[case] kind: OrderKind,
    #[case] status: Status,
    #[case] funding: Funding,
    #[case] expected: bool,
) {
    let order = fixture(kind, status, funding);
    assert_eq!(
        awaiting_payment(order.status, order.payer, order.payment),
        expected
    );
}

/// Every button offered is one `decide` accepts, and every flag that is off
/// is an action `decide` refuses, over every kind, status, payment and actor.
#[test]
fn offered_actions_are_exactly_those_decide_accepts() {
    let now = common::now();
    for kind in OrderKind::ALL {
        for status in Status::ALL.into_iter().filter(|s| s.applies_to(kind)) {
            for funding in Funding::for_kind(kind) {
                let order = fixture(kind, status, funding);
                for (name, who) in actors() {
                    let allowed = allowed_actions(&order, who);
                    let ok = |a: Action| decide(&order, &a, who).is_ok();
                    let case = format!("{kind:?} {status:?} {funding:?} {name}");
                    assert_eq!(allowed.confirm, ok(Action::Confirm), "{case}");
                    assert_eq!(allowed.return_to_work, ok(Action::ReturnToWork), "{case}");
                    assert_eq!(allowed.cancel, ok(Action::Cancel), "{case}");
                    let executor = order.responsible.first().copied();
                    assert_eq!(
                        allowed.assign_executor,
                        ok(Action::AssignExecutor { executor }),
                        "{case}"
                    );
                    let deadlines = Action::ChangeDeadlines {
                        first_response_due: Some(now),
                        completion_due: Some(now + Duration::hours(1)),
                    };
                    assert_eq!(allowed.change_deadlines, ok(deadlines), "{case}");
                    let one_kopeck = Action::RecordPayment {
                        amount: orderdesk_domain::Money(1),
                    };
                    assert_eq!(allowed.record_payment, ok(one_kopeck), "{case}");
                    for to in &allowed.status_targets {
                        assert!(ok(Action::ChangeStatus { to: *to }), "{case} {to:?}");
                    }
                }
            }
        }
    }
}

#[rstest]
#[case::service_manager("service", true, true)]
#[case::outsider("service_outsider", false, false)]
#[case::requester("requester", false, false)]
#[case::admin("admin", true, false)]
fn who_reads_and_writes_the_internal_chat(
    #[case] who: &str,
    #[case] reads: bool,
    #[case] writes: bool,
) {
    let order = fixture(OrderKind::SimpleRequest, Status::InProgress, Funding::Free);
    let allowed = allowed_actions(&order, actor(who));
    assert_eq!(
        (allowed.read_internal, allowed.post_internal),
        (reads, writes)
    );
}

#[test]
fn the_payer_travels_as_a_kind_with_the_company_account() {
    let company = Payer::Company {
        payer_id: UserId(7),
    };
    assert_eq!(
        serde_json::to_value(company).expect("json"),
        serde_json::json!({"kind": "company", "payer_id": 7})
    );
    let individual: Payer =
        serde_json::from_value(serde_json::json!({"kind": "individual", "payer_id": null}))
            .expect("an individual with the old null id");
    assert_eq!(individual, Payer::Individual);
    assert_eq!(Payer::from_company(Some(UserId(7))), company);
    assert_eq!(company.company_id(), Some(UserId(7)));
}
