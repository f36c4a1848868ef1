//! Components that render plain values and report what the manager did
//! through event handlers. None of them performs IO.

mod admin;
mod banner;
mod booking_edit;
mod chat;
mod collection;
mod dialog;
mod icons;
mod login;
mod order;
mod order_list;
mod shell;
mod status;
mod stay;

pub use admin::{AdminScreen, AdminTab, Editing, FormState};
pub use banner::SyncBanner;
pub use booking_edit::{select_slots, BookingEditor};
pub use chat::Chat;
pub use collection::Collection;
pub use dialog::{CloseButton, Dialog};
pub use icons::{BellIcon, LockIcon};
pub use login::{validate_credentials, Credentials, LoginScreen};
pub use order::{OrderAction, OrderView};
pub use order_list::{fetch_start, visible_window, OrderList, FETCH_ROWS, ROW_HEIGHT};
pub use shell::Shell;
pub use status::StatusBadge;
pub use stay::{nights_word, CoworkingCard, HotelCard};

#[cfg(test)]
pub(crate) mod fixtures;
