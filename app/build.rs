//! Generates the `i18n` module from `locales/*.json`, the embedded place list and world map (`build/geodata.rs`), and
//! makes cargo notice new migration files.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::{Path, PathBuf};

#[path = "build/geodata.rs"]
mod geodata;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    // `sqlx::migrate!` embeds the migrations: rebuild when one is added or edited.
    println!("cargo::rerun-if-changed=../migrations");

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?);
    // The place list and the world map are server-side assets: the browser build does not need them.
    if std::env::var_os("CARGO_FEATURE_SSR").is_some() {
        geodata::generate(Path::new("geodata"), &out_dir)?;
    }
    let i18n_dir = out_dir.join("i18n");
    // Interpolated values may be text as well as views: the refusals (`error::Refusal`) are said as plain strings
    // (`td_string!`) on the server and in the browser alike.
    let config = Config::new("en")?
        .add_locale("es")?
        .add_locale("pt")?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(i18n_dir)?;
    Ok(())
}
