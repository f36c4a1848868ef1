//! The workspace store driven the way the app drives it: its actions change
//! the state, and the panes over it show the change. Outside the app every
//! call into it fails, which is how failures reach the toast here.

use super::notices::{NoticeHistory, Toasts};
use super::panes::DetailPane;
use crate::components::{fixtures, OrderAction};
use crate::i18n::Lang;
use crate::model::Notification;
use crate::store::{use_workspace_provider, Workspace};
use dioxus::prelude::*;
use orderdesk_domain::{NoticeEvent, OrderNumber};

fn screen() -> Element {
    let lang = use_signal(|| Lang::Ru);
    use_workspace_provider(lang, fixtures::session(), EventHandler::new(|_| {}));
    rsx! {
        DetailPane {}
        Toasts {}
        NoticeHistory {}
    }
}

/// The signed-in screen's panes over a workspace store.
struct Screen(VirtualDom);

impl Screen {
    fn new() -> Self {
        let mut dom = VirtualDom::new(screen);
        dom.rebuild_in_place();
        let mut screen = Self(dom);
        screen.settle();
        screen
    }

    /// Does `what` to the store, as a click would, and lets it settle.
    fn run(&mut self, what: impl FnOnce(Workspace)) {
        let workspace = self.0.in_scope(ScopeId::APP, consume_context::<Workspace>);
        self.0.in_scope(ScopeId::APP, || what(workspace));
        self.settle();
    }

    /// Reads the store.
    fn read<T>(&self, what: impl FnOnce(Workspace) -> T) -> T {
        let workspace = self.0.in_scope(ScopeId::APP, consume_context::<Workspace>);
        self.0.in_scope(ScopeId::APP, || what(workspace))
    }

    /// Lets every task and effect run and every change render.
    fn settle(&mut self) {
        for _ in 0..20 {
            self.0.process_events();
            self.0.render_immediate_to_vec();
        }
    }

    fn html(&self) -> String {
        dioxus_ssr::render(&self.0)
    }
}

fn notice(key: &str, order: i64) -> Notification {
    Notification {
        key: key.into(),
        order: OrderNumber(order),
        event: NoticeEvent::OrderCreated,
        title: "Новый заказ".into(),
        body: String::new(),
        read: false,
        at: None,
    }
}

#[test]
fn a_notice_shows_once_and_opens_its_order() {
    let mut screen = Screen::new();
    assert!(screen.html().contains("Выберите заказ в списке"));
    let revision = screen.read(|w| (w.revision)());

    screen.run(|w| {
        w.add_notice(notice("k1", 1006273));
        w.add_notice(notice("k1", 1006273));
        w.add_notice(notice("k2", 1006274));
    });
    let html = screen.html();
    assert_eq!(html.matches("class=\"notice\"").count(), 2, "{html}");
    assert!(html.contains("data-order=\"1006273\""));
    assert!(
        screen.read(|w| (w.revision)()) > revision,
        "the list loads again"
    );

    screen.run(|w| w.open_notice("k1", OrderNumber(1006273)));
    let html = screen.html();
    assert_eq!(html.matches("class=\"notice\"").count(), 1);
    assert_eq!(screen.read(|w| (w.selected)()), Some(OrderNumber(1006273)));
    // Outside the app the card cannot load: the pane says why.
    assert!(html.contains("error-panel"), "{html}");
    assert!(!html.contains("Выберите заказ в списке"));
}

#[test]
fn toasts_go_by_themselves_at_most_two_at_once_and_the_bell_keeps_them() {
    let mut screen = Screen::new();
    screen.run(|w| {
        for (i, key) in ["k1", "k2", "k3"].into_iter().enumerate() {
            w.add_notice(notice(key, 1006270 + i as i64));
        }
    });
    let html = screen.html();
    assert_eq!(html.matches("class=\"notice\"").count(), 2, "{html}");
    assert!(
        !html.contains("data-order=\"1006270\""),
        "the oldest gave way"
    );
    // The timer's end, as the app's clock would bring it.
    screen.run(|w| w.expire_notice("k3"));
    screen.run(|w| w.expire_notice("k2"));
    assert!(!screen.html().contains("class=\"notice\""));
    assert_eq!(screen.read(|w| w.unread_count()), 3);

    screen.run(|w| w.toggle_history());
    let html = screen.html();
    assert!(html.contains("id=\"notice-history\""), "{html}");
    assert_eq!(html.matches("history-entry history-unread").count(), 3);
    assert!(html.contains("aria-label=\"Закрыть\""), "{html}");

    screen.run(|w| w.open_notice("k2", OrderNumber(1006271)));
    assert_eq!(screen.read(|w| (w.selected)()), Some(OrderNumber(1006271)));
    assert_eq!(screen.read(|w| w.unread_count()), 2);
    assert!(
        !screen.html().contains("id=\"notice-history\""),
        "the history closed"
    );

    screen.run(|w| w.toggle_history());
    screen.run(|w| w.mark_all_read());
    let html = screen.html();
    assert_eq!(screen.read(|w| w.unread_count()), 0);
    assert!(!html.contains("history-unread"), "{html}");
    assert!(!html.contains("mark-all-read"), "{html}");
}

#[test]
fn notices_raised_before_the_screen_listened_are_in_the_history_without_a_toast() {
    let mut screen = Screen::new();
    screen.run(|w| w.catch_up_notices(vec![notice("old", 1006200)]));
    screen.run(|w| w.add_notice(notice("old", 1006200)));
    assert!(!screen.html().contains("class=\"notice\""));
    assert_eq!(screen.read(|w| w.unread_count()), 1);
}

/// The toast once missing: an order raised between sign-in and the moment
/// the screen listened reached only the core's history. Read once the
/// listener is in place, such a fresh unread notice gets its toast; an old
/// one, and one already read, only join the history.
#[test]
fn an_order_raised_before_the_screen_listened_got_no_toast() {
    let mut screen = Screen::new();
    let just_now = crate::api::now().fixed_offset() - chrono::Duration::seconds(3);
    let fresh = Notification {
        at: Some(just_now),
        ..notice("fresh", 1006200)
    };
    let read = Notification {
        at: Some(just_now),
        read: true,
        ..notice("read", 1006201)
    };
    let old = Notification {
        at: Some(just_now - chrono::Duration::days(1)),
        ..notice("old", 1006202)
    };
    screen.run(|w| w.catch_up_notices(vec![fresh, read, old]));
    let toasts = screen.read(|w| (w.toasts)());
    assert_eq!(toasts, ["fresh"]);
    let history: Vec<String> = screen.read(|w| (w.notices)().into_iter().map(|n| n.key).collect());
    assert_eq!(history, ["fresh", "read", "old"]);
}

#[test]
fn a_refused_action_shows_in_the_toast_and_back_closes_the_order() {
    let mut screen = Screen::new();
    screen.run(|w| w.open_order(OrderNumber(1006273)));
    screen.run(|w| w.act(OrderAction::Cancel));
    let said = screen.read(|w| (w.toast)()).unwrap_or_default();
    assert!(!said.is_empty(), "the refusal is told");
    let html = screen.html();
    assert!(html.contains("id=\"toast\""), "{html}");
    assert!(html.contains(&said), "{html}");

    screen.run(|w| w.dismiss_toast());
    assert!(!screen.html().contains("id=\"toast\""));

    screen.run(|w| w.act(OrderAction::Back));
    assert_eq!(screen.read(|w| (w.selected)()), None);
    assert!(screen.html().contains("Выберите заказ в списке"));
}
