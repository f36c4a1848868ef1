//! What the workspace does when asked: each action changes the store and,
//! where the app must know, calls [`crate::api`] in a task of the signed-in
//! screen; a failure shows in the toast and everything loads again.

use super::{choose_lang, Workspace};
use crate::api::{self, ApiResult, BookingChange};
use crate::components::OrderAction;
use crate::i18n::Lang;
use crate::model::OrderFilter;
use chrono::NaiveDate;
use dioxus::core::Runtime;
use dioxus::prelude::*;
use orderdesk_domain::{OrderNumber, ResourceId};
use std::future::Future;

impl Workspace {
    /// Runs `task` as the signed-in screen's own.
    pub(super) fn spawn(self, task: impl Future<Output = ()> + 'static) {
        Runtime::current().spawn(self.scope, task);
    }

    /// Something may have changed: the list and the open order load again.
    pub(super) fn refresh(mut self) {
        self.revision += 1;
    }

    /// Shows what went wrong, and loads again either way.
    fn report(self, result: ApiResult<()>) {
        if let Err(error) = result {
            self.show_toast(error.message);
        }
        self.refresh();
    }

    /// The list shows the newest rows found; while the next are looked up
    /// (or fail to come) it keeps the last.
    pub(super) fn keep_rows_found(mut self) {
        if let Some(Ok(rows)) = &*self.orders.read() {
            self.shown.set(Some(rows.clone()));
        }
    }

    /// The editor opens on the booking's own day and object.
    pub(super) fn open_editor_on_own_day(self) {
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
        api::scroll_to_top("order-list");
    }

    /// Pull to refresh: one sync round now; a failure is told, and the list
    /// loads again either way.
    pub fn refresh_now(mut self) {
        if (self.refreshing)() {
            return;
        }
        self.refreshing.set(true);
        let mut workspace = self;
        self.spawn(async move {
            let result = api::sync_now().await;
            workspace.refreshing.set(false);
            workspace.report(result);
        });
    }

    /// The manager scrolled the list to `row`.
    pub fn scroll_to(mut self, row: usize) {
        self.first_row.set(row);
    }

    pub fn open_order(mut self, number: OrderNumber) {
        self.editing_booking.set(false);
        self.selected.set(Some(number));
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
                Err(error) => workspace.show_toast(error.message),
            }
        });
    }

    pub fn save_booking(self, change: BookingChange) {
        let Some(number) = (self.selected)() else {
            return;
        };
        let mut workspace = self;
        self.spawn(async move {
            let result = api::edit_booking(number, change).await;
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
    match action {
        // What only changes the screen never reaches the core.
        OrderAction::Back | OrderAction::EditBooking => Ok(()),
        OrderAction::AssignExecutor(executor) => api::assign_executor(number, executor).await,
        OrderAction::ChangeStatus(status) => api::change_status(number, status).await,
        OrderAction::ChangeDeadlines {
            first_response_due,
            completion_due,
        } => api::change_deadlines(number, first_response_due, completion_due).await,
        OrderAction::CopyPaymentLink(link) => api::copy_text(&link).await,
        OrderAction::RecordPayment(amount) => api::record_payment(number, amount).await,
        OrderAction::Cancel => api::cancel_order(number).await,
        OrderAction::SendMessage(text, visibility) => {
            api::send_message(number, text, visibility).await
        }
        OrderAction::CollectLine(line, outcome) => api::collect_line(number, line, outcome).await,
        OrderAction::UndoCollection(line) => api::undo_collection(number, line).await,
        OrderAction::TakeInWork => api::take_in_work(number).await,
        OrderAction::DismissConflict(id) => api::dismiss_conflict(id).await,
    }
}
