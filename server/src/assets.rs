//! The built site's files in `pkg/`: the script, the WebAssembly and the style sheet.
//!
//! `cargo leptos build --release --precompress` names each file by a hash of its content (`hash-files`, the
//! hashes are written to `hash.txt` beside the server binary) and writes a brotli (quality 11) and a gzip copy
//! beside it. They are served as they are, with the copy the browser accepts, and cached for a year: a new build
//! has new names. Nothing is compressed per request.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// What a browser may keep of a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The name leptos gives the hash file, read beside the running binary.
pub const HASH_FILE: &str = "hash.txt";

/// The hash file beside the running binary, if there is one.
pub fn hash_file() -> Option<PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(HASH_FILE);
    path.is_file().then_some(path)
}

/// The site's three files, as the pages name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFiles {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl SiteFiles {
    /// The names for `output_name` given the hash file's text (`js: …`, `wasm: …`, `css: …` lines), or the plain
    /// names of a build without hashes.
    pub fn named(output_name: &str, hashes: Option<&str>) -> Self {
        let hash_of = |kind: &str| {
            hashes?.lines().find_map(|line| {
                let (file, hash) = line.trim().split_once(':')?;
                (file.trim() == kind).then(|| hash.trim().to_owned())
            })
        };
        let with = |kind: &str, plain: String| match hash_of(kind) {
            Some(hash) => format!("{output_name}.{hash}.{kind}"),
            None => plain,
        };
        SiteFiles {
            js: with("js", format!("{output_name}.js")),
            wasm: with("wasm", format!("{output_name}_bg.wasm")),
            css: with("css", format!("{output_name}.css")),
        }
    }

    pub fn all(&self) -> [&str; 3] {
        [&self.js, &self.wasm, &self.css]
    }
}

/// `/pkg/…` from `site_root/pkg`: precompressed copies where the browser accepts them; with `hashed` names, a
/// year of caching, else a check with the server each time.
pub fn pkg_routes<S: Clone + Send + Sync + 'static>(site_root: &Path, hashed: bool) -> Router<S> {
    let files = ServeDir::new(site_root.join("pkg")).precompressed_br().precompressed_gzip();
    let cache = HeaderValue::from_static(if hashed { IMMUTABLE } else { "no-cache" });
    Router::new().nest_service(
        "/pkg",
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, cache))
            .service(files),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let files = SiteFiles::named("coop-travel", Some("js: abc\nwasm: def\ncss: 012\n"));
        assert_eq!(files.js, "coop-travel.abc.js");
        assert_eq!(files.wasm, "coop-travel.def.wasm");
        assert_eq!(files.css, "coop-travel.012.css");
    }

    #[test]
    fn without_a_hash_file_the_names_are_plain() {
        let files = SiteFiles::named("coop-travel", None);
        assert_eq!(files.all(), ["coop-travel.js", "coop-travel_bg.wasm", "coop-travel.css"]);
    }
}
