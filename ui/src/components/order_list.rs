//! The list of orders: filters, search by number or text, counts, and rows
//! rendered only where the manager can see them. The app's cache finds the
//! rows: the list asks it for the stretch around what is on screen, so a
//! hundred thousand cached orders scroll as smoothly as ten.

mod row;
mod toolbar;

use crate::i18n::{t, Lang, Text};
use crate::model::{ListWindow, OrderFilter};
use chrono::{DateTime, Utc};
use dioxus::prelude::*;
use orderdesk_domain::{OrderNumber, Role};
use row::OrderRow;
use std::ops::Range;
use std::rc::Rc;
use toolbar::ListToolbar;

/// Height of one row in pixels; the stylesheet uses the same value.
pub const ROW_HEIGHT: f64 = 136.0;
/// Rows kept rendered above and below the visible ones.
const OVERSCAN: usize = 8;

/// The rows to render for a scroll position and a viewport height.
pub fn visible_window(total: usize, scroll_top: f64, viewport: f64) -> Range<usize> {
    let first = (scroll_top.max(0.0) / ROW_HEIGHT).floor() as usize;
    let shown = (viewport.max(0.0) / ROW_HEIGHT).ceil() as usize + 1;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = (first + shown + OVERSCAN).min(total);
    start..end
}

/// How far, in pixels, the list must be pulled down from its top for
/// releasing it to refresh.
pub const PULL_TO_REFRESH: f64 = 72.0;

/// What a pull of `distance` pixels down from the list's top says.
pub fn pull_text(distance: f64) -> Option<Text> {
    if distance >= PULL_TO_REFRESH {
        Some(Text::ReleaseToRefresh)
    } else if distance > 8.0 {
        Some(Text::PullToRefresh)
    } else {
        None
    }
}

/// Where the first finger is, down the screen.
fn finger_y(touches: &[TouchPoint]) -> Option<f64> {
    touches.first().map(|t| t.client_coordinates().y)
}

/// Rows asked of the cache at a time.
pub const FETCH_ROWS: usize = 3 * FETCH_BLOCK;
const FETCH_BLOCK: usize = 50;

/// Where the rows to ask for start when `first_visible` is the first row on
/// screen: a block before it, so that [`FETCH_ROWS`] cover the rows on
/// screen and the overscan on both sides. Moves in whole blocks, so
/// scrolling asks again only every fifty rows.
pub fn fetch_start(first_visible: usize) -> usize {
    (first_visible / FETCH_BLOCK).saturating_sub(1) * FETCH_BLOCK
}

/// The list under a finger: pulled down from its top and let go, it asks
/// for a sync; a hint says what letting go will do, then that it refreshes.
#[component]
fn PullToRefresh(
    lang: Lang,
    /// The rows are scrolled to their top, where a pull may start.
    at_top: bool,
    refreshing: bool,
    on_refresh: EventHandler<()>,
    children: Element,
) -> Element {
    // Where a pull began, and how far it has come.
    let mut pull_from = use_signal(|| None::<f64>);
    let mut pulled = use_signal(|| 0.0_f64);
    let hint = if refreshing {
        Some(Text::Refreshing)
    } else {
        pull_text(pulled())
    };
    rsx! {
        div { class: "list",
            ontouchstart: move |e| if at_top { pull_from.set(finger_y(&e.touches())) },
            ontouchmove: move |e| if let (Some(from), Some(y)) = (pull_from(), finger_y(&e.touches())) {
                pulled.set((y - from).max(0.0));
            },
            ontouchend: move |_| {
                if pulled() >= PULL_TO_REFRESH { on_refresh.call(()) }
                pull_from.set(None);
                pulled.set(0.0);
            },
            if let Some(hint) = hint {
                div { class: "pull-hint", id: "pull-hint", role: "status", {t(lang, hint)} }
            }
            {children}
        }
    }
}

/// «Заказов не найдено», with what to do about it.
#[component]
fn NothingFound(lang: Lang) -> Element {
    rsx! {
        div { class: "empty",
            div { class: "empty-icon", aria_hidden: "true", "☰" }
            strong { {t(lang, Text::Nothing)} }
            span { {t(lang, Text::NothingHint)} }
        }
    }
}

