//! The one place the UI talks to the app: every call goes through the
//! shell's `invoke` with the command's argument struct from
//! `orderdesk_protocol::ipc`, and comes back as that command's typed answer
//! or an [`ApiError`]; the app's events (notifications, the sync status)
//! are listened to here too. The shell is Tauri's (`window.__TAURI__`) in
//! the desktop and mobile app, and the browser's (`window.__ORDERDESK__`,
//! set by `boot.js`, the same two functions over the core's worker) when
//! the server serves the app to a browser.
//!
//! Screens call these functions from event handlers and effects; components
//! that render data never do. Outside the app (native tests, a plain
//! browser) every call fails with [`ErrorCode::Unavailable`].

pub mod admin;

use crate::model::{
    Availability, ConflictId, Defaults, ListPage, Notification, OrderCard, OrderFilter, PayerInfo,
    ResourceInfo, Session, SyncStatus,
};
use chrono::{DateTime, FixedOffset, NaiveDate};
use orderdesk_domain::{
    LineNo, LineOutcome, Money, OrderNumber, ResourceId, Status, UserId, Visibility,
};
pub use orderdesk_protocol::ipc::BookingChange;
use orderdesk_protocol::ipc::{self, Command, ListFilter};
use serde::de::DeserializeOwned;

/// What went wrong, as the app reports it: the app's own error shape.
pub use orderdesk_protocol::{AppError as ApiError, ErrorCode};

/// The app could not be reached, or answered something unreadable.
fn unavailable(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Unavailable, message)
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(target_arch = "wasm32")]
mod bridge {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
        async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

        #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
        async fn tauri_listen(
            event: &str,
            handler: &Closure<dyn FnMut(JsValue)>,
        ) -> Result<JsValue, JsValue>;

        #[wasm_bindgen(catch, js_namespace = ["window", "__ORDERDESK__", "core"], js_name = invoke)]
        async fn browser_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

        #[wasm_bindgen(catch, js_namespace = ["window", "__ORDERDESK__", "event"], js_name = listen)]
        async fn browser_listen(
            event: &str,
            handler: &Closure<dyn FnMut(JsValue)>,
        ) -> Result<JsValue, JsValue>;
    }

    /// Whether the page runs inside the Tauri app rather than a browser.
    fn in_tauri() -> bool {
        js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("__TAURI__")).unwrap_or(false)
    }

    pub async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue> {
        if in_tauri() {
            tauri_invoke(cmd, args).await
        } else {
            browser_invoke(cmd, args).await
        }
    }

    pub async fn listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue> {
        if in_tauri() {
            tauri_listen(event, handler).await
        } else {
            browser_listen(event, handler).await
        }
    }
}

/// The invoke arguments of a command: its argument struct under
/// [`ipc::ARGS`].
fn invoke_args<C: Command>(args: &C) -> ApiResult<String> {
    let value = serde_json::to_value(args)
        .map_err(|_| unavailable("Не удалось подготовить запрос к приложению."))?;
    let mut body = serde_json::Map::new();
    body.insert(ipc::ARGS.to_owned(), value);
    Ok(serde_json::Value::Object(body).to_string())
}

/// Calls a command and reads its typed answer.
async fn call<C: Command>(args: C) -> ApiResult<C::Output> {
    let answer = raw_call(C::NAME, invoke_args(&args)?).await?;
    serde_json::from_str(&answer).map_err(|error| {
        unavailable(format!(
            "Приложение вернуло неожиданный ответ на «{}»: {error}",
            C::NAME
        ))
    })
}

/// Calls an action on an order; the screen reloads the card afterwards.
async fn act<C: Command<Output = OrderCard>>(args: C) -> ApiResult<()> {
    call(args).await.map(|_| ())
}

