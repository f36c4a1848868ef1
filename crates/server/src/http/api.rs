//! The handlers, one module per resource; each handler reads the request,
//! calls a service as the signed-in [`Caller`](crate::caller::Caller) and
//! answers in the caller's language.

pub mod actions;
pub mod admin;
pub mod auth;
pub mod booking;
pub mod catalog;
pub mod events;
pub mod messages;
pub mod openapi;
pub mod orders;
pub mod payments;
pub mod push;
pub mod replies;
pub mod sync;
