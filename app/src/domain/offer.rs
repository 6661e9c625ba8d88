//! What a co-op offers and whether travellers can see it.

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as stored in the database and sent over the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::domain::DomainError> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::domain::DomainError::UnknownValue { field: $field, value: other.to_owned() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// The kind of place offered.
    OfferKind, "kind" {
        Room => "room",
        Bed => "bed",
        Couch => "couch",
        Desk => "desk",
        Visit => "visit",
    }
);

text_enum!(
    /// Only published offers are shown to travellers.
    OfferStatus, "offer status" {
        Draft => "draft",
        Published => "published",
        Paused => "paused",
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DomainError;

    #[test]
    fn every_kind_parses_back_from_its_text() {
        for kind in OfferKind::ALL {
            assert_eq!(OfferKind::parse(kind.as_str()), Ok(*kind));
        }
    }

    #[test]
    fn an_unknown_kind_names_the_field_and_the_value() {
        assert_eq!(
            OfferKind::parse("castle"),
            Err(DomainError::UnknownValue { field: "kind", value: "castle".into() })
        );
    }
}
