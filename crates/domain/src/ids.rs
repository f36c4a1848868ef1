//! Identifier newtypes, so that a user id can never be passed where an order
//! number is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A user account: a manager, a requester or an administrator.
    UserId(i64)
);
id_type!(
    /// A service of the ecosystem («Уборка», «Переговорная Python»…).
    ServiceId(i64)
);
id_type!(
    /// A bookable object: a meeting room, a coworking floor, a hotel.
    ResourceId(i64)
);
id_type!(
    /// The public number of an order, as managers and requesters see it.
    OrderNumber(i64)
);
id_type!(
    /// The position of a line within an order, starting at 1.
    LineNo(u32)
);
