//! The server's HTTP API as a test uses it: to act as the requester and to
//! check what the app did.

use serde_json::{json, Value};

pub type ApiResult<T> = Result<T, Box<dyn std::error::Error>>;

/// One signed-in user of the API.
pub struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    pub async fn login(server_url: &str, login: &str) -> ApiResult<Api> {
        crate::init_tls();
        let http = reqwest::Client::new();
        let base = format!("{server_url}/api/v1");
        let answer: Value = http
            .post(format!("{base}/auth/login"))
            .json(&json!({"login": login, "password": "demo"}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let token = answer["token"]
            .as_str()
            .ok_or("login answered with no token")?
            .to_owned();
        Ok(Api { http, base, token })
    }

    pub async fn get(&self, path: &str) -> ApiResult<Value> {
        let answer = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?;
        Ok(answer.json().await?)
    }

    pub async fn post(&self, path: &str, body: Value) -> ApiResult<Value> {
        let answer = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?
            .error_for_status()?;
        Ok(answer.json().await?)
    }

    /// The order card as the server holds it.
    pub async fn order(&self, number: i64) -> ApiResult<Value> {
        self.get(&format!("/orders/{number}")).await
    }

    /// Waits up to `secs` for the server's copy of the order to pass
    /// `check`.
    pub async fn wait_order(
        &self,
        number: i64,
        secs: u64,
        check: impl Fn(&Value) -> bool,
    ) -> ApiResult<()> {
        for _ in 0..secs * 4 {
            if check(&self.order(number).await?) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        Err(format!(
            "order {number} on the server: {}",
            self.order(number).await?
        )
        .into())
    }

    /// A simple-request service of `manager`'s that this user (a requester)
    /// can order from: its id.
    pub async fn request_service_of(&self, manager: &Api) -> ApiResult<i64> {
        let mine = manager.get("/me").await?;
        let catalog = self.get("/catalog").await?;
        catalog["services"]
            .as_array()
            .and_then(|all| {
                all.iter().find(|s| {
                    s["kind"] == "simple_request"
                        && mine["services"]
                            .as_array()
                            .is_some_and(|m| m.iter().any(|m| m["id"] == s["id"]))
                })
            })
            .and_then(|s| s["id"].as_i64())
            .ok_or_else(|| "no request service of the manager in the requester's catalogue".into())
    }

    /// Order numbers matching a query string such as `status=new&kind=booking`.
    pub async fn numbers(&self, query: &str) -> ApiResult<Vec<i64>> {
        let page = self.get(&format!("/orders?{query}&per_page=100")).await?;
        Ok(page["items"]
            .as_array()
            .map(|items| items.iter().filter_map(|o| o["number"].as_i64()).collect())
            .unwrap_or_default())
    }

    /// Free slot starts of an object on a day.
    pub async fn free_slots(&self, resource: i64, date: &str) -> ApiResult<Vec<String>> {
        let answer = self
            .get(&format!("/resources/{resource}/availability?date={date}"))
            .await?;
        Ok(answer["free"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }
}
