//! The one folding of place names and what people type, shared by the build script (which folds the GeoNames names
//! into search keys) and the server (which folds the query the same way): transliterated to ASCII, lower case,
//! every run of other characters one space. "São Paulo", "SAO  paulo" and "Sao-Paulo" all become "sao paulo".

/// Folds `text` for accent-, case- and punctuation-insensitive prefix matching.
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut folded = String::with_capacity(ascii.len());
    let mut space = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if space && !folded.is_empty() {
                folded.push(' ');
            }
            space = false;
            folded.push(c.to_ascii_lowercase());
        } else {
            space = true;
        }
    }
    folded
}
