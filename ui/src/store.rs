//! The workspace store: everything the screen of a signed-in manager holds —
//! the list's filter and scroll position, the open order, the booking
//! editor, the sync state, notices, the last error — in one `Copy` value
//! shared through context.
//!
//! The signed-in screen creates it with [`use_workspace_provider`]; the
//! components below read it with [`use_workspace`] and change it through its
//! actions instead of passing signals down. The actions are the workspace's
//! only IO: they call [`crate::api`] and report a failure in the toast.

use crate::api::{
    self, ApiResult, AssigneeRequest, BookingEditRequest, CancelRequest, CollectLineRequest,
    DeadlinesRequest, PaymentRequest, PostMessageRequest, StatusRequest,
};
use crate::components::{fetch_start, OrderAction, FETCH_ROWS};
use crate::i18n::Lang;
use crate::model::{
    Availability, ListWindow, Notice, OrderCard, OrderFilter, PayerInfo, ResourceInfo, Session,
    SyncState,
};
use chrono::NaiveDate;
use dioxus::core::{current_scope_id, Runtime};
use dioxus::prelude::*;
use orderdesk_domain::{OrderNumber, ResourceId};
use std::future::Future;
use std::rc::Rc;

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
    pub sync: Signal<SyncState>,
    /// The newest first.
    pub notices: Signal<Vec<Notice>>,
    /// The last failure, shown until clicked away.
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
        sync: Signal::new(SyncState::default()),
        notices: Signal::new(Vec::new()),
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

impl Workspace {
    /// Runs `task` as the signed-in screen's own.
    fn spawn(self, task: impl Future<Output = ()> + 'static) {
        Runtime::current().spawn(self.scope, task);
    }

    /// Something may have changed: the list and the open order load again.
    fn refresh(mut self) {
        self.revision += 1;
    }

    /// Shows what went wrong, and loads again either way.
    fn report(mut self, result: ApiResult<()>) {
        if let Err(error) = result {
            self.toast.set(Some(error.message));
        }
        self.refresh();
    }

    fn keep_rows_found(mut self) {
        if let Some(Ok(rows)) = &*self.orders.read() {
            self.shown.set(Some(rows.clone()));
        }
    }

    /// The editor opens on the booking's own day and object.
    fn open_editor_on_own_day(self) {
        if !(self.editing_booking)() {
            return;
        }
        let booking = match &*self.card.peek() {
            Some(Ok(Some(card))) => card.detail.booking.clone(),
            _ => None,
        };
        if let Some(booking) = booking {
            self.load_day(booking.resource.id, booking.date);
        }
    }

    pub fn set_lang(self, next: Lang) {
        choose_lang(self.lang, next);
    }

    /// Signs out; with actions not yet sent the core refuses unless
    /// `discard_unsent`, and [`Workspace::unsent`] asks the manager.
    pub fn sign_out(mut self, discard_unsent: bool) {
        self.unsent.set(None);
        let mut workspace = self;
        self.spawn(async move {
            match api::log_out(discard_unsent).await {
                Err(error) if error.code == api::ErrorCode::UnsentActions => {
                    workspace.unsent.set(Some(error.message));
                }
                _ => workspace.on_signed_out.call(()),
            }
        });
    }

    /// Keeps the actions not yet sent: the question goes away.
    pub fn keep_unsent(mut self) {
        self.unsent.set(None);
    }

    pub fn set_filter(mut self, next: OrderFilter) {
        self.filter.set(next);
        self.first_row.set(0);
        document::eval(
            "const list = document.getElementById('order-list'); if (list) list.scrollTop = 0;",
        );
    }

    /// The manager scrolled the list to `row`.
    pub fn scroll_to(mut self, row: usize) {
        self.first_row.set(row);
    }

    pub fn open_order(mut self, number: OrderNumber) {
        self.editing_booking.set(false);
        self.selected.set(Some(number));
    }

    /// A notice the core sent: shown once, and the list loads again.
    pub fn add_notice(mut self, fresh: Notice) {
        let mut all = self.notices.write();
        if all.iter().all(|n| n.key != fresh.key) {
            all.insert(0, fresh);
        }
        drop(all);
        self.refresh();
    }

    pub fn dismiss_notice(mut self, key: &str) {
        self.notices.write().retain(|x| x.key != key);
    }

    /// Opens the order a notice is about, and drops the notice.
    pub fn open_notice(self, key: &str, order: OrderNumber) {
        self.dismiss_notice(key);
        self.open_order(order);
    }

    pub fn dismiss_toast(mut self) {
        self.toast.set(None);
    }

    /// Does what the manager asked for on the open order.
    pub fn act(self, action: OrderAction) {
        let Some(number) = (self.selected)() else {
            return;
        };
        let mut workspace = self;
        self.spawn(async move {
            let result = match action {
                OrderAction::Back => {
                    workspace.selected.set(None);
                    Ok(())
                }
                OrderAction::EditBooking => {
                    workspace.editing_booking.set(true);
                    Ok(())
                }
                action => send(number, action).await,
            };
            workspace.report(result);
        });
    }

    /// Asks for the free slots of an object on a day, for the booking editor.
    pub fn load_day(mut self, resource: ResourceId, date: NaiveDate) {
        let Some(number) = (self.selected)() else {
            return;
        };
        self.availability.set(None);
        let mut workspace = self;
        self.spawn(async move {
            match api::get_availability(resource, date, number).await {
                Ok(free) => workspace.availability.set(Some(free)),
                Err(error) => workspace.toast.set(Some(error.message)),
            }
        });
    }

    pub fn save_booking(self, request: BookingEditRequest) {
        let Some(number) = (self.selected)() else {
            return;
        };
        let mut workspace = self;
        self.spawn(async move {
            let result = api::edit_booking(number, &request).await;
            if result.is_ok() {
                workspace.editing_booking.set(false);
            }
            workspace.report(result);
        });
    }

    pub fn close_booking_editor(mut self) {
        self.editing_booking.set(false);
    }
}

/// Sends an order action to the core.
async fn send(number: OrderNumber, action: OrderAction) -> ApiResult<()> {
    let version = None;
    match action {
        // What only changes the screen never reaches the core.
        OrderAction::Back | OrderAction::EditBooking => Ok(()),
        OrderAction::AssignExecutor(user_id) => {
            api::assign_executor(number, &AssigneeRequest { user_id, version }).await
        }
        OrderAction::ChangeStatus(status) => {
            api::change_status(number, &StatusRequest { status, version }).await
        }
        OrderAction::ChangeDeadlines {
            first_response_due,
            completion_due,
        } => {
            let request = DeadlinesRequest {
                first_response_due,
                completion_due,
                version,
            };
            api::change_deadlines(number, &request).await
        }
        OrderAction::CopyPaymentLink(link) => api::copy_text(&link).await,
        OrderAction::RecordPayment(amount) => {
            api::record_payment(number, &PaymentRequest { amount, version }).await
        }
        OrderAction::Cancel => api::cancel_order(number, &CancelRequest { version }).await,
        OrderAction::SendMessage(text, visibility) => {
            api::send_message(number, &PostMessageRequest { text, visibility }).await
        }
        OrderAction::CollectLine(line, outcome) => {
            let request = CollectLineRequest { outcome, version };
            api::collect_line(number, line, &request).await
        }
        OrderAction::DismissConflict(id) => api::dismiss_conflict(id).await,
    }
}