#[cfg(target_arch = "wasm32")]
async fn raw_call(command: &str, args: String) -> ApiResult<String> {
    use wasm_bindgen::JsValue;
    let args = js_sys::JSON::parse(&args)
        .map_err(|_| unavailable("Не удалось подготовить запрос к приложению."))?;
    let stringify = |value: &JsValue| -> Option<String> {
        if value.is_undefined() {
            return Some("null".to_owned());
        }
        js_sys::JSON::stringify(value).ok()?.as_string()
    };
    match bridge::invoke(command, args).await {
        Ok(value) => {
            stringify(&value).ok_or_else(|| unavailable("Приложение вернуло нечитаемый ответ."))
        }
        Err(error) => {
            let text = stringify(&error).unwrap_or_default();
            Err(serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| {
                let detail = error.as_string().unwrap_or(text);
                unavailable(format!("Приложение не ответило: {detail}"))
            }))
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn raw_call(command: &str, _args: String) -> ApiResult<String> {
    Err(unavailable(format!(
        "«{command}» работает только внутри приложения."
    )))
}

pub async fn log_in(server_url: &str, login: &str, password: &str) -> ApiResult<Session> {
    call(ipc::LogIn {
        server_url: server_url.to_owned(),
        login: login.to_owned(),
        password: password.to_owned(),
    })
    .await
}

/// Signs out; with actions not yet sent it refuses with
/// [`ErrorCode::UnsentActions`] unless `discard_unsent`.
pub async fn log_out(discard_unsent: bool) -> ApiResult<()> {
    call(ipc::LogOut { discard_unsent }).await
}

pub async fn get_session() -> ApiResult<Option<Session>> {
    call(ipc::GetSession {}).await
}

pub async fn get_defaults() -> ApiResult<Defaults> {
    call(ipc::GetDefaults {}).await
}

/// The sync status now; [`listen_sync_status`] brings every later change.
pub async fn get_sync_status() -> ApiResult<SyncStatus> {
    call(ipc::GetSyncStatus {}).await
}

pub async fn dismiss_conflict(id: ConflictId) -> ApiResult<()> {
    call(ipc::DismissConflict { id }).await
}

/// The cache's filter for `limit` rows of the list from `offset`.
fn list_filter(filter: &OrderFilter, offset: usize, limit: usize) -> ListFilter {
    let query = filter.query.trim();
    ListFilter {
        status: filter.status,
        kind: filter.kind,
        query: (!query.is_empty()).then(|| query.to_owned()),
        quick: filter.quick,
        sort: filter.sort,
        offset: u32::try_from(offset).unwrap_or(u32::MAX),
        limit: u32::try_from(limit).unwrap_or(u32::MAX),
    }
}

/// `limit` rows of the list from `offset`, as the cache finds them for the
/// filter, with the total and the counts per status.
pub async fn list_orders(filter: &OrderFilter, offset: usize, limit: usize) -> ApiResult<ListPage> {
    let filter = list_filter(filter, offset, limit);
    call(ipc::ListOrders { filter }).await
}

pub async fn get_order(number: OrderNumber) -> ApiResult<OrderCard> {
    call(ipc::GetOrder { number }).await
}

/// «Изменить исполнителя»; `None` is «Не назначено».
pub async fn assign_executor(number: OrderNumber, executor: Option<UserId>) -> ApiResult<()> {
    act(ipc::AssignExecutor { number, executor }).await
}

pub async fn change_status(number: OrderNumber, status: Status) -> ApiResult<()> {
    act(ipc::ChangeStatus { number, status }).await
}

/// «Изменить время»: the first-response and completion due times.
pub async fn change_deadlines(
    number: OrderNumber,
    first_response_due: Option<DateTime<FixedOffset>>,
    completion_due: Option<DateTime<FixedOffset>>,
) -> ApiResult<()> {
    act(ipc::ChangeDeadlines {
        number,
        first_response_due,
        completion_due,
    })
    .await
}

pub async fn record_payment(number: OrderNumber, amount: Money) -> ApiResult<()> {
    act(ipc::RecordPayment { number, amount }).await
}

pub async fn cancel_order(number: OrderNumber) -> ApiResult<()> {
    act(ipc::CancelOrder { number }).await
}

pub async fn edit_booking(number: OrderNumber, change: BookingChange) -> ApiResult<()> {
    act(ipc::EditBooking { number, change }).await
}

pub async fn collect_line(
    number: OrderNumber,
    line: LineNo,
    outcome: LineOutcome,
) -> ApiResult<()> {
    act(ipc::CollectLine {
        number,
        line,
        outcome,
    })
    .await
}

/// «Взять в работу»: the manager becomes the executor and the request goes
/// to «В работе».
pub async fn take_in_work(number: OrderNumber) -> ApiResult<()> {
    act(ipc::TakeInWork { number }).await
}

/// Takes back a line's collection mark while the order is «Собирается».
pub async fn undo_collection(number: OrderNumber, line: LineNo) -> ApiResult<()> {
    act(ipc::UndoCollection { number, line }).await
}

pub async fn send_message(
    number: OrderNumber,
    text: String,
    visibility: Visibility,
) -> ApiResult<()> {
    act(ipc::SendMessage {
        number,
        text,
        visibility,
    })
    .await
}

/// Objects the booking may move to: the meeting rooms of its service.
pub async fn list_resources(number: OrderNumber) -> ApiResult<Vec<ResourceInfo>> {
    call(ipc::ListResources { number }).await
}

/// Free slots of an object on a day; the slots of `order` count as free.
pub async fn get_availability(
    resource: ResourceId,
    date: NaiveDate,
    order: OrderNumber,
) -> ApiResult<Availability> {
    call(ipc::GetAvailability {
        resource_id: resource,
        date,
        order: Some(order),
    })
    .await
}

/// Company accounts that may pay, for «Плательщик».
pub async fn list_payers() -> ApiResult<Vec<PayerInfo>> {
    call(ipc::ListPayers {}).await
}

/// One sync round now: what waits goes out, what changed comes in.
pub async fn sync_now() -> ApiResult<()> {
    call(ipc::SyncNow {}).await
}

/// The notification history, newest first, kept by the core across
/// restarts, with what was read.
pub async fn list_notifications() -> ApiResult<Vec<Notification>> {
    call(ipc::ListNotifications {}).await
}

/// Unread notifications, for the bell.
pub async fn count_unread_notifications() -> ApiResult<u32> {
    call(ipc::CountUnreadNotifications {}).await
}

/// Marks one notification read, or all of them with `None`.
pub async fn mark_notifications_read(key: Option<String>) -> ApiResult<()> {
    call(ipc::MarkNotificationsRead { key }).await
}

/// Tells the core the UI's language: it speaks it to the server, in
/// notifications and in its own messages. Sent at start and on every switch.
pub async fn set_language(lang: orderdesk_domain::Lang) -> ApiResult<()> {
    call(ipc::SetLanguage { lang }).await
}

/// Calls `on_notice` with every notification the app raises from now on,
/// and `on_history` once with the core's history, read only after the
/// listener is in place: a notice raised in between is in that history, so
/// none falls between the two (the screen merges them by key).
pub fn follow_notifications(
    on_notice: impl FnMut(Notification) + Copy + 'static,
    on_history: impl FnMut(Vec<Notification>) + Copy + 'static,
) -> Subscription {
    listen(ipc::NOTIFICATION_EVENT, on_notice, move || {
        let mut on_history = on_history;
        spawn_detached(async move {
            if let Ok(history) = list_notifications().await {
                on_history(history);
            }
        });
    })
}

/// Calls `on_status` with the sync status as it stands and then with every
/// status the app publishes, until the subscription is dropped.
///
/// The status is read only once the listener is in place, so no change can
/// fall between the two; and it is dropped if an event came first, since
/// that one is at least as new.
pub fn follow_sync_status(on_status: impl FnMut(SyncStatus) + Copy + 'static) -> Subscription {
    let heard = std::rc::Rc::new(std::cell::Cell::new(false));
    let on_event = {
        let heard = heard.clone();
        let mut on_status = on_status;
        move |status: SyncStatus| {
            heard.set(true);
            on_status(status);
        }
    };
    listen(ipc::SYNC_STATUS_EVENT, on_event, move || {
        let mut on_status = on_status;
        spawn_detached(async move {
            if let Ok(now) = get_sync_status().await {
                if !heard.get() {
                    on_status(now);
                }
            }
        });
    })
}

/// Runs a future to its end on the page, tied to no screen.
fn spawn_detached(work: impl std::future::Future<Output = ()> + 'static) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(work);
    #[cfg(not(target_arch = "wasm32"))]
    drop(work);
}

/// A listener of one app event. Dropping it stops the listening, so a screen
/// that goes (sign-out) leaves no listener behind for the next one.
#[must_use = "the listening stops when the subscription is dropped"]
pub struct Subscription {
    #[cfg(target_arch = "wasm32")]
    state: std::rc::Rc<std::cell::RefCell<Listening>>,
}

/// The function the app calls with each event.
#[cfg(target_arch = "wasm32")]
type Handler = std::rc::Rc<wasm_bindgen::closure::Closure<dyn FnMut(wasm_bindgen::JsValue)>>;

/// What a live listener holds: the app's function that ends it (once the
/// app has answered) and the handler it calls meanwhile.
#[cfg(target_arch = "wasm32")]
#[derive(Default)]
struct Listening {
    unlisten: Option<js_sys::Function>,
    handler: Option<Handler>,
    dropped: bool,
}

#[cfg(target_arch = "wasm32")]
impl Listening {
    /// Ends the listening and frees the handler.
    fn stop(&mut self) {
        if let Some(unlisten) = self.unlisten.take() {
            let _ = unlisten.call0(&wasm_bindgen::JsValue::NULL);
        }
        self.handler = None;
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        #[cfg(target_arch = "wasm32")]
        {
            let mut listening = self.state.borrow_mut();
            listening.dropped = true;
            listening.stop();
        }
    }
}

/// Calls `on_payload` with the payload of every `event` the app emits until
/// the subscription is dropped; payloads that do not read as `T` are
/// skipped. `on_ready` runs once the app has the listener.
fn listen<T: DeserializeOwned + 'static>(
    event: &'static str,
    on_payload: impl FnMut(T) + 'static,
    on_ready: impl FnOnce() + 'static,
) -> Subscription {
    #[cfg(target_arch = "wasm32")]
    {
        use std::cell::RefCell;
        use std::rc::Rc;
        use wasm_bindgen::prelude::*;
        let mut on_payload = on_payload;
        let handler = Rc::new(Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let payload = js_sys::Reflect::get(&event, &JsValue::from_str("payload"))
                .ok()
                .and_then(|p| js_sys::JSON::stringify(&p).ok())
                .and_then(|p| p.as_string());
            if let Some(value) = payload.and_then(|p| serde_json::from_str::<T>(&p).ok()) {
                on_payload(value);
            }
        }));
        let state = Rc::new(RefCell::new(Listening {
            handler: Some(handler.clone()),
            ..Listening::default()
        }));
        let pending = state.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(unlisten) = bridge::listen(event, &handler).await else {
                return;
            };
            let mut listening = pending.borrow_mut();
            listening.unlisten = unlisten.dyn_into::<js_sys::Function>().ok();
            // Dropped while the app was still answering: stop at once.
            if listening.dropped {
                listening.stop();
                return;
            }
            drop(listening);
            on_ready();
        });
        Subscription { state }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (event, on_payload, on_ready);
        Subscription {}
    }
}

