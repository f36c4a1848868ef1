//! Languages of the interface and chat visibility.

use serde::{Deserialize, Serialize};

/// The interface language. Russian is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

/// Which chat tab a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// «Публичное»: the requester and the managers.
    Public,
    /// «Внутреннее»: the service's responsible managers only.
    Internal,
}

impl Visibility {
    pub const ALL: [Visibility; 2] = [Visibility::Public, Visibility::Internal];

    pub fn id(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Internal => "internal",
        }
    }

    pub fn parse(id: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.id() == id)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Visibility::Public, Lang::Ru) => "Публичное",
            (Visibility::Internal, Lang::Ru) => "Внутреннее",
            (Visibility::Public, Lang::En) => "Public",
            (Visibility::Internal, Lang::En) => "Internal",
        }
    }
}
