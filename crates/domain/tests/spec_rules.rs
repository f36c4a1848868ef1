//! One named case per rule of SPEC §1, §2 and §2.5, so that each rule of the
//! specification can be traced to the test that pins it down. The full table
//! of every combination lives in `rule_matrix.rs`.

mod common;

use chrono::Duration;
use common::{actor, fixture, now, Funding};
use orderdesk_domain::{
    allowed_status_targets, decide, may_view_internal, Action, Audience, BookingEdit, BookingSpan,
    LineNo, LineOutcome, Money, NoticeEvent, OrderKind, Payer, ResourceId, SlotRange, Status,
    SystemNote, UserId, Visibility,
};
use rstest::rstest;

/// `Ok(new status)` or `Err(refusal code)`.
fn outcome(
    kind: OrderKind,
    status: Status,
    funding: Funding,
    action: Action,
    who: &str,
) -> Result<Option<Status>, &'static str> {
    let order = fixture(kind, status, funding);
    decide(&order, &action, actor(who))
        .map(|e| e.status)
        .map_err(|r| r.code.id())
}

#[rstest]
// §1: a manager acts only when responsible for the service and the role covers the kind.
#[case::s1_service_manager_processes_requests(
    OrderKind::SimpleRequest,
    "service",
    Ok(Some(Status::InProgress))
)]
#[case::s1_premises_request_is_a_request(
    OrderKind::PremisesRequest,
    "service",
    Ok(Some(Status::InProgress))
)]
#[case::s1_manager_outside_responsible_list(
    OrderKind::SimpleRequest,
    "service_outsider",
    Err("not_responsible")
)]
#[case::s1_rental_manager_does_not_process_requests(
    OrderKind::SimpleRequest,
    "rental",
    Err("role_not_allowed")
)]
#[case::s1_shop_manager_does_not_process_requests(
    OrderKind::SimpleRequest,
    "shop",
    Err("role_not_allowed")
)]
#[case::s1_requester_does_not_process(
    OrderKind::SimpleRequest,
    "requester",
    Err("role_not_allowed")
)]
#[case::s1_admin_does_not_process(OrderKind::SimpleRequest, "admin", Err("role_not_allowed"))]
fn who_may_take_a_request_to_work(
    #[case] kind: OrderKind,
    #[case] who: &str,
    #[case] expected: Result<Option<Status>, &'static str>,
) {
    let action = Action::ChangeStatus {
        to: Status::InProgress,
    };
    assert_eq!(
        outcome(kind, Status::New, Funding::Free, action, who),
        expected
    );
}

#[rstest]
// §2.1 the manager's moves on a request.
#[case::s2_1_new_to_in_progress(Status::New, Status::InProgress, Ok(Some(Status::InProgress)))]
#[case::s2_1_new_to_awaiting(
    Status::New,
    Status::AwaitingConfirmation,
    Ok(Some(Status::AwaitingConfirmation))
)]
#[case::s2_1_in_progress_to_awaiting(
    Status::InProgress,
    Status::AwaitingConfirmation,
    Ok(Some(Status::AwaitingConfirmation))
)]
#[case::s2_1_manager_never_sets_done(
    Status::InProgress,
    Status::Done,
    Err("done_by_requester_only")
)]
#[case::s2_1_no_way_back_to_new(Status::InProgress, Status::New, Err("transition_not_allowed"))]
#[case::s2_1_awaiting_is_left_by_the_requester(
    Status::AwaitingConfirmation,
    Status::InProgress,
    Err("transition_not_allowed")
)]
#[case::s2_1_request_has_no_booking_statuses(
    Status::New,
    Status::Confirmed,
    Err("transition_not_allowed")
)]
#[case::s2_5_cancel_is_its_own_action(
    Status::New,
    Status::Cancelled,
    Err("transition_not_allowed")
)]
fn request_status_changes_by_the_manager(
    #[case] from: Status,
    #[case] to: Status,
    #[case] expected: Result<Option<Status>, &'static str>,
) {
    let action = Action::ChangeStatus { to };
    assert_eq!(
        outcome(
            OrderKind::SimpleRequest,
            from,
            Funding::Free,
            action,
            "service"
        ),
        expected
    );
}

