//! One argument struct per command of the app. The UI sends it under the
//! key [`ARGS`]; the app's command of the same name takes it as its `args`
//! parameter and answers with [`Command::Output`] or an
//! [`AppError`](crate::AppError).
//!
//! The actions carry no base `version`: the core bases each one on the
//! order it has cached and queues it with that version.

use chrono::{DateTime, FixedOffset, NaiveDate};
use orderdesk_domain::{
    Lang, LineNo, LineOutcome, Money, OrderNumber, ResourceId, Status, UserId, Visibility,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::admin::{
    AdminData, BlockUser, CreateObject, CreateProduct, CreateService, CreateUser, GetAdmin,
    ResetPassword, UnblockUser, UpdateObject, UpdateProduct, UpdateService, UpdateUser,
};
use super::values::{
    BookingChange, ConflictId, Defaults, ListFilter, ListPage, Notification, OrderCard, Session,
    SyncStatus,
};
use crate::{
    AdminObject, AdminProduct, AdminService, AdminUser, Availability, PayerInfo, PushPublicKey,
    PushSubscription, ResourceInfo,
};

/// The name of the one parameter every command takes.
pub const ARGS: &str = "args";

/// A command of the app: its name (`verb_noun`, as the shell's function is
/// called) and what it answers.
pub trait Command: Serialize + DeserializeOwned {
    const NAME: &'static str;
    type Output: Serialize + DeserializeOwned;
}

macro_rules! commands {
    ($($args:ident = $name:literal -> $output:ty;)*) => {
        $(impl Command for $args {
            const NAME: &'static str = $name;
            type Output = $output;
        })*
        /// Every command's name, for the shell's checks.
        pub const COMMANDS: &[&str] = &[$($name),*];
    };
}

commands! {
    LogIn = "log_in" -> Session;
    LogOut = "log_out" -> ();
    GetSession = "get_session" -> Option<Session>;
    GetDefaults = "get_defaults" -> Defaults;
    GetSyncStatus = "get_sync_status" -> SyncStatus;
    DismissConflict = "dismiss_conflict" -> ();
    ListOrders = "list_orders" -> ListPage;
    GetOrder = "get_order" -> OrderCard;
    AssignExecutor = "assign_executor" -> OrderCard;
    ChangeStatus = "change_status" -> OrderCard;
    ChangeDeadlines = "change_deadlines" -> OrderCard;
    RecordPayment = "record_payment" -> OrderCard;
    CancelOrder = "cancel_order" -> OrderCard;
    EditBooking = "edit_booking" -> OrderCard;
    CollectLine = "collect_line" -> OrderCard;
    SendMessage = "send_message" -> OrderCard;
    ListResources = "list_resources" -> Vec<ResourceInfo>;
    GetAvailability = "get_availability" -> Availability;
    ListPayers = "list_payers" -> Vec<PayerInfo>;
    ListNotifications = "list_notifications" -> Vec<Notification>;
    TakeInWork = "take_in_work" -> OrderCard;
    UndoCollection = "undo_collection" -> OrderCard;
    SyncNow = "sync_now" -> ();
    CountUnreadNotifications = "count_unread_notifications" -> u32;
    MarkNotificationsRead = "mark_notifications_read" -> ();
    SetLanguage = "set_language" -> ();
    GetPushKey = "get_push_key" -> PushPublicKey;
    SubscribePush = "subscribe_push" -> ();
    UnsubscribePush = "unsubscribe_push" -> ();
    GetAdmin = "get_admin" -> AdminData;
    CreateUser = "create_user" -> AdminUser;
    UpdateUser = "update_user" -> AdminUser;
    BlockUser = "block_user" -> AdminUser;
    UnblockUser = "unblock_user" -> AdminUser;
    ResetPassword = "reset_password" -> AdminUser;
    CreateService = "create_service" -> AdminService;
    UpdateService = "update_service" -> AdminService;
    CreateObject = "create_object" -> AdminObject;
    UpdateObject = "update_object" -> AdminObject;
    CreateProduct = "create_product" -> AdminProduct;
    UpdateProduct = "update_product" -> AdminProduct;
}

/// Signs in at `server_url` and keeps the token in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogIn {
    pub server_url: String,
    pub login: String,
    pub password: String,
}

/// Signs out; with actions not yet sent it refuses with `unsent_actions`
/// unless `discard_unsent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogOut {
    pub discard_unsent: bool,
}

