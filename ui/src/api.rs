//! The one place the UI talks to the app: every call goes through Tauri's
//! `invoke` and comes back as a typed value or an [`ApiError`].
//!
//! Screens call these functions from event handlers and effects; components
//! that render data never do. Outside the app (native tests, a plain
//! browser) every call fails with [`ErrorCode::Unavailable`].

use crate::model::{
    Availability, Defaults, Notice, OrderCard, OrderFilter, OrderPage, PayerInfo, ResourceInfo,
    Session, SyncState,
};
use chrono::NaiveDate;
use orderdesk_domain::{LineNo, OrderNumber, ResourceId};
pub use orderdesk_protocol::{
    AssigneeRequest, BookingEditRequest, CancelRequest, CollectLineRequest, DeadlinesRequest,
    PaymentRequest, PostMessageRequest, StatusRequest,
};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::json;

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
        pub async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

        #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
        pub async fn listen(
            event: &str,
            handler: &Closure<dyn FnMut(JsValue)>,
        ) -> Result<JsValue, JsValue>;
    }
}

/// Calls a command with JSON arguments and reads its JSON answer.
async fn call<T: DeserializeOwned>(command: &str, args: serde_json::Value) -> ApiResult<T> {
    let answer = raw_call(command, args.to_string()).await?;
    serde_json::from_str(&answer).map_err(|error| {
        unavailable(format!(
            "Приложение вернуло неожиданный ответ на «{command}»: {error}"
        ))
    })
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
    call(
        "log_in",
        json!({"serverUrl": server_url, "login": login, "password": password}),
    )
    .await
}

/// Signs out; with actions not yet sent it refuses with
/// [`ErrorCode::UnsentActions`] unless `discard_unsent`.
pub async fn log_out(discard_unsent: bool) -> ApiResult<()> {
    call("log_out", json!({ "discardUnsent": discard_unsent })).await
}

pub async fn get_session() -> ApiResult<Option<Session>> {
    call("get_session", json!({})).await
}

pub async fn get_defaults() -> ApiResult<Defaults> {
    call("get_defaults", json!({})).await
}

pub async fn get_sync_state() -> ApiResult<SyncState> {
    call("get_sync_state", json!({})).await
}

pub async fn dismiss_conflict(id: i64) -> ApiResult<()> {
    call("dismiss_conflict", json!({ "id": id })).await
}

/// `limit` rows of the list from `offset`, as the cache finds them for the
/// filter, with the total and the counts per status.
pub async fn list_orders(
    filter: &OrderFilter,
    offset: usize,
    limit: usize,
) -> ApiResult<OrderPage> {
    let query = filter.query.trim();
    let args = json!({ "filter": {
        "status": filter.status,
        "kind": filter.kind,
        "query": (!query.is_empty()).then_some(query),
        "offset": offset,
        "limit": limit,
    }});
    call("list_orders", args).await
}

pub async fn get_order(number: OrderNumber) -> ApiResult<OrderCard> {
    call("get_order", json!({ "number": number })).await
}

/// An action on an order; the screen reloads the card afterwards.
async fn act(command: &str, args: serde_json::Value) -> ApiResult<()> {
    call::<IgnoredAny>(command, args).await.map(|_| ())
}

pub async fn assign_executor(number: OrderNumber, request: &AssigneeRequest) -> ApiResult<()> {
    act(
        "assign_executor",
        json!({ "number": number, "request": request }),
    )
    .await
}

pub async fn change_status(number: OrderNumber, request: &StatusRequest) -> ApiResult<()> {
    act(
        "change_status",
        json!({ "number": number, "request": request }),
    )
    .await
}

pub async fn change_deadlines(number: OrderNumber, request: &DeadlinesRequest) -> ApiResult<()> {
    act(
        "change_deadlines",
        json!({ "number": number, "request": request }),
    )
    .await
}

pub async fn record_payment(number: OrderNumber, request: &PaymentRequest) -> ApiResult<()> {
    act(
        "record_payment",
        json!({ "number": number, "request": request }),
    )
    .await
}

pub async fn cancel_order(number: OrderNumber, request: &CancelRequest) -> ApiResult<()> {
    act(
        "cancel_order",
        json!({ "number": number, "request": request }),
    )
    .await
}

pub async fn edit_booking(number: OrderNumber, request: &BookingEditRequest) -> ApiResult<()> {
    act(
        "edit_booking",
        json!({ "number": number, "request": request }),
    )
    .await
}

pub async fn collect_line(
    number: OrderNumber,
    line: LineNo,
    request: &CollectLineRequest,
) -> ApiResult<()> {
    act(
        "collect_line",
        json!({ "number": number, "line": line, "request": request }),
    )
    .await
}

pub async fn send_message(number: OrderNumber, request: &PostMessageRequest) -> ApiResult<()> {
    act(
        "send_message",
        json!({ "number": number, "request": request }),
    )
    .await
}

/// Objects the booking may move to: the meeting rooms of its service.
pub async fn list_resources(number: OrderNumber) -> ApiResult<Vec<ResourceInfo>> {
    call("list_resources", json!({ "number": number })).await
}

/// Free slots of an object on a day; the slots of `order` count as free.
pub async fn get_availability(
    resource: ResourceId,
    date: NaiveDate,
    order: OrderNumber,
) -> ApiResult<Availability> {
    call(
        "get_availability",
        json!({ "resourceId": resource, "date": date, "order": order }),
    )
    .await
}

/// Company accounts that may pay, for «Плательщик».
pub async fn list_payers() -> ApiResult<Vec<PayerInfo>> {
    call("list_payers", json!({})).await
}

/// New and returned orders the app was told about in this run.
pub async fn list_notifications() -> ApiResult<Vec<Notice>> {
    call("list_notifications", json!({})).await
}

/// Calls `on_notice` for every notification the app raises from now on.
pub fn listen_notifications(on_notice: impl FnMut(Notice) + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::prelude::*;
        let mut on_notice = on_notice;
        let handler = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let payload = js_sys::Reflect::get(&event, &JsValue::from_str("payload"))
                .ok()
                .and_then(|p| js_sys::JSON::stringify(&p).ok())
                .and_then(|p| p.as_string());
            if let Some(notice) = payload.and_then(|p| serde_json::from_str::<Notice>(&p).ok()) {
                on_notice(notice);
            }
        });
        wasm_bindgen_futures::spawn_local(async move {
            let _ = bridge::listen(NOTIFICATION_EVENT, &handler).await;
            // The listener lives as long as the page.
            handler.forget();
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = on_notice;
    }
}

/// The app's event carrying a [`Notice`].
#[cfg(target_arch = "wasm32")]
const NOTIFICATION_EVENT: &str = "order-notification";

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

/// Waits, without blocking the page; used to poll the sync state.
pub async fn sleep(ms: i32) {
    #[cfg(target_arch = "wasm32")]
    {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
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
