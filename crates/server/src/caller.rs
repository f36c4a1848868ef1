//! Who calls a service: the signed-in user as the rules and the views need
//! them. The HTTP layer makes one from the bearer token.

use orderdesk_domain::{Actor, Lang, Role, UserId};

/// A signed-in user, and the language their views are labelled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub id: UserId,
    pub role: Role,
    pub lang: Lang,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        Actor::user(self.id, self.role)
    }
}
