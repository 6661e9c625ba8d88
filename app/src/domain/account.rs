//! What an account and a co-op profile are made of, parsed from form input.

use super::DomainError;

/// Password length bounds (ASVS: at least 8, and long passphrases must fit).
pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// The display name a deleted account keeps, so its stays and messages still have an author; the pages show
/// "a former member" in their language instead (`ui::person_name`).
pub const FORMER_MEMBER: &str = "(former member)";

/// A lower-cased, trimmed e-mail address: a local part of the characters RFC 5322 allows unquoted (dot-atom),
/// one `@`, and a domain of dot-separated labels with at least one dot. Quoted local parts, comments and IP
/// literals are refused: nobody needs them, and mail libraries disagree on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let email = raw.trim().to_lowercase();
        let atom = |part: &str, allowed: &dyn Fn(char) -> bool| {
            !part.is_empty() && part.split('.').all(|piece| !piece.is_empty() && piece.chars().all(allowed))
        };
        let local_char = |c: char| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
        let label_char = |c: char| c.is_alphanumeric() || c == '-';
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                local.len() <= 64
                    && atom(local, &local_char)
                    && domain.contains('.')
                    && atom(domain, &label_char)
                    && domain.split('.').all(|label| !label.starts_with('-') && !label.ends_with('-'))
                    // Reserved for names that must never resolve (RFC 2606): a deleted account's address.
                    && !domain.ends_with(".invalid")
            });
        if valid { Ok(Self(email)) } else { Err(DomainError::InvalidEmail) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a person is shown to others: 1 to 80 characters on one line, trimmed (it goes into e-mail headers).
pub fn display_name(raw: &str) -> Result<String, DomainError> {
    single_line(raw, "display name", 1, 80)
}

/// A password within the length bounds. Whether it is common is checked on the server (the list stays there).
pub fn password_length(raw: &str) -> Result<(), DomainError> {
    let chars = raw.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err(DomainError::PasswordTooShort)
    } else if chars > PASSWORD_MAX_CHARS {
        Err(DomainError::PasswordTooLong)
    } else {
        Ok(())
    }
}

/// A URL-safe identifier: 2 to 64 of `a-z`, `0-9` and inner hyphens.
pub fn slug(raw: &str) -> Result<String, DomainError> {
    let slug = raw.trim().to_lowercase();
    let valid = (2..=64).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if valid { Ok(slug) } else { Err(DomainError::InvalidSlug(raw.to_owned())) }
}

/// Turns a name into a slug suggestion: `Telar Sur Coop` → `telar-sur-coop` (accents dropped).
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(64).collect()
}

/// Characters that reorder how text around them is displayed (Unicode bidi embeddings, overrides and isolates):
/// in a name or a message they can make text read differently from what it is.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text on one line (a name, a title, a city): length bounds in characters, trimmed, and no control characters at
/// all — no line break, no tab, no bidi override.
pub fn single_line(raw: &str, field: &'static str, min: usize, max: usize) -> Result<String, DomainError> {
    if raw.trim().chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(DomainError::ControlCharacters(field));
    }
    bounded_text(raw, field, min, max)
}

/// Free text with length bounds in characters, trimmed, without control characters other than line breaks and
/// tabs, and without bidi overrides.
pub fn bounded_text(raw: &str, field: &'static str, min: usize, max: usize) -> Result<String, DomainError> {
    let text = raw.trim();
    let chars = text.chars().count();
    if text.chars().any(|c| (c.is_control() && c != '\n' && c != '\r' && c != '\t') || is_bidi_control(c)) {
        return Err(DomainError::ControlCharacters(field));
    }
    if chars < min || chars > max {
        return Err(DomainError::Length { field, min, max });
    }
    Ok(text.to_owned())
}

/// An optional web address: empty, or `http(s)://` followed by a host.
pub fn website(raw: &str) -> Result<String, DomainError> {
    let url = raw.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if rest.split('/').next().is_some_and(|host| host.contains('.')) && url.len() <= 200 => {
            Ok(url.to_owned())
        }
        _ => Err(DomainError::InvalidWebsite),
    }
}

