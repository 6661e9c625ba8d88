//! The browser entry point. Pages are server-rendered HTML; only their islands (the map, the place boxes, the
//! calendar editor, the page script) are hydrated, each from its own `<leptos-island>` element.

// The islands are exported from the `app` crate: it must be linked in, or their exports are left out.
#[allow(unused_imports)]
use app::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function called from an island that answers with a redirect moves the whole page there.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    leptos::mount::hydrate_islands();
}