#[test]
fn s2_1_awaiting_confirmation_notifies_the_requester() {
    let order = fixture(OrderKind::SimpleRequest, Status::InProgress, Funding::Free);
    let effect = decide(
        &order,
        &Action::ChangeStatus {
            to: Status::AwaitingConfirmation,
        },
        actor("service"),
    )
    .expect("allowed");
    assert!(effect
        .notices
        .iter()
        .any(|n| n.event == NoticeEvent::AwaitingConfirmation && n.to == Audience::Requester));
}

#[rstest]
#[case::s2_1_requester_confirms(Action::Confirm, "requester", Ok(Some(Status::Done)))]
#[case::s2_1_requester_returns(Action::ReturnToWork, "requester", Ok(Some(Status::InProgress)))]
#[case::s2_1_only_own_order(Action::Confirm, "other_requester", Err("not_owner"))]
#[case::s2_1_manager_cannot_confirm(Action::Confirm, "service", Err("requester_only"))]
fn requester_answers_awaiting_confirmation(
    #[case] action: Action,
    #[case] who: &str,
    #[case] expected: Result<Option<Status>, &'static str>,
) {
    assert_eq!(
        outcome(
            OrderKind::SimpleRequest,
            Status::AwaitingConfirmation,
            Funding::Free,
            action,
            who
        ),
        expected
    );
}

#[test]
fn s2_1_return_notifies_the_executor_or_the_responsible_managers() {
    let order = fixture(
        OrderKind::PremisesRequest,
        Status::AwaitingConfirmation,
        Funding::Free,
    );
    let effect = decide(&order, &Action::ReturnToWork, actor("requester")).expect("allowed");
    assert_eq!(
        effect.notices.first().map(|n| (n.event, n.to)),
        Some((NoticeEvent::ReturnedToWork, Audience::ExecutorOrResponsible))
    );
}

#[test]
fn s2_1_auto_close_after_the_services_time_and_not_before() {
    let mut order = fixture(
        OrderKind::SimpleRequest,
        Status::AwaitingConfirmation,
        Funding::Free,
    );
    order.auto_close_after = Duration::hours(48);
    let early = Action::AutoClose {
        now: now() + Duration::hours(47),
    };
    let due = Action::AutoClose {
        now: now() + Duration::hours(48),
    };
    let system = orderdesk_domain::Actor::System;
    assert_eq!(
        decide(&order, &early, system).map_err(|r| r.code.id()),
        Err("not_due")
    );
    assert_eq!(
        decide(&order, &due, system).map(|e| e.status),
        Ok(Some(Status::Done))
    );
    assert_eq!(
        decide(&order, &due, actor("service")).map_err(|r| r.code.id()),
        Err("system_only")
    );
}

#[test]
fn s2_1_executor_only_from_the_responsible_list() {
    let order = fixture(OrderKind::SimpleRequest, Status::New, Funding::Free);
    let ok = Action::AssignExecutor {
        executor: Some(common::SERVICE),
    };
    let outsider = Action::AssignExecutor {
        executor: Some(UserId(999)),
    };
    let none = Action::AssignExecutor { executor: None };
    assert!(decide(&order, &ok, actor("service")).is_ok());
    assert!(decide(&order, &none, actor("service")).is_ok());
    assert_eq!(
        decide(&order, &outsider, actor("service")).map_err(|r| r.code.id()),
        Err("executor_not_responsible")
    );
}

#[test]
fn s2_1_deadlines_first_response_not_after_completion() {
    let order = fixture(OrderKind::SimpleRequest, Status::InProgress, Funding::Free);
    let backwards = Action::ChangeDeadlines {
        first_response_due: Some(now() + Duration::hours(5)),
        completion_due: Some(now()),
    };
    assert_eq!(
        decide(&order, &backwards, actor("service")).map_err(|r| r.code.id()),
        Err("deadlines_out_of_order")
    );
}

#[test]
fn s2_1_status_menu_offers_only_allowed_targets() {
    let order = fixture(OrderKind::SimpleRequest, Status::New, Funding::Free);
    assert_eq!(
        allowed_status_targets(&order, actor("service")),
        vec![Status::InProgress, Status::AwaitingConfirmation]
    );
    assert!(allowed_status_targets(&order, actor("requester")).is_empty());
}

