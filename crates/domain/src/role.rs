//! Who takes an action: a user with a role, or the system itself.

use crate::ids::UserId;
use crate::kind::OrderKind;
use crate::text::Lang;
use serde::{Deserialize, Serialize};

/// A user's role in the ecosystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ServiceManager,
    RentalManager,
    ShopManager,
    Requester,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::ServiceManager,
        Role::RentalManager,
        Role::ShopManager,
        Role::Requester,
        Role::Admin,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Role::ServiceManager => "service_manager",
            Role::RentalManager => "rental_manager",
            Role::ShopManager => "shop_manager",
            Role::Requester => "requester",
            Role::Admin => "admin",
        }
    }

    pub fn parse(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::ServiceManager, Lang::Ru) => "Менеджер по услугам",
            (Role::RentalManager, Lang::Ru) => "Менеджер по аренде",
            (Role::ShopManager, Lang::Ru) => "Менеджер магазина",
            (Role::Requester, Lang::Ru) => "Заявитель",
            (Role::Admin, Lang::Ru) => "Администратор",
            (Role::ServiceManager, Lang::En) => "Service manager",
            (Role::RentalManager, Lang::En) => "Rental manager",
            (Role::ShopManager, Lang::En) => "Shop manager",
            (Role::Requester, Lang::En) => "Requester",
            (Role::Admin, Lang::En) => "Administrator",
        }
    }

    pub fn is_manager(self) -> bool {
        matches!(
            self,
            Role::ServiceManager | Role::RentalManager | Role::ShopManager
        )
    }

    /// Whether the role processes orders of this kind at all; the service's
    /// responsible list decides the rest.
    pub fn covers(self, kind: OrderKind) -> bool {
        match self {
            Role::ServiceManager => kind.is_request(),
            Role::RentalManager => kind.holds_resource(),
            Role::ShopManager => kind == OrderKind::NomenclatureSale,
            Role::Requester | Role::Admin => false,
        }
    }
}

/// The one who acts on an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in user.
    User { id: UserId, role: Role },
    /// The server itself: auto-close, the booking clock, the payment gateway.
    System,
}

impl Actor {
    pub fn user(id: UserId, role: Role) -> Actor {
        Actor::User { id, role }
    }

    pub fn user_id(self) -> Option<UserId> {
        match self {
            Actor::User { id, .. } => Some(id),
            Actor::System => None,
        }
    }

    pub fn role(self) -> Option<Role> {
        match self {
            Actor::User { role, .. } => Some(role),
            Actor::System => None,
        }
    }
}
