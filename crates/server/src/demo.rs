//! Demo data (SPEC §7).

use crate::error::ApiError;
use crate::state::AppState;

pub async fn seed(state: &AppState) -> Result<bool, ApiError> {
    let _ = state;
    Ok(false)
}
