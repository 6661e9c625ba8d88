//! ISO 3166-1 alpha-2 country codes and their names in the UI languages.

use super::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An upper-case ISO 3166-1 alpha-2 code such as `AR`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    /// Accepts two ASCII letters in any case (`ar`, ` AR `) and normalises them.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code))
        } else {
            Err(DomainError::InvalidCountry(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country's name in `lang` (`en`, `es` or `pt`), or the code itself when the name is not known.
    pub fn name(&self, lang: &str) -> &str {
        NAMES
            .iter()
            .find(|(code, ..)| *code == self.0)
            .map(|(_, en, es, pt)| match lang {
                "es" => *es,
                "pt" => *pt,
                _ => *en,
            })
            .unwrap_or(&self.0)
    }
}

impl TryFrom<String> for CountryCode {
    type Error = DomainError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> Self {
        code.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Names of the countries where co-op networks are active today; others fall back to their code.
const NAMES: &[(&str, &str, &str, &str)] = &[
    ("AR", "Argentina", "Argentina", "Argentina"),
    ("AU", "Australia", "Australia", "Austrália"),
    ("BO", "Bolivia", "Bolivia", "Bolívia"),
    ("BR", "Brazil", "Brasil", "Brasil"),
    ("CA", "Canada", "Canadá", "Canadá"),
    ("CL", "Chile", "Chile", "Chile"),
    ("CO", "Colombia", "Colombia", "Colômbia"),
    ("DE", "Germany", "Alemania", "Alemanha"),
    ("ES", "Spain", "España", "Espanha"),
    ("FR", "France", "Francia", "França"),
    ("GB", "United Kingdom", "Reino Unido", "Reino Unido"),
    ("IN", "India", "India", "Índia"),
    ("IT", "Italy", "Italia", "Itália"),
    ("KE", "Kenya", "Kenia", "Quênia"),
    ("MX", "Mexico", "México", "México"),
    ("NL", "Netherlands", "Países Bajos", "Países Baixos"),
    ("NZ", "New Zealand", "Nueva Zelanda", "Nova Zelândia"),
    ("PE", "Peru", "Perú", "Peru"),
    ("PT", "Portugal", "Portugal", "Portugal"),
    ("PY", "Paraguay", "Paraguay", "Paraguai"),
    ("US", "United States", "Estados Unidos", "Estados Unidos"),
    ("UY", "Uruguay", "Uruguay", "Uruguai"),
    ("ZA", "South Africa", "Sudáfrica", "África do Sul"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lower_case_code_with_spaces_is_normalised() {
        assert_eq!(CountryCode::parse(" ar ").map(|c| c.0), Ok("AR".to_owned()));
    }

    #[test]
    fn codes_that_are_not_two_letters_are_refused() {
        for raw in ["", "A", "ARG", "A1", "ñu"] {
            assert!(CountryCode::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn a_known_country_is_named_in_each_language_and_an_unknown_one_by_its_code() {
        let es = CountryCode::parse("ES").unwrap();
        assert_eq!(es.name("en"), "Spain");
        assert_eq!(es.name("es"), "España");
        assert_eq!(es.name("pt"), "Espanha");
        assert_eq!(CountryCode::parse("JP").unwrap().name("en"), "JP");
    }
}