/// A list of ISO 639-1 language codes typed as `es, en` or `ES en`: normalised to `es,en`.
pub fn languages(raw: &str) -> Result<String, DomainError> {
    let codes: Vec<String> =
        raw.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_lowercase).collect();
    if codes.iter().any(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_lowercase())) || codes.len() > 20 {
        return Err(DomainError::InvalidLanguages);
    }
    let mut unique = Vec::new();
    for code in codes {
        if !unique.contains(&code) {
            unique.push(code);
        }
    }
    Ok(unique.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Ana@Coop.Example ").unwrap().as_str(), "ana@coop.example");
    }

    #[test]
    fn addresses_without_a_domain_or_with_spaces_are_refused() {
        for raw in [
            "",
            "ana",
            "ana@",
            "@coop.example",
            "ana@coop",
            "ana@coop.",
            "a na@coop.example",
            "a@b@c.d",
            "bad(123@example.org",
            "deleted-7@deleted.invalid",
            "ana\r\n@coop.example",
            "\"ana\"@coop.example",
            "ana..b@coop.example",
            "ana@-coop.example",
            "ana@[127.0.0.1]",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn passwords_shorter_than_8_or_longer_than_128_characters_are_refused() {
        assert_eq!(password_length("1234567"), Err(DomainError::PasswordTooShort));
        assert_eq!(password_length("12345678"), Ok(()));
        assert_eq!(password_length(&"ñ".repeat(128)), Ok(()), "characters, not bytes");
        assert_eq!(password_length(&"a".repeat(129)), Err(DomainError::PasswordTooLong));
    }

    #[test]
    fn a_slug_is_lower_case_ascii_with_inner_hyphens() {
        assert_eq!(slug("Telar-Sur"), Ok("telar-sur".into()));
        for raw in ["a", "-telar", "telar-", "telar sur", "téla", &"a".repeat(65)] {
            assert!(slug(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn a_name_becomes_a_slug_without_accents_or_punctuation() {
        assert_eq!(slugify("  Cooperativa Ñandú & Co. "), "cooperativa-nandu-co");
    }

    #[test]
    fn websites_need_a_scheme_and_a_host() {
        assert_eq!(website(""), Ok(String::new()));
        assert_eq!(website("https://telar.coop.example/about"), Ok("https://telar.coop.example/about".into()));
        for raw in ["telar.coop", "javascript:alert(1)", "https://localhost", "ftp://x.y"] {
            assert!(website(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn languages_are_normalised_and_deduplicated() {
        assert_eq!(languages("ES, en es"), Ok("es,en".into()));
        assert!(languages("spanish").is_err());
    }

    #[test]
    fn a_name_on_one_line_refuses_line_breaks_tabs_and_bidi_overrides() {
        for raw in ["Ana\r\nBcc: x@y.z", "Ana\nB", "Ana\tB", "Ana\u{202E}cod", "Ana\u{2066}B", "Ana\u{85}B"] {
            assert_eq!(display_name(raw), Err(DomainError::ControlCharacters("display name")), "{raw:?}");
        }
        assert_eq!(display_name("  Ana Núñez "), Ok("Ana Núñez".into()));
    }

    #[test]
    fn free_text_keeps_line_breaks_but_refuses_bidi_overrides() {
        assert!(bounded_text("hola\u{202E}chau", "message", 0, 20).is_err());
        assert_eq!(bounded_text("hola\r\n\tchau", "message", 0, 20), Ok("hola\r\n\tchau".into()));
    }

    #[test]
    fn text_with_control_characters_is_refused() {
        assert!(bounded_text("hola\u{0}", "note", 0, 10).is_err());
        assert_eq!(bounded_text(" hola\nchau ", "note", 0, 20), Ok("hola\nchau".into()));
    }
}