/// Copies text to the system clipboard (the payment link).
pub async fn copy_text(text: &str) -> ApiResult<()> {
    #[cfg(target_arch = "wasm32")]
    {
        let clipboard = web_sys::window()
            .ok_or_else(|| unavailable("Нет окна приложения."))?
            .navigator()
            .clipboard();
        wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
            .await
            .map(|_| ())
            .map_err(|_| unavailable("Не удалось скопировать ссылку."))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = text;
        Err(unavailable("Буфер обмена доступен только в приложении."))
    }
}

/// Scrolls the element with `id` back to its top. A DOM call rather than
/// evaluated JavaScript: the app's CSP allows no `eval`.
pub fn scroll_to_top(id: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        element.set_scroll_top(0);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// The present moment by the device's clock, for the booking editor's
/// choice of slots that have not ended yet.
pub fn now() -> DateTime<chrono::Utc> {
    #[cfg(target_arch = "wasm32")]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        DateTime::default()
    }
}

/// Resolves after `ms` milliseconds: how long a toast stays. Outside the app
/// it never resolves, so native tests decide when a toast goes.
pub async fn sleep(ms: u32) {
    #[cfg(target_arch = "wasm32")]
    {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    &resolve,
                    i32::try_from(ms).unwrap_or(i32::MAX),
                );
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = ms;
        std::future::pending::<()>().await;
    }
}

