//! The ranges of the integer query parameters, checked as they are read so
//! that what the OpenAPI document states (`minimum`, `maximum`) is what the
//! server takes: a value outside is refused, never quietly clamped.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// Most orders on one page of `GET /orders`.
pub const MAX_PER_PAGE: u32 = 100;

/// Most changed orders in one `GET /sync/pull` page.
pub const MAX_PULL_LIMIT: u32 = 1000;

/// The last page number `GET /orders` takes (what an `int32` holds).
pub const MAX_PAGE: u32 = i32::MAX as u32;

/// An optional integer in `min..=max`.
fn bounded<'de, D: Deserializer<'de>>(d: D, min: i64, max: i64) -> Result<Option<i64>, D::Error> {
    match Option::<i64>::deserialize(d)? {
        Some(v) if !(min..=max).contains(&v) => Err(D::Error::custom(format!(
            "{v} is out of range: from {min} to {max}"
        ))),
        v => Ok(v),
    }
}

fn bounded_u32<'de, D: Deserializer<'de>>(
    d: D,
    min: u32,
    max: u32,
) -> Result<Option<u32>, D::Error> {
    bounded(d, i64::from(min), i64::from(max))?
        .map(|v| u32::try_from(v).map_err(D::Error::custom))
        .transpose()
}

/// `page`: from 1.
pub(crate) fn page<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    bounded_u32(d, 1, MAX_PAGE)
}

/// `per_page`: 1 to [`MAX_PER_PAGE`].
pub(crate) fn per_page<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    bounded_u32(d, 1, MAX_PER_PAGE)
}

/// `limit` of a pull: 1 to [`MAX_PULL_LIMIT`].
pub(crate) fn pull_limit<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    bounded_u32(d, 1, MAX_PULL_LIMIT)
}

/// An id or a position from 1 (`object_id`, `before` of the audit).
pub(crate) fn positive<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    bounded(d, 1, i64::MAX)
}

/// A cursor: a position in the change log, from 0.
pub(crate) fn cursor<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    bounded(d, 0, i64::MAX)
}

/// The highest line number a body takes (what an `int32` holds).
pub const MAX_LINE: u32 = i32::MAX as u32;

/// A line of an order in a body (`line` of a queued collection mark): from 1
/// to [`MAX_LINE`], as the document states.
pub(crate) fn line_no<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<orderdesk_domain::LineNo, D::Error> {
    let line = u32::deserialize(d)?;
    if (1..=MAX_LINE).contains(&line) {
        Ok(orderdesk_domain::LineNo(line))
    } else {
        Err(D::Error::custom(format!(
            "{line} is out of range: from 1 to {MAX_LINE}"
        )))
    }
}
