//! Rules of the safety tools that need no database: what counts as a link in a new account's first message.

/// Whether `text` holds a web address: a scheme (`http://`, `https://`), `www.`, or a word that ends in a dot and a
/// common top-level domain (`example.com/page`). New accounts may not put one in a first message: it is how most
/// spam and scams arrive.
pub fn contains_link(text: &str) -> bool {
    const TLDS: [&str; 16] =
        ["com", "net", "org", "io", "info", "biz", "xyz", "top", "ru", "cn", "link", "ly", "me", "co", "app", "site"];
    let lower = text.to_lowercase();
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return true;
    }
    lower.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '"' | '\'' | ',')).any(|word| {
        let host = word.split('/').next().unwrap_or("").trim_end_matches(['.', '!', '?', ':', ';']);
        match host.rsplit_once('.') {
            Some((name, tld)) => {
                !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
                    && TLDS.contains(&tld)
            }
            None => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::contains_link;

    #[test]
    fn addresses_count_as_links() {
        for text in [
            "see https://example.org/x",
            "HTTP://EXAMPLE.COM",
            "visit www.example.es",
            "cheap flights at cheap-flights.com/today",
            "write me at (scam.xyz)",
        ] {
            assert!(contains_link(text), "{text}");
        }
    }

    #[test]
    fn ordinary_sentences_do_not() {
        for text in [
            "Hola! We arrive at 18.30 and leave on the 3rd.",
            "I work on node.js and rust",
            "Thanks... see you soon.",
            "e.g. a desk",
            "",
        ] {
            assert!(!contains_link(text), "{text}");
        }
    }
}