fn edit(range: SlotRange, price: i64, payer: Payer) -> Action {
    Action::EditBooking(BookingEdit {
        resource: ResourceId(2),
        slot_price: Money::rub(price),
        range,
        payer,
    })
}

#[rstest]
#[case::s2_2_editable_in_new(Status::New, Ok(()))]
#[case::s2_2_editable_in_confirmed(Status::Confirmed, Ok(()))]
#[case::s2_2_editable_in_active(Status::Active, Ok(()))]
#[case::s2_2_not_after_finished(Status::Finished, Err("not_editable"))]
#[case::s2_2_not_when_cancelled(Status::Cancelled, Err("not_editable"))]
fn booking_edit_statuses(#[case] status: Status, #[case] expected: Result<(), &'static str>) {
    let order = fixture(OrderKind::Booking, status, Funding::Paid);
    let range = common::later_range(common::booking_facts().range);
    let got = decide(
        &order,
        &edit(range, 100, Payer::Individual),
        actor("rental"),
    );
    assert_eq!(got.map(|_| ()).map_err(|r| r.code.id()), expected);
}

#[test]
fn s2_2_paid_individual_keeps_the_paid_slot_count() {
    let order = fixture(OrderKind::Booking, Status::Confirmed, Funding::Paid);
    let first = common::booking_facts().range.first;
    let five = SlotRange::new(common::day(), first, 5).expect("fits");
    let refused =
        decide(&order, &edit(five, 100, Payer::Individual), actor("rental")).map_err(|r| r.code);
    assert_eq!(
        refused,
        Err(orderdesk_domain::RefusalCode::PaidSlotCount { paid: 4, chosen: 5 })
    );
    let pricier = decide(
        &order,
        &edit(common::booking_facts().range, 150, Payer::Individual),
        actor("rental"),
    );
    assert_eq!(pricier.map_err(|r| r.code.id()), Err("paid_price_changed"));
}

#[test]
fn s2_2_unpaid_and_company_bookings_may_change_length_and_company_payer() {
    let first = common::booking_facts().range.first;
    let six = SlotRange::new(common::day(), first, 6).expect("fits");
    let unpaid = fixture(OrderKind::Booking, Status::New, Funding::Unpaid);
    assert!(decide(&unpaid, &edit(six, 100, Payer::Individual), actor("rental")).is_ok());
    let company = fixture(OrderKind::Booking, Status::Confirmed, Funding::Company);
    let other_company = Payer::Company {
        payer_id: UserId(71),
    };
    let effect =
        decide(&company, &edit(six, 100, other_company), actor("rental")).expect("allowed");
    assert!(effect.release_hold && effect.take_hold && effect.email_requester);
    // «Бронирование изменено.» says from what to what.
    assert_eq!(
        effect.system_messages,
        vec![SystemNote::BookingChanged {
            from: Some(BookingSpan::of_range(
                company.booking.expect("booking").range
            )),
            to: Some(BookingSpan::of_range(six)),
        }]
    );
}

#[test]
fn s2_2_only_meeting_room_bookings_are_edited() {
    for kind in [OrderKind::CoworkingBooking, OrderKind::HotelBooking] {
        let order = fixture(kind, Status::Confirmed, Funding::Paid);
        let range = common::booking_facts().range;
        assert_eq!(
            decide(
                &order,
                &edit(range, 100, Payer::Individual),
                actor("rental")
            )
            .map_err(|r| r.code.id()),
            Err("not_applicable")
        );
    }
}