/// A row not yet at hand: its place, shimmering until it comes.
#[component]
fn LoadingRow(index: usize) -> Element {
    rsx! {
        div { class: "row row-loading", top: "{index as f64 * ROW_HEIGHT}px", aria_busy: "true",
            div { class: "skeleton skeleton-line" }
            div { class: "skeleton skeleton-line short" }
        }
    }
}

#[component]
pub fn OrderList(
    lang: Lang,
    /// Whose list: the status filter offers the statuses of its kinds.
    role: Role,
    /// The present moment, for the overdue marks.
    now: DateTime<Utc>,
    /// The rows around the ones on screen, with the total and counts.
    rows: Rc<ListWindow>,
    filter: OrderFilter,
    selected: Option<OrderNumber>,
    on_filter: EventHandler<OrderFilter>,
    on_select: EventHandler<OrderNumber>,
    /// The first row on screen, as the manager scrolls.
    on_scroll: EventHandler<usize>,
    /// A sync asked for by pulling the list down is under way.
    #[props(default)]
    refreshing: bool,
    /// The list was pulled down from its top and let go: sync now.
    #[props(default)]
    on_refresh: EventHandler<()>,
) -> Element {
    let mut scroll_top = use_signal(|| 0.0_f64);
    let mut viewport = use_signal(|| 900.0_f64);

    let total = usize::try_from(rows.page.total).unwrap_or(usize::MAX);
    let window = visible_window(total, scroll_top(), viewport());
    let total_height = total as f64 * ROW_HEIGHT;

    rsx! {
        PullToRefresh { lang, at_top: scroll_top() <= 0.0, refreshing, on_refresh,
            ListToolbar { lang, role, rows: rows.clone(), filter: filter.clone(), on_filter }
            if total == 0 {
                NothingFound { lang }
            } else {
                div {
                    class: "list-scroll",
                    id: "order-list",
                    onscroll: move |e| {
                        let top = e.data().scroll_top();
                        scroll_top.set(top);
                        viewport.set(f64::from(e.data().client_height()));
                        on_scroll.call((top.max(0.0) / ROW_HEIGHT).floor() as usize);
                    },
                    // Sizes and places go through style properties (the
                    // CSSOM), not a `style` attribute: the app's CSP allows
                    // no inline style attributes.
                    div { class: "list-spacer", height: "{total_height}px",
                        for index in window {
                            if let Some(item) = rows.row(index) {
                                OrderRow {
                                    key: "{item.summary.number}",
                                    lang,
                                    item: item.clone(),
                                    now,
                                    top: index as f64 * ROW_HEIGHT,
                                    selected: selected == Some(item.summary.number),
                                    on_select,
                                }
                            } else {
                                LoadingRow { key: "row-{index}", index }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::fixtures;
    use crate::model::{ListItem, ListPage, StatusCount};
    use orderdesk_domain::{Role, Status};

    /// What the cache would answer for the first page of `total` orders,
    /// asked from `offset`.
    fn window_of(total: usize, offset: usize) -> ListWindow {
        let all = fixtures::orders(FETCH_ROWS.min(total));
        ListWindow {
            offset,
            page: ListPage {
                items: all
                    .into_iter()
                    .map(|summary| ListItem {
                        summary,
                        pending: false,
                        pending_actions: Vec::new(),
                    })
                    .collect(),
                total: total as u64,
                counts: vec![StatusCount {
                    status: Status::New,
                    count: total as u64 / 4,
                }],
            },
        }
    }

    #[test]
    fn window_covers_the_viewport_plus_overscan() {
        assert_eq!(visible_window(0, 0.0, 800.0), 0..0);
        // Eight rows fill the viewport, one more is partly in view, then
        // the overscan.
        let at_top = visible_window(10_000, 0.0, 8.0 * ROW_HEIGHT);
        assert_eq!(at_top, 0..(8 + 1 + OVERSCAN));
        let deep = visible_window(10_000, ROW_HEIGHT * 5_000.0, 8.0 * ROW_HEIGHT);
        assert_eq!(deep.start, 5_000 - OVERSCAN);
        assert!(deep.len() < 40, "{deep:?}");
        let end = visible_window(10_000, ROW_HEIGHT * 10_000.0, 8.0 * ROW_HEIGHT);
        assert_eq!(end.end, 10_000);
    }

    #[test]
    fn rows_asked_for_cover_the_screen_and_move_in_blocks() {
        assert_eq!(fetch_start(0), 0);
        assert_eq!(fetch_start(49), 0);
        assert_eq!(fetch_start(99), 0);
        assert_eq!(fetch_start(100), 50);
        assert_eq!(fetch_start(5_030), 4_950);
        // Whatever the scroll, the rows rendered are among the rows asked for.
        for first in [0_usize, 7, 49, 50, 51, 777, 9_990] {
            let window = visible_window(10_000, first as f64 * ROW_HEIGHT, 2_000.0);
            let start = fetch_start(first);
            assert!(window.start >= start, "{first}: {window:?} from {start}");
            assert!(
                window.end <= start + FETCH_ROWS,
                "{first}: {window:?} from {start}"
            );
        }
    }

    #[test]
    fn ten_thousand_orders_render_only_a_screenful_of_rows() {
        let html = fixtures::render(|| {
            rsx! {
                OrderList {
                    lang: Lang::Ru,
                    role: Role::ServiceManager,
                    now: DateTime::default(),
                    rows: Rc::new(window_of(10_000, 0)),
                    filter: OrderFilter::default(),
                    selected: None,
                    on_filter: |_| {},
                    on_select: |_| {},
                    on_scroll: |_| {},
                }
            }
        });
        let rows = html.matches("data-number=").count();
        assert!(rows > 5 && rows < 40, "{rows} rows rendered");
        assert!(html.contains("Найдено: 10000"));
        assert!(html.contains("В процессе оплаты"));
        assert!(html.contains("Новый (2500)"), "counts come from the cache");
        assert!(!html.contains("row-loading"));
    }

    #[test]
    fn rows_not_yet_at_hand_show_as_loading() {
        let html = fixtures::render(|| {
            rsx! {
                OrderList {
                    lang: Lang::Ru,
                    role: Role::ServiceManager,
                    now: DateTime::default(),
                    rows: Rc::new(window_of(10_000, 500)),
                    filter: OrderFilter::default(),
                    selected: None,
                    on_filter: |_| {},
                    on_select: |_| {},
                    on_scroll: |_| {},
                }
            }
        });
        assert_eq!(html.matches("data-number=").count(), 0);
        assert!(html.matches("row-loading").count() > 5);
    }

    #[test]
    fn a_search_with_nothing_found_says_so() {
        let html = fixtures::render(|| {
            rsx! {
                OrderList {
                    lang: Lang::Ru,
                    role: Role::ServiceManager,
                    now: DateTime::default(),
                    rows: Rc::new(ListWindow::default()),
                    filter: OrderFilter { query: "нет такого".into(), ..OrderFilter::default() },
                    selected: None,
                    on_filter: |_| {},
                    on_select: |_| {},
                    on_scroll: |_| {},
                }
            }
        });
        assert!(html.contains("Найдено: 0"));
        assert!(html.contains("нет такого"));
        assert_eq!(html.matches("data-number=").count(), 0);
    }

    #[test]
    fn pulling_the_list_down_says_when_letting_go_refreshes() {
        assert_eq!(pull_text(0.0), None);
        assert_eq!(pull_text(30.0), Some(Text::PullToRefresh));
        assert_eq!(pull_text(PULL_TO_REFRESH), Some(Text::ReleaseToRefresh));
        let html = fixtures::render(|| {
            rsx! {
                OrderList {
                    lang: Lang::En,
                    role: Role::ServiceManager,
                    now: DateTime::default(),
                    rows: Rc::new(window_of(10, 0)),
                    filter: OrderFilter::default(),
                    selected: None,
                    on_filter: |_| {},
                    on_select: |_| {},
                    on_scroll: |_| {},
                    refreshing: true,
                }
            }
        });
        assert!(html.contains("Refreshing…"), "{html}");
        // The search and the filters are labelled for screen readers.
        for label in ["Search orders", "Filter by status", "Filter by type"] {
            assert!(
                html.contains(&format!("aria-label=\"{label}\"")),
                "{label}: {html}"
            );
        }
    }

    /// A request of the service manager's list, due at 12:00 on 1 December.
    fn request(status: orderdesk_domain::Status, executor: Option<&str>) -> ListItem {
        let mut summary = fixtures::orders(1).remove(0);
        summary.status = status;
        summary.executor_name = executor.map(str::to_owned);
        summary.description_line = Some("Не работает кондиционер в офисе".into());
        summary.place = Some("Офис 305".into());
        summary.deadlines.completion_due =
            Some(DateTime::parse_from_rfc3339("2026-12-01T12:00:00+03:00").expect("valid time"));
        ListItem {
            summary,
            pending: false,
            pending_actions: Vec::new(),
        }
    }

    #[test]
    fn a_row_shows_description_place_executor_and_an_overdue_mark_once_due_has_passed() {
        let before = DateTime::parse_from_rfc3339("2026-12-01T11:00:00+03:00")
            .expect("time")
            .to_utc();
        let after = DateTime::parse_from_rfc3339("2026-12-01T12:30:00+03:00")
            .expect("time")
            .to_utc();
        let item = request(orderdesk_domain::Status::InProgress, Some("Ольга Смирнова"));
        assert_eq!(
            row::row_due(&item.summary, before),
            Some(("01.12.2026 12:00".into(), false))
        );
        assert_eq!(
            row::row_due(&item.summary, after),
            Some(("01.12.2026 12:00".into(), true))
        );
        let done = request(orderdesk_domain::Status::Done, None);
        assert_eq!(
            row::row_due(&done.summary, after),
            None,
            "nothing is due once done"
        );
        let html = fixtures::render(|| {
            let item = request(orderdesk_domain::Status::InProgress, Some("Ольга Смирнова"));
            let now = DateTime::parse_from_rfc3339("2026-12-01T12:30:00+03:00")
                .expect("time")
                .to_utc();
            rsx! { row::OrderRow { lang: Lang::Ru, item, now, top: 0.0, selected: false, on_select: |_| {} } }
        });
        for text in [
            "Не работает кондиционер в офисе",
            "Офис 305",
            "Ольга Смирнова",
            "Просрочено",
            "Срок 01.12.2026 12:00",
        ] {
            assert!(html.contains(text), "«{text}» missing: {html}");
        }
        assert!(html.contains("row-overdue"), "{html}");
    }

    #[test]
    fn a_pending_booking_move_is_marked_on_the_row() {
        let html = fixtures::render(|| {
            let mut item = fixtures::orders(3).remove(2);
            let item = ListItem {
                summary: {
                    item.status = orderdesk_domain::Status::New;
                    item
                },
                pending: true,
                pending_actions: vec!["edit_booking".into()],
            };
            rsx! { row::OrderRow { lang: Lang::En, item, now: DateTime::default(), top: 0.0, selected: false, on_select: |_| {} } }
        });
        assert!(html.contains("row-booked pending-value"), "{html}");
        assert!(
            html.contains("title=\"Pending\"") || html.contains("⟳"),
            "{html}"
        );
    }

    #[test]
    fn quick_filters_sort_and_the_role_s_statuses_are_offered() {
        let html = fixtures::render(|| {
            rsx! {
                OrderList { lang: Lang::Ru, role: Role::ShopManager, now: DateTime::default(),
                    rows: Rc::new(window_of(10, 0)),
                    filter: OrderFilter { quick: Some(crate::model::QuickFilter::Mine), ..OrderFilter::default() },
                    selected: None, on_filter: |_| {}, on_select: |_| {}, on_scroll: |_| {} }
            }
        });
        for text in [
            "Мои",
            "Без исполнителя",
            "Просрочено",
            "Сначала новые",
            "Ближайший срок",
        ] {
            assert!(html.contains(text), "«{text}» missing: {html}");
        }
        assert_eq!(html.matches("aria-pressed=true").count(), 1, "{html}");
        assert!(
            html.contains("id=\"quick-mine\" class=\"quick-chip quick-chip-on\""),
            "{html}"
        );
        // The shop manager's statuses only: no request statuses.
        let request_only = orderdesk_domain::Status::AwaitingConfirmation.label(Lang::Ru);
        assert!(!html.contains(request_only), "{html}");
        assert_eq!(
            toolbar::offered_statuses(Role::ShopManager, None),
            orderdesk_domain::statuses_for(Role::ShopManager)
        );
    }
}
