//! The app's commands, answered by the core: one function per command of
//! the IPC contract (`orderdesk_protocol::ipc`), named as the command, that
//! takes its argument struct and returns its answer or the [`AppError`] the
//! UI shows, in the language the UI set.
//!
//! Every shell answers through these: the desktop and mobile app registers
//! each as its Tauri command of the same name; the browser worker, which
//! has no Tauri, hands each message of the page to [`answer`], which finds
//! the command by name and its arguments in JSON.

use orderdesk_protocol::ipc::{
    self, AdminData, Command, Defaults, ListPage, Notification, OrderCard, Session, SyncStatus,
};
use orderdesk_protocol::{
    AdminObject, AdminProduct, AdminService, AdminUser, AppError, Availability, ErrorCode,
    PayerInfo, PushPublicKey, ResourceInfo,
};

use crate::error::CoreError;
use crate::Client;

type Answer<T> = Result<T, AppError>;

/// Signs in and starts syncing.
pub async fn log_in(client: &Client, args: ipc::LogIn) -> Answer<Session> {
    let session = client
        .login(&args.server_url, &args.login, &args.password)
        .await
        .map_err(|e| client.login_error(e))?;
    client.start_sync();
    Ok(session)
}

/// Refuses while actions wait to be sent unless `discard_unsent`.
pub async fn log_out(client: &Client, args: ipc::LogOut) -> Answer<()> {
    let done = client.logout(args.discard_unsent).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn get_session(client: &Client, _: ipc::GetSession) -> Answer<Option<Session>> {
    Ok(client.session())
}

/// What the login screen starts with: `server_url` is the shell's
/// suggestion (a setting of the app, the page's own origin in a browser).
pub async fn get_defaults(
    client: &Client,
    _: ipc::GetDefaults,
    server_url: Option<String>,
) -> Answer<Defaults> {
    let session_error = match client.status() {
        Ok(status) if !status.signed_in => status.last_error,
        _ => None,
    };
    Ok(Defaults {
        server_url,
        session_error,
    })
}

/// The status now; every later change comes as the sync-status event.
pub async fn get_sync_status(client: &Client, _: ipc::GetSyncStatus) -> Answer<SyncStatus> {
    client.status().map_err(|e| client.app_error(e))
}

pub async fn dismiss_conflict(client: &Client, args: ipc::DismissConflict) -> Answer<()> {
    let done = client.dismiss_conflict(args.id);
    done.map_err(|e| client.app_error(e))
}

pub async fn list_orders(client: &Client, args: ipc::ListOrders) -> Answer<ListPage> {
    client.list(&args.filter).map_err(|e| client.app_error(e))
}

pub async fn get_order(client: &Client, args: ipc::GetOrder) -> Answer<OrderCard> {
    client.order(args.number).map_err(|e| client.app_error(e))
}

pub async fn assign_executor(client: &Client, args: ipc::AssignExecutor) -> Answer<OrderCard> {
    let done = client.assign_executor(args.number, args.executor).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn change_status(client: &Client, args: ipc::ChangeStatus) -> Answer<OrderCard> {
    let done = client.set_status(args.number, args.status).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn change_deadlines(client: &Client, args: ipc::ChangeDeadlines) -> Answer<OrderCard> {
    let (first, completion) = (args.first_response_due, args.completion_due);
    let done = client.set_deadlines(args.number, first, completion).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn record_payment(client: &Client, args: ipc::RecordPayment) -> Answer<OrderCard> {
    let done = client.record_payment(args.number, args.amount).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn cancel_order(client: &Client, args: ipc::CancelOrder) -> Answer<OrderCard> {
    let done = client.cancel(args.number).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn edit_booking(client: &Client, args: ipc::EditBooking) -> Answer<OrderCard> {
    let done = client.edit_booking(args.number, args.change).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn collect_line(client: &Client, args: ipc::CollectLine) -> Answer<OrderCard> {
    let done = client
        .collect_line(args.number, args.line, args.outcome)
        .await;
    done.map_err(|e| client.app_error(e))
}

pub async fn take_in_work(client: &Client, args: ipc::TakeInWork) -> Answer<OrderCard> {
    let done = client.take_in_work(args.number).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn undo_collection(client: &Client, args: ipc::UndoCollection) -> Answer<OrderCard> {
    let done = client.undo_collection(args.number, args.line).await;
    done.map_err(|e| client.app_error(e))
}

pub async fn send_message(client: &Client, args: ipc::SendMessage) -> Answer<OrderCard> {
    let done = client
        .post_message(args.number, &args.text, args.visibility)
        .await;
    done.map_err(|e| client.app_error(e))
}

pub async fn list_resources(
    client: &Client,
    args: ipc::ListResources,
) -> Answer<Vec<ResourceInfo>> {
    let found = client.order_resources(args.number);
    found.map_err(|e| client.app_error(e))
}

pub async fn get_availability(client: &Client, args: ipc::GetAvailability) -> Answer<Availability> {
    let found = client
        .availability(args.resource_id, args.date, args.order)
        .await;
    found.map_err(|e| client.app_error(e))
}

pub async fn list_payers(client: &Client, _: ipc::ListPayers) -> Answer<Vec<PayerInfo>> {
    client.company_payers().map_err(|e| client.app_error(e))
}

/// The history, newest first; a UI that starts listening catches up here.
pub async fn list_notifications(
    client: &Client,
    _: ipc::ListNotifications,
) -> Answer<Vec<Notification>> {
    client.notifications().map_err(|e| client.app_error(e))
}

pub async fn count_unread_notifications(
    client: &Client,
    _: ipc::CountUnreadNotifications,
) -> Answer<u32> {
    let count = client.unread_notifications();
    count.map_err(|e| client.app_error(e))
}

pub async fn mark_notifications_read(
    client: &Client,
    args: ipc::MarkNotificationsRead,
) -> Answer<()> {
    let done = client.mark_notifications_read(args.key.as_deref());
    done.map_err(|e| client.app_error(e))
}

/// Called by the UI at start and on every switch of language.
pub async fn set_language(client: &Client, args: ipc::SetLanguage) -> Answer<()> {
    let done = client.set_language(args.lang);
    done.map_err(|e| client.app_error(e))
}

pub async fn get_push_key(client: &Client, _: ipc::GetPushKey) -> Answer<PushPublicKey> {
    let key = client.push_key().await;
    key.map_err(|e| client.app_error(e))
}

pub async fn subscribe_push(client: &Client, args: ipc::SubscribePush) -> Answer<()> {
    let done = client.subscribe_push(&args.subscription).await;
    done.map_err(CoreError::into_admin_error)
}

pub async fn unsubscribe_push(client: &Client, args: ipc::UnsubscribePush) -> Answer<()> {
    let done = client.unsubscribe_push(&args.endpoint).await;
    done.map_err(CoreError::into_admin_error)
}

/// Pull to refresh: one sync round now, its failure told.
pub async fn sync_now(client: &Client, _: ipc::SyncNow) -> Answer<()> {
    client.sync_now().await?;
    Ok(())
}

// The administrator's commands («Настройки экосистемы»): nothing is queued,
// offline a change fails at once, and the server's refusal keeps its code.

pub async fn get_admin(client: &Client, args: ipc::GetAdmin) -> Answer<AdminData> {
    let data = client.admin_data(args.lang).await;
    data.map_err(CoreError::into_admin_error)
}

pub async fn create_user(client: &Client, args: ipc::CreateUser) -> Answer<AdminUser> {
    let done = client.create_user(&args.user, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

pub async fn update_user(client: &Client, args: ipc::UpdateUser) -> Answer<AdminUser> {
    let done = client.update_user(args.id, &args.user, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

pub async fn block_user(client: &Client, args: ipc::BlockUser) -> Answer<AdminUser> {
    let done = client.block_user(args.id, args.version, true, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

pub async fn unblock_user(client: &Client, args: ipc::UnblockUser) -> Answer<AdminUser> {
    let done = client.block_user(args.id, args.version, false, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

pub async fn reset_password(client: &Client, args: ipc::ResetPassword) -> Answer<AdminUser> {
    let done = client.reset_password(args.id, &args.password, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

pub async fn create_service(client: &Client, args: ipc::CreateService) -> Answer<AdminService> {
    let done = client.create_service(&args.service, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

pub async fn update_service(client: &Client, args: ipc::UpdateService) -> Answer<AdminService> {
    let done = client.update_service(args.id, &args.service, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

pub async fn create_object(client: &Client, args: ipc::CreateObject) -> Answer<AdminObject> {
    let done = client.create_object(&args.object, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

pub async fn update_object(client: &Client, args: ipc::UpdateObject) -> Answer<AdminObject> {
    let done = client.update_object(args.id, &args.object, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

pub async fn create_product(client: &Client, args: ipc::CreateProduct) -> Answer<AdminProduct> {
    let done = client.create_product(&args.product, args.lang).await;
    done.map_err(CoreError::into_admin_error)
}

pub async fn update_product(client: &Client, args: ipc::UpdateProduct) -> Answer<AdminProduct> {
    let done = client.update_product(args.id, &args.product, args.lang);
    done.await.map_err(CoreError::into_admin_error)
}

/// Reads a command's arguments from JSON, or says they are not its.
fn parse<C: Command>(args: serde_json::Value) -> Answer<C> {
    serde_json::from_value(args).map_err(|error| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("Неверные параметры команды «{}»: {error}", C::NAME),
        )
    })
}

/// Writes a command's answer as JSON.
fn written<T: serde::Serialize>(answer: Answer<T>) -> Answer<serde_json::Value> {
    let value = answer?;
    serde_json::to_value(value)
        .map_err(|error| AppError::new(ErrorCode::Internal, format!("Ответ не записан: {error}")))
}

macro_rules! by_name {
    ($client:ident, $name:ident, $args:ident, $defaults:ident; $($command:ident => $function:ident),* $(,)?) => {
        match $name {
            <ipc::GetDefaults as Command>::NAME => {
                written(get_defaults($client, parse($args)?, $defaults).await)
            }
            $(<ipc::$command as Command>::NAME => written($function($client, parse($args)?).await),)*
            unknown => Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("Неизвестная команда «{unknown}»."),
            )),
        }
    };
}

/// Answers the command called `name` with its arguments in JSON (the
/// command's argument struct, as the page sends it). `default_server_url`
/// is what [`get_defaults`] suggests.
pub async fn answer(
    client: &Client,
    name: &str,
    args: serde_json::Value,
    default_server_url: Option<String>,
) -> Answer<serde_json::Value> {
    by_name!(client, name, args, default_server_url;
        LogIn => log_in,
        LogOut => log_out,
        GetSession => get_session,
        GetSyncStatus => get_sync_status,
        DismissConflict => dismiss_conflict,
        ListOrders => list_orders,
        GetOrder => get_order,
        AssignExecutor => assign_executor,
        ChangeStatus => change_status,
        ChangeDeadlines => change_deadlines,
        RecordPayment => record_payment,
        CancelOrder => cancel_order,
        EditBooking => edit_booking,
        CollectLine => collect_line,
        SendMessage => send_message,
        ListResources => list_resources,
        GetAvailability => get_availability,
        ListPayers => list_payers,
        ListNotifications => list_notifications,
        TakeInWork => take_in_work,
        UndoCollection => undo_collection,
        SyncNow => sync_now,
        CountUnreadNotifications => count_unread_notifications,
        MarkNotificationsRead => mark_notifications_read,
        SetLanguage => set_language,
        GetPushKey => get_push_key,
        SubscribePush => subscribe_push,
        UnsubscribePush => unsubscribe_push,
        GetAdmin => get_admin,
        CreateUser => create_user,
        UpdateUser => update_user,
        BlockUser => block_user,
        UnblockUser => unblock_user,
        ResetPassword => reset_password,
        CreateService => create_service,
        UpdateService => update_service,
        CreateObject => create_object,
        UpdateObject => update_object,
        CreateProduct => create_product,
        UpdateProduct => update_product,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemoryTokenStore, SilentNotifier};
    use std::sync::Arc;

    fn client() -> (Client, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("orderdesk-answer-{}", uuid::Uuid::new_v4()));
        let client = Client::open(
            &dir,
            Arc::new(MemoryTokenStore::new()),
            Arc::new(SilentNotifier),
        )
        .expect("cache opens");
        (client, dir)
    }

    /// Every command of the contract is answered by name: wrong arguments
    /// are refused as such, never as an unknown command.
    #[tokio::test]
    async fn answers_every_command_of_the_contract() {
        let (client, dir) = client();
        for name in ipc::COMMANDS {
            let answer = answer(&client, name, serde_json::json!("no arguments"), None).await;
            let error = answer.expect_err("a string is no command's arguments");
            assert!(
                error.message.contains(name) && !error.message.contains("Неизвестная"),
                "{name}: {error:?}"
            );
        }
        let unknown = answer(&client, "format_disk", serde_json::json!({}), None).await;
        assert_eq!(unknown.expect_err("unknown").code, ErrorCode::InvalidInput);
        drop(client);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A command answers its typed value as JSON, and the defaults carry the
    /// shell's suggestion.
    #[tokio::test]
    async fn answers_in_json_with_the_shells_defaults() {
        let (client, dir) = client();
        let session = answer(&client, "get_session", serde_json::json!({}), None).await;
        assert_eq!(session.expect("answered"), serde_json::Value::Null);
        let url = Some("https://orders.example.ru".to_owned());
        let defaults = answer(&client, "get_defaults", serde_json::json!({}), url).await;
        let defaults: Defaults = serde_json::from_value(defaults.expect("answered")).expect("json");
        assert_eq!(
            defaults.server_url.as_deref(),
            Some("https://orders.example.ru")
        );
        drop(client);
        let _ = std::fs::remove_dir_all(dir);
    }
}