#[rstest]
#[case::s2_2_paid_booking_confirmed_by_payment(OrderKind::Booking)]
#[case::s2_3_paid_coworking_confirmed_by_payment(OrderKind::CoworkingBooking)]
#[case::s2_3_paid_hotel_confirmed_by_payment(OrderKind::HotelBooking)]
fn lifecycle_new_confirmed_active_finished(#[case] kind: OrderKind) {
    let system = orderdesk_domain::Actor::System;
    let order = fixture(kind, Status::New, Funding::Unpaid);
    let pay = Action::PaymentReceived {
        amount: order.payment.total,
    };
    let effect = decide(&order, &pay, system).expect("payment accepted");
    assert_eq!(effect.status, Some(Status::Confirmed));
    assert_eq!(
        effect
            .system_messages
            .first()
            .map(|m| m.text(orderdesk_domain::Lang::Ru)),
        Some("Поступила оплата через платёжный шлюз.".to_owned())
    );
    let period = common::period();
    let confirmed = fixture(kind, Status::Confirmed, Funding::Paid);
    let before = Action::AdvanceByClock {
        now: period.start - Duration::minutes(1),
    };
    let during = Action::AdvanceByClock { now: period.start };
    let after = Action::AdvanceByClock { now: period.end };
    assert_eq!(
        decide(&confirmed, &before, system).map_err(|r| r.code.id()),
        Err("not_due")
    );
    assert_eq!(
        decide(&confirmed, &during, system).map(|e| e.status),
        Ok(Some(Status::Active))
    );
    assert_eq!(
        decide(&confirmed, &after, system).map(|e| e.status),
        Ok(Some(Status::Finished))
    );
    let active = fixture(kind, Status::Active, Funding::Paid);
    assert_eq!(
        decide(&active, &after, system).map(|e| e.status),
        Ok(Some(Status::Finished))
    );
}

#[test]
fn s2_2_company_booking_is_confirmed_by_the_manager_but_an_unpaid_individual_is_not() {
    let company = fixture(OrderKind::Booking, Status::New, Funding::Company);
    let unpaid = fixture(OrderKind::Booking, Status::New, Funding::Unpaid);
    let confirm = Action::ChangeStatus {
        to: Status::Confirmed,
    };
    assert_eq!(
        decide(&company, &confirm, actor("rental")).map(|e| e.status),
        Ok(Some(Status::Confirmed))
    );
    assert_eq!(
        decide(&unpaid, &confirm, actor("rental")).map_err(|r| r.code.id()),
        Err("not_paid")
    );
}

#[rstest]
#[case::s2_3_partly_paid_payment_recorded(Funding::Partly, 100, Ok(()))]
#[case::s2_3_full_payment_completes(Funding::Partly, 200, Ok(()))]
#[case::s2_3_not_more_than_owed(Funding::Partly, 201, Err("overpayment"))]
#[case::s2_3_zero_refused(Funding::Partly, 0, Err("invalid_amount"))]
#[case::s2_3_negative_refused(Funding::Partly, -5, Err("invalid_amount"))]
#[case::s2_3_unpaid_uses_the_payment_link(Funding::Unpaid, 100, Err("not_partly_paid"))]
#[case::s2_3_paid_needs_nothing(Funding::Paid, 100, Err("not_partly_paid"))]
fn record_payment_on_partly_paid(
    #[case] funding: Funding,
    #[case] rub: i64,
    #[case] expected: Result<(), &'static str>,
) {
    let order = fixture(OrderKind::CoworkingBooking, Status::New, funding);
    let got = decide(
        &order,
        &Action::RecordPayment {
            amount: Money::rub(rub),
        },
        actor("rental"),
    );
    assert_eq!(got.map(|_| ()).map_err(|r| r.code.id()), expected);
}

#[rstest]
#[case::s2_4_new_to_collecting(Status::New, Status::Collecting, Ok(Some(Status::Collecting)))]
#[case::s2_4_collecting_to_ready(
    Status::Collecting,
    Status::ReadyForPickup,
    Err("lines_not_collected")
)]
#[case::s2_4_ready_to_done(Status::ReadyForPickup, Status::Done, Ok(Some(Status::Done)))]
#[case::s2_4_no_skipping_collection(
    Status::New,
    Status::ReadyForPickup,
    Err("transition_not_allowed")
)]
fn shop_flow(
    #[case] from: Status,
    #[case] to: Status,
    #[case] expected: Result<Option<Status>, &'static str>,
) {
    assert_eq!(
        outcome(
            OrderKind::NomenclatureSale,
            from,
            Funding::Paid,
            Action::ChangeStatus { to },
            "shop"
        ),
        expected
    );
}

