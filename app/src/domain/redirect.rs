//! Where the site may send a browser after a form (log-in's `next`, the language switcher's way back): only to a
//! path on this site. One function for every redirect, so no copy can fall behind.

/// Longest `next` followed; anything longer goes home.
const MAX_LEN: usize = 2048;

/// `next` if it is a path on this site, else `/`.
///
/// A path here starts with one `/` and holds no backslash, whitespace or control character anywhere: browsers
/// drop tabs and line breaks from URLs and read `\` as `/`, which turns `/\t/evil.example` or `/\evil.example`
/// into the scheme-relative `//evil.example`. Whatever passes resolves against our own origin, so it cannot name
/// another host, a scheme or a user.
pub fn local_path(next: &str) -> &str {
    let mut chars = next.chars();
    let local = next.len() <= MAX_LEN
        && chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && !next.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control() || is_invisible(c));
    if local { next } else { "/" }
}

/// Format characters that render as nothing (zero-width space and joiners, bidi marks, the BOM).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn paths_on_this_site_are_followed_with_their_query() {
        for next in
            ["/", "/account", "/search?place=Buenos%20Aires&lat=1", "/stays/3#thread", "/%2F/x", "/@evil.example"]
        {
            assert_eq!(local_path(next), next);
        }
    }

    #[test]
    fn every_usual_bypass_goes_home() {
        for next in [
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{200B}/evil.example",
            "https://evil.example/",
            "http:evil.example",
            "javascript:alert(1)",
            "//user:pass@evil.example",
            "%2F%2Fevil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(local_path(next), "/", "{next:?} was followed");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3000))), "/");
    }
}