/// Today in the device's time zone, for the booking editor's date chips.
pub fn today() -> NaiveDate {
    #[cfg(target_arch = "wasm32")]
    {
        let now = js_sys::Date::new_0();
        NaiveDate::from_ymd_opt(
            now.get_full_year() as i32,
            now.get_month() + 1,
            now.get_date(),
        )
        .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        NaiveDate::default()
    }
}

const LANG_KEY: &str = "orderdesk.lang";

#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The interface language chosen in settings; Russian until one is chosen.
pub fn load_lang() -> orderdesk_domain::Lang {
    #[cfg(target_arch = "wasm32")]
    {
        let saved = storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
        if saved.as_deref() == Some("en") {
            return orderdesk_domain::Lang::En;
        }
    }
    orderdesk_domain::Lang::Ru
}

pub fn save_lang(lang: orderdesk_domain::Lang) {
    let id = match lang {
        orderdesk_domain::Lang::Ru => "ru",
        orderdesk_domain::Lang::En => "en",
    };
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = storage() {
        let _ = storage.set_item(LANG_KEY, id);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (id, LANG_KEY);
}

/// The last server address used, offered on the login screen.
pub fn load_server_url() -> String {
    #[cfg(target_arch = "wasm32")]
    if let Some(url) = storage().and_then(|s| s.get_item("orderdesk.server").ok().flatten()) {
        return url;
    }
    String::new()
}

pub fn save_server_url(url: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = storage() {
        let _ = storage.set_item("orderdesk.server", url);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = url;
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderdesk_domain::Status;

    #[test]
    fn a_command_is_invoked_with_its_arguments_under_args() {
        let args = invoke_args(&ipc::GetOrder {
            number: OrderNumber(1042),
        })
        .expect("args");
        assert_eq!(args, r#"{"args":{"number":1042}}"#);
    }

    #[test]
    fn the_list_filter_leaves_out_an_empty_search() {
        let typed = OrderFilter {
            status: Some(Status::New),
            query: "  ".to_owned(),
            ..OrderFilter::default()
        };
        let filter = list_filter(&typed, 100, 50);
        assert_eq!(filter.query, None);
        assert_eq!((filter.offset, filter.limit), (100, 50));
        assert_eq!(filter.status, Some(Status::New));
        let searched = OrderFilter {
            query: " №104 ".to_owned(),
            ..OrderFilter::default()
        };
        assert_eq!(list_filter(&searched, 0, 1).query.as_deref(), Some("№104"));
    }
}