#[test]
fn s2_4_missing_line_of_a_paid_order_is_refunded_at_ready_for_pickup() {
    let mut order = fixture(
        OrderKind::NomenclatureSale,
        Status::Collecting,
        Funding::Paid,
    );
    let shop = actor("shop");
    let too_many = Action::CollectLine {
        line: LineNo(2),
        outcome: LineOutcome::Missing { quantity: 4 },
    };
    assert_eq!(
        decide(&order, &too_many, shop).map_err(|r| r.code.id()),
        Err("missing_exceeds_quantity")
    );
    let unknown = Action::CollectLine {
        line: LineNo(9),
        outcome: LineOutcome::Collected,
    };
    assert_eq!(
        decide(&order, &unknown, shop).map_err(|r| r.code.id()),
        Err("unknown_line")
    );
    order.lines[0].outcome = Some(LineOutcome::Collected);
    order.lines[1].outcome = Some(LineOutcome::Missing { quantity: 2 });
    let effect = decide(
        &order,
        &Action::ChangeStatus {
            to: Status::ReadyForPickup,
        },
        shop,
    )
    .expect("allowed");
    assert_eq!(effect.refund, Money::rub(160));
    assert!(effect
        .notices
        .iter()
        .any(|n| n.event == NoticeEvent::ReadyForPickup && n.to == Audience::Requester));
}

#[rstest]
#[case::s2_5_request_cancelled(
    OrderKind::SimpleRequest,
    Status::InProgress,
    Funding::Free,
    Ok(Some(Status::Cancelled))
)]
#[case::s2_5_unpaid_booking_cancelled(
    OrderKind::Booking,
    Status::New,
    Funding::Unpaid,
    Ok(Some(Status::Cancelled))
)]
#[case::s2_5_paid_booking_refund_pending(
    OrderKind::Booking,
    Status::Confirmed,
    Funding::Paid,
    Ok(Some(Status::CancelledRefundPending))
)]
#[case::s2_5_partly_paid_refunded_in_full(
    OrderKind::HotelBooking,
    Status::New,
    Funding::Partly,
    Ok(Some(Status::CancelledRefundPending))
)]
#[case::s2_5_done_can_be_cancelled(
    OrderKind::SimpleRequest,
    Status::Done,
    Funding::Free,
    Ok(Some(Status::Cancelled))
)]
#[case::s2_5_not_from_cancelled(
    OrderKind::SimpleRequest,
    Status::Cancelled,
    Funding::Free,
    Err("already_cancelled")
)]
#[case::s2_5_not_from_refund_pending(
    OrderKind::Booking,
    Status::CancelledRefundPending,
    Funding::Paid,
    Err("already_cancelled")
)]
#[case::s2_5_not_from_refunded(
    OrderKind::Booking,
    Status::CancelledRefunded,
    Funding::Paid,
    Err("already_cancelled")
)]
fn cancellation(
    #[case] kind: OrderKind,
    #[case] status: Status,
    #[case] funding: Funding,
    #[case] expected: Result<Option<Status>, &'static str>,
) {
    let who = match kind {
        OrderKind::SimpleRequest | OrderKind::PremisesRequest => "service",
        OrderKind::NomenclatureSale => "shop",
        _ => "rental",
    };
    assert_eq!(
        outcome(kind, status, funding, Action::Cancel, who),
        expected
    );
}

#[test]
fn s2_5_cancel_frees_what_the_order_holds_and_refunds_what_was_paid() {
    let order = fixture(OrderKind::HotelBooking, Status::Confirmed, Funding::Partly);
    let effect = decide(&order, &Action::Cancel, actor("rental")).expect("allowed");
    assert!(effect.release_hold);
    assert_eq!(effect.refund, Money::rub(200));
    let pending = fixture(
        OrderKind::HotelBooking,
        Status::CancelledRefundPending,
        Funding::Partly,
    );
    let done = decide(
        &pending,
        &Action::CompleteRefund,
        orderdesk_domain::Actor::System,
    )
    .expect("allowed");
    assert_eq!(done.status, Some(Status::CancelledRefunded));
}

