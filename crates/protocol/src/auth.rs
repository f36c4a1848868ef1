//! Signing in and finding out who one is.

use orderdesk_domain::{Role, ServiceId, UserId};
use serde::{Deserialize, Serialize};

use crate::orders::ServiceRef;

/// `POST /auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

/// A signed-in user as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: UserId,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The company the user pays as, for a company requester.
    pub company: Option<String>,
}

/// The answer to a successful login. The token goes in
/// `Authorization: Bearer <token>` on every later call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub token: String,
    pub user: UserSummary,
}

/// `GET /me`: the user, the role and the services they are responsible for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub user: UserSummary,
    pub services: Vec<ServiceRef>,
}

impl MeResponse {
    pub fn is_responsible_for(&self, service: ServiceId) -> bool {
        self.services.iter().any(|s| s.id == service)
    }
}
