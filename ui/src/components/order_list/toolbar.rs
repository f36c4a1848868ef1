//! Above the list: search, the quick filters «Мои», «Без исполнителя»,
//! «Просрочено», the status filter with the statuses of the kinds the role
//! processes, the kind filter, the sort, and how many were found.

use crate::i18n::{t, Lang, Text};
use crate::model::{ListSort, ListWindow, OrderFilter, QuickFilter};
use dioxus::prelude::*;
use orderdesk_domain::{statuses_for, OrderKind, Role, Status};
use std::rc::Rc;

fn quick_label(quick: QuickFilter) -> Text {
    match quick {
        QuickFilter::Mine => Text::QuickMine,
        QuickFilter::Unassigned => Text::QuickUnassigned,
        QuickFilter::Overdue => Text::QuickOverdue,
    }
}

fn quick_id(quick: QuickFilter) -> &'static str {
    match quick {
        QuickFilter::Mine => "mine",
        QuickFilter::Unassigned => "unassigned",
        QuickFilter::Overdue => "overdue",
    }
}

/// The statuses the status filter offers: those of the kinds `role`
/// processes (the domain's rule), narrowed to the chosen kind.
pub fn offered_statuses(role: Role, kind: Option<OrderKind>) -> Vec<Status> {
    statuses_for(role)
        .into_iter()
        .filter(|s| kind.is_none_or(|k| s.applies_to(k)))
        .collect()
}

#[component]
pub fn ListToolbar(
    lang: Lang,
    role: Role,
    rows: Rc<ListWindow>,
    filter: OrderFilter,
    on_filter: EventHandler<OrderFilter>,
) -> Element {
    let statuses: Vec<(Status, u64)> = offered_statuses(role, filter.kind)
        .into_iter()
        .map(|s| (s, rows.count(s)))
        .collect();
    let found = rows.page.total;
    let current = filter.clone();
    let change = move |edit: fn(&mut OrderFilter, String)| {
        let base = current.clone();
        move |e: FormEvent| {
            let mut next = base.clone();
            edit(&mut next, e.value());
            on_filter.call(next);
        }
    };
    rsx! {
        div { class: "toolbar",
            div { class: "search",
                span { class: "search-icon", aria_hidden: "true", "⌕" }
                input {
                    id: "order-search",
                    r#type: "search",
                    aria_label: t(lang, Text::SearchLabel),
                    placeholder: t(lang, Text::Search),
                    value: "{filter.query}",
                    oninput: change(|f, v| f.query = v),
                }
            }
            QuickChips { lang, filter: filter.clone(), on_filter }
            div { class: "filters",
                select { id: "filter-status", class: "select", aria_label: t(lang, Text::StatusFilterLabel),
                    onchange: change(|f, v| f.status = Status::parse(&v)),
                    option { value: "", selected: filter.status.is_none(), {t(lang, Text::AllStatuses)} }
                    for (status, count) in statuses {
                        option { value: status.id(), selected: filter.status == Some(status),
                            "{status.label(lang)} ({count})" }
                    }
                }
                select { id: "filter-kind", class: "select", aria_label: t(lang, Text::KindFilterLabel),
                    onchange: change(|f, v| f.kind = OrderKind::parse(&v)),
                    option { value: "", selected: filter.kind.is_none(), {t(lang, Text::AllKinds)} }
                    for kind in OrderKind::ALL.into_iter().filter(|k| !role.is_manager() || role.covers(*k)) {
                        option { value: kind.id(), selected: filter.kind == Some(kind), {kind.label(lang)} }
                    }
                }
            }
            div { class: "list-foot",
                div { class: "count", id: "order-count", "{t(lang, Text::Found)}: {found}" }
                select { id: "list-sort", class: "select select-small", aria_label: t(lang, Text::SortLabel),
                    onchange: change(|f, v| f.sort = if v == "due_soonest" { ListSort::DueSoonest } else { ListSort::Newest }),
                    option { value: "newest", selected: filter.sort == ListSort::Newest, {t(lang, Text::SortNewest)} }
                    option { value: "due_soonest", selected: filter.sort == ListSort::DueSoonest, {t(lang, Text::SortDueSoonest)} }
                }
            }
        }
    }
}

/// «Мои», «Без исполнителя», «Просрочено»: one at a time, a second tap
/// turns it off.
#[component]
fn QuickChips(lang: Lang, filter: OrderFilter, on_filter: EventHandler<OrderFilter>) -> Element {
    rsx! {
        div { class: "quick", role: "group", aria_label: t(lang, Text::QuickFilters),
            for quick in QuickFilter::ALL {
                button {
                    r#type: "button",
                    id: "quick-{quick_id(quick)}",
                    class: if filter.quick == Some(quick) { "quick-chip quick-chip-on" } else { "quick-chip" },
                    aria_pressed: filter.quick == Some(quick),
                    onclick: {
                        let filter = filter.clone();
                        move |_| {
                            let mut next = filter.clone();
                            next.quick = if filter.quick == Some(quick) { None } else { Some(quick) };
                            on_filter.call(next);
                        }
                    },
                    {t(lang, quick_label(quick))}
                }
            }
        }
    }
}