#[test]
fn s3_internal_chat_is_never_for_requesters() {
    let order = fixture(OrderKind::Booking, Status::New, Funding::Paid);
    assert!(!may_view_internal(&order, actor("requester")));
    assert!(!may_view_internal(&order, actor("rental_outsider")));
    assert!(may_view_internal(&order, actor("rental")));
    let internal = Action::PostMessage {
        visibility: Visibility::Internal,
    };
    assert_eq!(
        decide(&order, &internal, actor("requester")).map_err(|r| r.code.id()),
        Err("internal_chat_for_managers")
    );
}

#[test]
fn every_refusal_has_a_russian_and_an_english_message() {
    use orderdesk_domain::{Lang, RefusalCode};
    let codes = [
        RefusalCode::RoleNotAllowed,
        RefusalCode::TransitionNotAllowed {
            from: Status::New,
            to: Status::Done,
        },
        RefusalCode::PaidSlotCount { paid: 4, chosen: 5 },
        RefusalCode::Overpayment {
            outstanding: Money::rub(200),
        },
        RefusalCode::SlotTaken,
    ];
    for code in codes {
        let ru = code.message(Lang::Ru);
        let en = code.message(Lang::En);
        assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{ru}");
        assert!(
            en.is_ascii() || en.contains('“') || en.contains('₽'),
            "{en}"
        );
        assert_ne!(ru, en);
    }
}

#[test]
fn s2_2_an_unpaid_booking_whose_time_came_lets_its_slots_go() {
    let system = orderdesk_domain::Actor::System;
    let start = Action::AdvanceByClock {
        now: common::period().start,
    };
    let unpaid = fixture(OrderKind::Booking, Status::New, Funding::Unpaid);
    let effect = decide(&unpaid, &start, system).expect("the clock cancels it");
    assert_eq!(effect.status, Some(Status::Cancelled));
    assert!(effect.release_hold);
    // A company's booking waits for the manager, a part-paid hotel stay for the desk.
    let company = fixture(OrderKind::Booking, Status::New, Funding::Company);
    let partly = fixture(OrderKind::HotelBooking, Status::New, Funding::Partly);
    for order in [company, partly] {
        assert_eq!(
            decide(&order, &start, system).map_err(|r| r.code.id()),
            Err("wrong_status")
        );
    }
}

#[test]
fn s2_5_money_arriving_after_cancellation_goes_back() {
    let system = orderdesk_domain::Actor::System;
    let cancelled = fixture(OrderKind::Booking, Status::Cancelled, Funding::Unpaid);
    let pay = Action::PaymentReceived {
        amount: Money::rub(400),
    };
    let effect = decide(&cancelled, &pay, system).expect("accepted, to be refunded");
    assert_eq!(effect.status, Some(Status::CancelledRefundPending));
    assert_eq!(effect.refund, Money::rub(400));
    let nothing = Action::PaymentReceived {
        amount: Money::ZERO,
    };
    assert_eq!(
        decide(&cancelled, &nothing, system).map_err(|r| r.code.id()),
        Err("invalid_amount")
    );
}

#[test]
fn s2_5_a_refund_already_on_its_way_is_not_asked_for_again_on_cancel() {
    let shop = actor("shop");
    let mut order = fixture(
        OrderKind::NomenclatureSale,
        Status::ReadyForPickup,
        Funding::Paid,
    );
    // 540 ₽ paid; 160 ₽ for a missing line is on its way back.
    order.payment.refunding = Money::rub(160);
    assert_eq!(order.payment.held(), Money::rub(380));
    let effect = decide(&order, &Action::Cancel, shop).expect("allowed");
    assert_eq!(effect.status, Some(Status::CancelledRefundPending));
    assert_eq!(effect.refund, Money::rub(380));

    // Everything is on its way already: nothing more to ask, but the order
    // still waits for the provider.
    order.payment.refunding = Money::rub(540);
    let effect = decide(&order, &Action::Cancel, shop).expect("allowed");
    assert_eq!(effect.status, Some(Status::CancelledRefundPending));
    assert_eq!(effect.refund, Money::ZERO);

    // The provider's confirmation names all of it.
    order.status = Status::CancelledRefundPending;
    let done = decide(
        &order,
        &Action::CompleteRefund,
        orderdesk_domain::Actor::System,
    )
    .expect("allowed");
    assert_eq!(
        done.system_messages,
        vec![SystemNote::Refunded {
            amount: Money::rub(540)
        }]
    );
}
