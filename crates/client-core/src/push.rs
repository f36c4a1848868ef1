//! Web Push for the browser shell: the server's public key, and the
//! browser's subscription handed to the server for the signed-in session,
//! so new and returned orders reach the manager while the app is closed.
//! The server sends; the browser's service worker shows.

use orderdesk_protocol::{PushPublicKey, PushSubscription, PushUnsubscribe};
use reqwest::Method;

use crate::error::CoreResult;
use crate::Client;

impl Client {
    /// The server's VAPID public key, which the browser subscribes with.
    pub async fn push_key(&self) -> CoreResult<PushPublicKey> {
        self.shared.api()?.get_json("/push/key").await
    }

    /// Keeps the browser's subscription on the server for this session; a
    /// sign-out ends it there.
    pub async fn subscribe_push(&self, subscription: &PushSubscription) -> CoreResult<()> {
        let api = self.shared.api()?;
        api.send_only(Method::PUT, "/push/subscriptions", subscription)
            .await
    }

    /// Forgets the browser's subscription on the server.
    pub async fn unsubscribe_push(&self, endpoint: &str) -> CoreResult<()> {
        let body = PushUnsubscribe {
            endpoint: endpoint.to_owned(),
        };
        let api = self.shared.api()?;
        api.send_only(Method::DELETE, "/push/subscriptions", &body)
            .await
    }
}
