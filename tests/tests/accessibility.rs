//! axe-core over every main screen of the real app — login, list, order
//! card with its chat, settings, booking editor — finds no serious or
//! critical violation; dialogs take focus and close on Esc; the booking
//! editor offers no slot that has already ended.

use chrono::{DateTime, FixedOffset, NaiveTime, Timelike, Utc};
use orderdesk_e2e::axe::serious_violations;
use orderdesk_e2e::{Api, Server, Session, TestResult, DESKTOP, PHONE};

/// The serious or critical violations found on each screen, all told at
/// the end so one run shows every screen's.
#[derive(Default)]
struct Findings(std::cell::RefCell<Vec<String>>);

impl Findings {
    async fn check(&self, session: &Session, screen: &str) -> TestResult {
        for v in serious_violations(session, screen).await? {
            self.0
                .borrow_mut()
                .push(format!("{screen}: {} {}", v["id"], v["targets"]));
        }
        Ok(())
    }

    fn assert_none(&self) {
        let found = self.0.borrow();
        assert!(
            found.is_empty(),
            "serious or critical violations: {found:#?}"
        );
    }
}

/// Presses Esc on whatever has focus.
async fn press_escape(session: &Session) -> TestResult {
    let active = session.client.active_element().await?;
    active.send_keys("\u{E00C}").await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    Ok(())
}

/// A booking the rental manager may move, with the site's offset its
/// times are written in.
async fn editable_booking(rental: &Api) -> Result<(i64, FixedOffset), Box<dyn std::error::Error>> {
    for number in rental.numbers("kind=booking&status=new").await? {
        let order = rental.order(number).await?;
        if order["allowed"]["edit_booking"] == true {
            let created = order["created_at"].as_str().ok_or("no created_at")?;
            let offset = *DateTime::parse_from_rfc3339(created)?.offset();
            return Ok((number, offset));
        }
    }
    Err("no booking the rental manager may edit in the demo".into())
}

/// On today's grid, every slot that has ended is disabled.
async fn past_slots_are_disabled(session: &Session, site: FixedOffset) -> TestResult {
    // The first date chip is today. The grid keeps the booked day's free
    // slots until today's have loaded, and a click that lands while the
    // editor is still loading can be undone by it, so today is chosen again
    // until the grid shows it (at most 10 s), and judged as it stands then.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        session.click(".chips .chip").await?;
        session.wait_for("#slot-grid .slot").await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let (checked, offered) = ended_slots(session, site).await?;
        if offered.is_empty() || std::time::Instant::now() > deadline {
            println!("past slots checked disabled today: {checked}");
            assert!(offered.is_empty(), "ended and still offered: {offered:?}");
            // The site's afternoon (see `afternoon_offset`): there are ended slots.
            assert!(checked > 0, "no slot of today had ended");
            return Ok(());
        }
    }
}

/// How many slots of the grid have ended by now at the site, and those of
/// them still offered.
async fn ended_slots(
    session: &Session,
    site: FixedOffset,
) -> Result<(usize, Vec<String>), Box<dyn std::error::Error>> {
    let now = Utc::now().with_timezone(&site).time();
    let (mut checked, mut offered) = (0, Vec::new());
    for slot in session
        .client
        .find_all(fantoccini::Locator::Css("#slot-grid .slot"))
        .await?
    {
        let at = slot.attr("data-slot").await?.unwrap_or_default();
        let start = NaiveTime::parse_from_str(&at, "%H:%M")?;
        let ends = start + chrono::Duration::minutes(30);
        // A slot ending at midnight wraps to 00:00: it has not ended today.
        if ends > start && ends <= now {
            checked += 1;
            if slot.attr("disabled").await?.is_none() {
                offered.push(format!("{at} at {now}"));
            }
        }
    }
    Ok((checked, offered))
}

/// A site time zone (whole hours from UTC, -8 to +15) in which it is now
/// between 15:00 and 16:00 of the same date as in UTC, so that today's grid
/// always has slots that have ended, whenever the test runs.
fn afternoon_offset() -> i32 {
    15 - i32::try_from(Utc::now().hour()).unwrap_or(0)
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn every_main_screen_passes_axe_core_and_dialogs_take_focus() -> TestResult {
    let offset = afternoon_offset().to_string();
    let server = Server::start_with(&["--utc-offset-hours", &offset])?;
    let url = server.url();
    let rental = Api::login(&url, "rental").await?;
    let (number, site) = editable_booking(&rental).await?;
    let session = Session::start_with(&url).await?;
    let findings = Findings::default();

    session.wait_for(".login-card").await?;
    findings.check(&session, "login").await?;
    session.log_in("rental").await?;
    findings.check(&session, "list").await?;

    session.open_order(number).await?;
    findings.check(&session, "order card and chat").await?;
    session.click("#chat-tab-internal").await?;
    findings.check(&session, "internal chat").await?;

    session.click("#open-settings").await?;
    session.wait_for("#settings").await?;
    let focused = session.client.active_element().await?.attr("id").await?;
    assert_eq!(
        focused.as_deref(),
        Some("settings"),
        "the dialog takes focus"
    );
    session.wait_for("#close-settings").await?;
    findings.check(&session, "settings").await?;
    session.screenshot("settings-desktop", DESKTOP).await?;
    session.screenshot("settings-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    press_escape(&session).await?;
    assert!(
        session
            .client
            .find(fantoccini::Locator::Css("#settings"))
            .await
            .is_err(),
        "Esc closes the settings"
    );

    session.click("#edit-booking").await?;
    session.wait_for("#booking-editor").await?;
    past_slots_are_disabled(&session, site).await?;
    findings.check(&session, "booking editor").await?;
    session
        .screenshot("booking-editor-today-desktop", DESKTOP)
        .await?;
    session
        .screenshot("booking-editor-today-phone", PHONE)
        .await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    past_days_are_refused(&session, site).await?;
    findings.assert_none();
    session.close().await
}

/// «Другая дата» does not take a day before today: it says how to type a
/// date, and the grid stays on the day it showed.
async fn past_days_are_refused(session: &Session, site: FixedOffset) -> TestResult {
    let shown = session
        .text("#booking-editor .field-label")
        .await
        .unwrap_or_default();
    let chips = session
        .client
        .find_all(fantoccini::Locator::Css(".chips .chip"))
        .await?;
    chips.last().ok_or("no «Другая дата» chip")?.click().await?;
    let yesterday =
        (Utc::now().with_timezone(&site) - chrono::Duration::days(1)).format("%d.%m.%Y");
    let field = session.wait_for("#other-date").await?;
    field.clear().await?;
    field.send_keys(&yesterday.to_string()).await?;
    session.wait_for("#booking-editor .field-error").await?;
    assert_eq!(
        session
            .text("#booking-editor .field-label")
            .await
            .unwrap_or_default(),
        shown
    );
    session
        .screenshot("booking-editor-past-day-desktop", DESKTOP)
        .await?;
    Ok(())
}