/// The signed-in user, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GetSession {}

/// What the login screen offers before anyone signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GetDefaults {}

/// Where sync stands now; later changes come as the sync-status event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GetSyncStatus {}

/// Hides a refused action's message the manager has read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DismissConflict {
    pub id: ConflictId,
}

/// A page of the cached list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListOrders {
    pub filter: ListFilter,
}

/// The order card from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetOrder {
    pub number: OrderNumber,
}

/// «Изменить исполнителя»; `None` is «Не назначено».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignExecutor {
    pub number: OrderNumber,
    pub executor: Option<UserId>,
}

/// «Изменить статус».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeStatus {
    pub number: OrderNumber,
    pub status: Status,
}

/// «Изменить время»: first response and completion due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDeadlines {
    pub number: OrderNumber,
    pub first_response_due: Option<DateTime<FixedOffset>>,
    pub completion_due: Option<DateTime<FixedOffset>>,
}

/// «Провести оплату» on a partly paid order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordPayment {
    pub number: OrderNumber,
    pub amount: Money,
}

/// «Отменить заказ» → «Да».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelOrder {
    pub number: OrderNumber,
}

/// «Изменить заказ» of a meeting-room booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditBooking {
    pub number: OrderNumber,
    pub change: BookingChange,
}

/// Shop collection of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectLine {
    pub number: OrderNumber,
    pub line: LineNo,
    pub outcome: LineOutcome,
}

/// «Написать сообщение...» in the public or internal tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendMessage {
    pub number: OrderNumber,
    pub text: String,
    pub visibility: Visibility,
}

/// The objects a booking may move to: those of its own service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListResources {
    pub number: OrderNumber,
}

/// Free slots of an object on a day, asked of the server; the slots of
/// `order` count as free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetAvailability {
    pub resource_id: ResourceId,
    pub date: NaiveDate,
    pub order: Option<OrderNumber>,
}

/// Company accounts that may pay, for «Плательщик».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListPayers {}

/// «Взять в работу»: the user becomes the executor and a new request goes
/// to «В работе».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeInWork {
    pub number: OrderNumber,
}

/// Takes back a shop line's collection mark while «Собирается».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoCollection {
    pub number: OrderNumber,
    pub line: LineNo,
}

/// The notification history, newest first: what the core raised for the
/// signed-in user, kept across restarts, with what was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListNotifications {}

/// Unread notifications, for the bell's count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CountUnreadNotifications {}

/// Marks one notification read by its key, or all of them when `key` is
/// `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MarkNotificationsRead {
    pub key: Option<String>,
}

/// The language the core speaks from now on: `Accept-Language` on every
/// call to the server, notification titles and bodies, its own messages.
/// The UI sends it at start and on every switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SetLanguage {
    pub lang: Lang,
}

/// Sends what waits and fetches what changed now, as pull to refresh asks;
/// fails when the server cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncNow {}

/// The server's Web Push public key, for the browser to subscribe with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GetPushKey {}

/// The browser's push subscription, kept by the server for this session:
/// new and returned orders then reach the manager with the app closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscribePush {
    pub subscription: PushSubscription,
}

/// Forgets the browser's push subscription on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribePush {
    pub endpoint: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn command_names_are_verb_noun_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for name in COMMANDS {
            assert!(seen.insert(name), "{name} twice");
            let (verb, noun) = name.split_once('_').expect(name);
            assert!(!verb.is_empty() && !noun.is_empty(), "{name}");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
        assert_eq!(COMMANDS.len(), 41);
    }

    #[test]
    fn arguments_cross_as_plain_json() {
        let args = DismissConflict { id: ConflictId(7) };
        assert_eq!(serde_json::to_value(args).expect("json"), json!({"id": 7}));
        let args = CollectLine {
            number: OrderNumber(1042),
            line: LineNo(2),
            outcome: LineOutcome::Missing { quantity: 1 },
        };
        let value = serde_json::to_value(args).expect("json");
        assert_eq!(
            value,
            json!({"number": 1042, "line": 2, "outcome": {"outcome": "missing", "quantity": 1}})
        );
        let back: CollectLine = serde_json::from_value(value).expect("read");
        assert_eq!(back, args);
        assert_eq!(
            serde_json::to_value(GetSession {}).expect("json"),
            json!({})
        );
    }
}
