//! A rental manager moves a booking to other free slots and cancels a paid
//! one.

use fantoccini::Locator;
use orderdesk_e2e::{Api, Server, Session, TestResult, DESKTOP, PHONE};
use serde_json::Value;
use std::time::Duration;

fn slots_of(order: &Value) -> Vec<String> {
    order["booking"]["slots"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `15:00` → `15:30`.
fn next_slot(slot: &str) -> Option<String> {
    let (h, m) = slot.split_once(':')?;
    let minutes = h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()? + 30;
    Some(format!("{:02}:{:02}", minutes / 60, minutes % 60))
}

/// An unpaid new booking to move, and the number of a paid confirmed one
/// to cancel.
async fn demo_bookings(rental: &Api) -> Result<(Value, i64), Box<dyn std::error::Error>> {
    let mut to_move = None;
    for number in rental.numbers("kind=booking&status=new").await? {
        let order = rental.order(number).await?;
        if order["payment"]["paid"] == 0 && order["allowed"]["edit_booking"] == true {
            to_move = Some(order);
            break;
        }
    }
    let to_move = to_move.ok_or("no unpaid new booking in the demo")?;
    let mut to_cancel = None;
    for number in rental.numbers("kind=booking&status=confirmed").await? {
        let order = rental.order(number).await?;
        if order["payment"]["paid"].as_i64().unwrap_or(0) > 0 {
            to_cancel = order["number"].as_i64();
            break;
        }
    }
    let to_cancel = to_cancel.ok_or("no paid confirmed booking in the demo")?;
    Ok((to_move, to_cancel))
}

/// In the open editor, picks a day other than the booking's own (where its
/// slots would already be chosen) and two free slots in a row on it.
async fn choose_two_free_slots(
    session: &Session,
) -> Result<(String, String), Box<dyn std::error::Error>> {
    let mut other_day = false;
    for index in 1..4 {
        let chips = session
            .client
            .find_all(Locator::Css(".chips .chip"))
            .await?;
        chips
            .get(index)
            .ok_or("too few date chips")?
            .click()
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        session.wait_for("#slot-grid .slot:not([disabled])").await?;
        let chosen = session
            .client
            .find_all(Locator::Css("#slot-grid .slot-on"))
            .await?;
        if chosen.is_empty() {
            other_day = true;
            break;
        }
    }
    assert!(other_day, "every day offered holds the booking's own slots");
    let mut enabled = Vec::new();
    for slot in session
        .client
        .find_all(Locator::Css("#slot-grid .slot:not([disabled])"))
        .await?
    {
        if let Some(at) = slot.attr("data-slot").await? {
            enabled.push(at);
        }
    }
    let first = enabled
        .iter()
        .find(|s| next_slot(s).is_some_and(|n| enabled.contains(&n)))
        .ok_or("no two free slots in a row tomorrow")?
        .clone();
    let second = next_slot(&first).ok_or("no next slot")?;
    session
        .click(&format!("#slot-grid .slot[data-slot='{first}']"))
        .await?;
    session
        .click(&format!("#slot-grid .slot[data-slot='{second}']"))
        .await?;
    assert_eq!(
        session
            .client
            .find_all(Locator::Css("#slot-grid .slot-on"))
            .await?
            .len(),
        2,
        "two slots are chosen"
    );
    Ok((first, second))
}

/// «Изменить заказ» moves the booking; the server holds the new slots and
/// the old ones are free again.
async fn move_booking(session: &Session, rental: &Api, to_move: &Value) -> TestResult {
    let number = to_move["number"].as_i64().ok_or("no number")?;
    let resource = to_move["booking"]["resource"]["id"]
        .as_i64()
        .ok_or("no resource")?;
    let old_date = to_move["booking"]["date"]
        .as_str()
        .ok_or("no date")?
        .to_owned();
    let old_slots = slots_of(to_move);
    let free_before = rental.free_slots(resource, &old_date).await?;
    assert!(
        old_slots.iter().all(|s| !free_before.contains(s)),
        "the booking's own slots must be taken before the move"
    );

    session.open_order(number).await?;
    if to_move["payment"]["awaiting_payment"] == true {
        // «Оплата» says what is due by the payment link, as the source shows.
        session
            .wait_text("#awaiting-payment", "Не оплачено", 10)
            .await?;
    }
    session.screenshot("order-booking-desktop", DESKTOP).await?;
    session.screenshot("order-booking-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;

    session.click("#edit-booking").await?;
    session.wait_for("#booking-editor").await?;
    let (first, second) = choose_two_free_slots(session).await?;
    session.screenshot("booking-edit-desktop", DESKTOP).await?;
    session.screenshot("booking-edit-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    session.click("#save-booking").await?;
    session.wait_for("#order-view").await?;
    session
        .wait_text(".order-when", &format!("с {first} до"), 10)
        .await?;

    let moved_to = vec![first, second];
    rental
        .wait_order(number, 15, |o| slots_of(o) == moved_to)
        .await?;
    let free_after = rental.free_slots(resource, &old_date).await?;
    for slot in &old_slots {
        assert!(
            free_after.contains(slot),
            "{slot} on {old_date} is free again after the move"
        );
    }
    Ok(())
}

/// Cancelling a paid booking starts its refund, shown in «Оплата».
async fn cancel_paid_booking(session: &Session, rental: &Api, to_cancel: i64) -> TestResult {
    session.open_order(to_cancel).await?;
    session.click("#order-menu").await?;
    session.click("#cancel-order").await?;
    session
        .wait_text("#confirm-cancel", "Отменить заказ?", 5)
        .await?;
    session.click("#confirm-cancel-yes").await?;
    session
        .wait_text(
            ".order-head .status-text",
            "Отменен. Выполняется возврат",
            10,
        )
        .await?;
    rental
        .wait_order(to_cancel, 15, |o| o["status"] == "cancelled_refund_pending")
        .await?;
    session
        .wait_text(".pay-state.refund-pending", "Выполняется возврат", 20)
        .await?;
    session
        .screenshot("order-cancelled-desktop", DESKTOP)
        .await?;
    Ok(())
}

/// Coworking tickets and hotel reservations have their own cards.
async fn stay_cards(session: &Session, rental: &Api) -> TestResult {
    let hotel = *rental
        .numbers("kind=hotel_booking")
        .await?
        .first()
        .ok_or("no hotel booking in the demo")?;
    session.open_order(hotel).await?;
    session
        .wait_text("#hotel-reservation", "Бронирование №", 10)
        .await?;
    let card = session.text("#hotel-reservation").await?;
    for label in [
        "Взрослых",
        "Детей",
        "Выделить доп. услуги отдельной строкой при оформлении счета и акта",
    ] {
        assert!(card.contains(label), "«{label}» missing: {card}");
    }
    session.screenshot("order-hotel-desktop", DESKTOP).await?;
    session.screenshot("order-hotel-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    let coworking = *rental
        .numbers("kind=coworking_booking")
        .await?
        .first()
        .ok_or("no coworking booking in the demo")?;
    session.open_order(coworking).await?;
    session
        .wait_text("#coworking-ticket", "Билет №", 10)
        .await?;
    session.wait_text("#coworking-ticket", "Тариф", 5).await?;
    session
        .screenshot("order-coworking-desktop", DESKTOP)
        .await?;
    session.screenshot("order-coworking-phone", PHONE).await?;
    Ok(())
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn rental_manager_moves_a_booking_and_cancels_a_paid_one() -> TestResult {
    let server = Server::start()?;
    let url = server.url();
    let rental = Api::login(&url, "rental").await?;
    let (to_move, to_cancel) = demo_bookings(&rental).await?;

    let session = Session::start_with(&url).await?;
    session.log_in("rental").await?;
    move_booking(&session, &rental, &to_move).await?;
    cancel_paid_booking(&session, &rental, to_cancel).await?;
    stay_cards(&session, &rental).await?;
    session.close().await
}
