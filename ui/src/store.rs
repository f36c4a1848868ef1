//! The workspace store: everything the screen of a signed-in manager holds —
//! the list's filter and scroll position, the open order, the booking
//! editor, the sync state, notices, the last error — in one `Copy` value
//! shared through context.
//!
//! The signed-in screen creates it with [`use_workspace_provider`]; the
//! components below read it with [`use_workspace`] and change it through its
//! actions (in `actions`) instead of passing signals down. The actions are
//! the workspace's only IO: they call [`crate::api`] and report a failure in
//! the toast.

mod actions;
mod notices;

use crate::api::{self, ApiResult};
use crate::components::{fetch_start, FETCH_ROWS};
use crate::i18n::Lang;
use crate::model::{
    Availability, ListWindow, Notification, OrderCard, OrderFilter, PayerInfo, ResourceInfo,
    Session, SyncStatus,
};
use crate::sync_status::use_sync_status;
use dioxus::core::current_scope_id;
use dioxus::prelude::*;
use orderdesk_domain::OrderNumber;
use std::collections::HashSet;
use std::rc::Rc;

/// How long a toast stays on screen.
pub const TOAST_MS: u32 = 8_000;
/// At most this many notices show as toasts at once; the bell keeps them all.
pub const MAX_TOASTS: usize = 2;

/// The state of a signed-in session, shared by every component under it.
#[derive(Clone, Copy)]
pub struct Workspace {
    /// The app's language: the root owns it, the settings change it.
    pub lang: Signal<Lang>,
    /// Who is signed in, and to which server.
    pub session: Signal<Session>,
    /// Bumped after every change, so the list and the open order load again.
    pub revision: Signal<u32>,
    pub filter: Signal<OrderFilter>,
    /// The first row on screen; the rows asked for move with it in blocks.
    pub first_row: Signal<usize>,
    /// The rows the list asked for, as the cache found them.
    pub orders: Resource<ApiResult<Rc<ListWindow>>>,
    /// What the list shows: the last rows found, kept while the next are
    /// looked up, so scrolling and typing never blank the list.
    pub shown: Signal<Option<Rc<ListWindow>>>,
    pub selected: Signal<Option<OrderNumber>>,
    /// The open order, reloaded with every revision.
    pub card: Resource<ApiResult<Option<OrderCard>>>,
    /// «Изменить заказ» is open instead of the order card.
    pub editing_booking: Signal<bool>,
    /// Objects the booking may move to.
    pub resources: Choices<ResourceInfo>,
    /// Company payers.
    pub payers: Choices<PayerInfo>,
    /// Free slots of the day the booking editor shows; `None` while loading.
    pub availability: Signal<Option<Availability>>,
    pub sync: Signal<SyncStatus>,
    /// Every notice the core raised, the newest first: the bell's history.
    pub notices: Signal<Vec<Notification>>,
    /// The keys of the notices read, by opening them or all at once.
    pub read: Signal<HashSet<String>>,
    /// The keys of the notices shown as toasts, the newest first; each goes
    /// by itself after [`TOAST_MS`].
    pub toasts: Signal<Vec<String>>,
    /// A sync asked for by pulling the list down is under way.
    pub refreshing: Signal<bool>,
    /// The bell's history is open.
    pub history_open: Signal<bool>,
    /// The last failure, shown for [`TOAST_MS`] or until clicked away.
    pub toast: Signal<Option<String>>,
    /// Set when signing out would lose actions not yet sent: what the core
    /// said, shown in a dialog that asks before discarding them.
    pub unsent: Signal<Option<String>>,
    on_signed_out: EventHandler<()>,
    /// The signed-in screen: tasks started by actions belong to it, so they
    /// finish even when the component that asked goes away.
    scope: ScopeId,
}

/// The workspace of the signed-in screen above.
pub fn use_workspace() -> Workspace {
    use_context::<Workspace>()
}

/// Creates the workspace of a signed-in session and shares it with the
/// components below. `on_signed_out` runs once the core has signed out.
pub fn use_workspace_provider(
    lang: Signal<Lang>,
    session: Session,
    on_signed_out: EventHandler<()>,
) -> Workspace {
    let session = use_signal(|| session);
    let revision = use_signal(|| 0_u32);
    let mut reread = revision;
    let sync = use_sync_status(move || reread += 1);
    let filter = use_signal(OrderFilter::default);
    let first_row = use_signal(|| 0_usize);
    let selected = use_signal(|| None::<OrderNumber>);
    let editing_booking = use_signal(|| false);
    let orders = use_order_rows(revision, filter, first_row);
    let card = use_resource(move || async move {
        revision();
        match selected() {
            Some(number) => api::get_order(number).await.map(Some),
            None => Ok(None),
        }
    });
    let (resources, payers) = use_booking_choices(editing_booking, selected);
    let workspace = use_context_provider(|| Workspace {
        lang,
        session,
        revision,
        filter,
        first_row,
        orders,
        shown: Signal::new(None),
        selected,
        card,
        editing_booking,
        resources,
        payers,
        availability: Signal::new(None),
        sync,
        notices: Signal::new(Vec::new()),
        read: Signal::new(HashSet::new()),
        toasts: Signal::new(Vec::new()),
        history_open: Signal::new(false),
        refreshing: Signal::new(false),
        toast: Signal::new(None),
        unsent: Signal::new(None),
        on_signed_out,
        scope: current_scope_id(),
    });
    use_effect(move || workspace.keep_rows_found());
    use_effect(move || workspace.open_editor_on_own_day());
    workspace
}

/// The stretch of the list around the rows on screen.
fn use_order_rows(
    revision: Signal<u32>,
    filter: Signal<OrderFilter>,
    first_row: Signal<usize>,
) -> Resource<ApiResult<Rc<ListWindow>>> {
    let fetch_from = use_memo(move || fetch_start(first_row()));
    use_resource(move || async move {
        revision();
        let filter = filter();
        let offset = fetch_from();
        api::list_orders(&filter, offset, FETCH_ROWS)
            .await
            .map(|page| Rc::new(ListWindow { offset, page }))
    })
}

/// A list the booking editor offers, asked for only while it is open.
type Choices<T> = Resource<ApiResult<Vec<T>>>;

/// The objects and the payers the booking editor offers.
fn use_booking_choices(
    editing_booking: Signal<bool>,
    selected: Signal<Option<OrderNumber>>,
) -> (Choices<ResourceInfo>, Choices<PayerInfo>) {
    let resources = use_resource(move || async move {
        match (editing_booking(), selected()) {
            (true, Some(number)) => api::list_resources(number).await,
            _ => Ok(Vec::new()),
        }
    });
    let payers = use_resource(move || async move {
        match editing_booking() {
            true => api::list_payers().await,
            false => Ok(Vec::new()),
        }
    });
    (resources, payers)
}

/// Sets the language and remembers it on this device.
pub fn choose_lang(mut lang: Signal<Lang>, next: Lang) {
    lang.set(next);
    api::save_lang(next);
}
