//! The offline world map: country outlines from the app's own `/geo/world.svg#land` (Natural Earth, drawn in map
//! units so it needs no placement) with pins on top, clustered where they would overlap. The first view is rendered on the server (fitted to the pins, pins are plain
//! links), so it reads without JavaScript; with it, the map pans (drag, arrow keys), zooms (wheel, buttons, + and −),
//! opens clusters with a click, and reports a clicked point to the page (searching there). Nothing comes from
//! another host.

use leptos::prelude::*;

use crate::domain::map::{self, View};
use crate::i18n::{t, t_string, use_i18n};

/// One pin: a place to mark, what to call it and where a click on it leads.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MapPin {
    /// What the pin stands for (an offer id, a stop), written to `data-pins` so a page and its tests can tell.
    pub key: String,
    pub lat: f64,
    pub lon: f64,
    pub label: String,
    pub href: Option<String>,
}

/// A pin's radius and a cluster's, in screen pixels.
const PIN_PIXELS: f64 = 7.0;
const CLUSTER_PIN_PIXELS: f64 = 16.0;
/// A pointer that moves further than this between press and release is panning, not clicking.
const DRAG_PIXELS: f64 = 4.0;

/// The map: the page's pins, with place names and, without JavaScript too, clusters that open (links to this
/// page with the closer view in `map=`, or the list of pins that no zoom separates with `open=`). `route` draws a
/// line through the pins in order (a trip). With `pick`, a click on the map itself (not on a pin) opens that
/// address with the clicked point added (`&place=…&lat=…&lon=…`): a search there.
#[component]
pub fn WorldMap(
    pins: Vec<MapPin>,
    /// What the map shows, for screen readers.
    label: String,
    route: bool,
    /// A search address without place, latitude and longitude, ending in `?` or `&`.
    #[prop(optional)]
    pick: Option<String>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let places = crate::server::places::map_labels(&pins.iter().map(|p| (p.lat, p.lon)).collect::<Vec<_>>());
    #[cfg(not(feature = "ssr"))]
    let places = Vec::new();
    let location = leptos_router::hooks::use_location();
    let query = location.query.get_untracked();
    let start = query.get("map").and_then(|v| View::parse(&v));
    let open = query.get("open").and_then(|v| v.parse::<usize>().ok());
    // This page's address without the map's own parameters, ready for them.
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(location.search.get_untracked().trim_start_matches('?').as_bytes()) {
        if name != "map" && name != "open" {
            kept.append_pair(&name, &value);
        }
    }
    let kept = kept.finish();
    let here = format!("{}?{kept}{}", location.pathname.get_untracked(), if kept.is_empty() { "" } else { "&" });
    view! { <MapIsland pins label route pick places start open here /> }
}

/// The map's interactive part, a lazy island: its code is a separate WebAssembly chunk, loaded by the pages that
/// show a map.
#[island(lazy)]
fn MapIsland(
    pins: Vec<MapPin>,
    label: String,
    route: bool,
    pick: Option<String>,
    /// Place names that may be drawn, most populous first: (name, latitude, longitude).
    places: Vec<(String, f64, f64)>,
    /// The view to start from (from the address), else the one that fits the pins.
    start: Option<View>,
    /// The cluster (by its index at `start`) whose pins are listed under the map.
    open: Option<usize>,
    /// This page's address, ending in `?` or `&`, for the links that open clusters.
    here: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let points = StoredValue::new(pins.iter().map(|p| map::project(p.lat, p.lon)).collect::<Vec<_>>());
    let pins = StoredValue::new(pins);
    let view = RwSignal::new(start.unwrap_or_else(|| View::fit(&points.read_value())));
    // The map's drawn width in pixels: assumed until the browser measures it.
    let screen_width = RwSignal::new(map::SCREEN_WIDTH);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    Effect::new(move |_| {
        if let Some((_, _, width, _)) = svg_ref.get().and_then(|svg| bounds_of_target(svg.as_ref())) {
            screen_width.set(width.max(1.0));
        }
    });
    let units_per_pixel = move || view.get().width / screen_width.get();
    let clusters = Memo::new(move |_| map::cluster(&points.read_value(), map::CLUSTER_PIXELS * units_per_pixel()));

    // Dragging: where the pointer went down, the view then, and whether it has moved enough to be a pan.
    let press = StoredValue::new(None::<(f64, f64, View, bool)>);
    let moved = StoredValue::new(false);
    let on_pointerdown = move |ev: leptos::ev::PointerEvent| {
        if ev.button() == 0 {
            press.set_value(Some((f64::from(ev.client_x()), f64::from(ev.client_y()), view.get_untracked(), false)));
            moved.set_value(false);
        }
    };
    let on_pointermove = move |ev: leptos::ev::PointerEvent| {
        let Some((x0, y0, start, dragging)) = press.get_value() else { return };
        let (dx, dy) = (f64::from(ev.client_x()) - x0, f64::from(ev.client_y()) - y0);
        if !dragging && dx.hypot(dy) < DRAG_PIXELS {
            return;
        }
        if !dragging {
            capture_pointer(&ev);
            press.set_value(Some((x0, y0, start, true)));
            moved.set_value(true);
        }
        let scale = start.width / screen_width.get_untracked();
        view.set(start.panned(-dx * scale, -dy * scale));
    };
    let on_pointerup = move |_: leptos::ev::PointerEvent| press.set_value(None);
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        let Some(point) = map_point(&ev, view.get_untracked()) else { return };
        ev.prevent_default();
        let factor = if ev.delta_y() < 0.0 { 1.5 } else { 1.0 / 1.5 };
        view.update(|v| *v = v.zoomed(factor, point.0, point.1));
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if moved.get_value() {
            moved.set_value(false);
            return;
        }
        if let (Some(pick), Some((x, y))) = (pick.as_deref(), map_point(&ev, view.get_untracked())) {
            let (lat, lon) = map::unproject(x, y);
            let (lat, lon) = (format!("{lat:.4}"), format!("{lon:.4}"));
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("place", &format!("{lat}, {lon}"))
                .append_pair("lat", &lat)
                .append_pair("lon", &lon)
                .finish();
            go_to(&format!("{pick}{query}"));
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let v = view.get_untracked();
        let step = v.width / 8.0;
        let next = match ev.key().as_str() {
            "ArrowLeft" => v.panned(-step, 0.0),
            "ArrowRight" => v.panned(step, 0.0),
            "ArrowUp" => v.panned(0.0, -step),
            "ArrowDown" => v.panned(0.0, step),
            "+" | "=" => v.zoomed(2.0, v.cx, v.cy),
            "-" => v.zoomed(0.5, v.cx, v.cy),
            _ => return,
        };
        ev.prevent_default();
        view.set(next);
    };
    let zoom = move |factor: f64| view.update(|v| *v = v.zoomed(factor, v.cx, v.cy));
    // The pins of a cluster that no zoom separates (the same spot), listed under the map.
    let listed = RwSignal::new(open.and_then(|i| clusters.get_untracked().get(i).map(|c| c.members.clone())));
    // Opening a cluster: closer on its pins; when the map is as close as it goes, the list of its pins instead.
    let open_cluster = move |members: &[usize], at: (f64, f64)| {
        let spots: Vec<(f64, f64)> = {
            let points = points.read_value();
            members.iter().filter_map(|&i| points.get(i).copied()).collect()
        };
        match view.get_untracked().closer_on(&spots, at) {
            Some(next) => {
                listed.set(None);
                view.set(next);
            }
            None => listed.set(Some(members.to_vec())),
        }
    };

    let places = StoredValue::new(places);
    let labels = move || {
        let places = places.read_value();
        let (v, r) = (view.get(), units_per_pixel());
        map::place_labels(&v, screen_width.get(), &places)
            .into_iter()
            .filter_map(|i| places.get(i))
            .map(|(name, lat, lon)| {
                let (x, y) = map::project(*lat, *lon);
                view! {
                    <g class="map-place">
                        <circle cx=format!("{x:.2}") cy=format!("{y:.2}") r=format!("{:.2}", 2.0 * r) />
                        <text x=format!("{:.2}", x + 4.0 * r) y=format!("{:.2}", y - 2.0 * r)
                            font-size=format!("{:.2}", map::LABEL_PIXELS * r) stroke-width=format!("{:.2}", 3.0 * r)>
                            {name.clone()}
                        </text>
                    </g>
                }
            })
            .collect_view()
    };
    let route_points =
        move || points.read_value().iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let marks = move || {
        let pins = pins.read_value();
        let r = units_per_pixel();
        clusters
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, cluster)| {
                let (x, y) = (format!("{:.1}", cluster.x), format!("{:.1}", cluster.y));
                let keys = cluster.members.iter().filter_map(|&i| pins.get(i)).map(|p| p.key.as_str()).collect::<Vec<_>>();
                let data = keys.join(",");
                if let [only] = cluster.members[..]
                    && let Some(pin) = pins.get(only)
                {
                    let label = pin.label.clone();
                    let circle = view! { <circle cx=x cy=y r=format!("{:.1}", PIN_PIXELS * r) stroke-width=format!("{:.1}", 2.0 * r) /> };
                    // An SVG link takes no name from its <title> in every screen reader (nor in axe).
                    let name = label.clone();
                    match pin.href.clone() {
                        Some(href) => view! {
                            <g class="map-pin" data-pins=data>
                                <a href=href aria-label=name on:click=|ev: leptos::ev::MouseEvent| ev.stop_propagation()>
                                    <title>{label}</title>
                                    {circle}
                                </a>
                            </g>
                        }
                        .into_any(),
                        None => view! {
                            <g class="map-pin" data-pins=data>
                                <title>{label}</title>
                                {circle}
                            </g>
                        }
                        .into_any(),
                    }
                } else {
                    let count = cluster.members.len();
                    let at = (cluster.x, cluster.y);
                    let members = StoredValue::new(cluster.members.clone());
                    let names =
                        cluster.members.iter().filter_map(|&i| pins.get(i)).map(|p| p.label.as_str()).collect::<Vec<_>>().join(", ");
                    // Without JavaScript the link opens this page closer on the cluster (or with its pins listed).
                    let href = {
                        let v = view.get();
                        let spots: Vec<(f64, f64)> = {
                            let points = points.read_value();
                            cluster.members.iter().filter_map(|&i| points.get(i).copied()).collect()
                        };
                        match v.closer_on(&spots, at) {
                            Some(next) => format!("{here}map={}#map", next.to_param()),
                            None => format!("{here}map={}&open={index}#map", v.to_param()),
                        }
                    };
                    view! {
                        <g class="map-cluster" data-pins=data>
                            <a
                                href=href
                                aria-label=format!("{count} {}", t_string!(i18n, map.cluster))
                                on:click=move |ev: leptos::ev::MouseEvent| {
                                    ev.prevent_default();
                                    ev.stop_propagation();
                                    open_cluster(&members.read_value(), at);
                                }
                            >
                                <title>{format!("{count}: {names}")}</title>
                                <circle cx=x.clone() cy=y.clone() r=format!("{:.1}", CLUSTER_PIN_PIXELS * r) stroke-width=format!("{:.1}", 2.0 * r) />
                                <text x=x y=y dy=format!("{:.1}", 5.0 * r) font-size=format!("{:.1}", 14.0 * r) text-anchor="middle">
                                    {count}
                                </text>
                            </a>
                        </g>
                    }
                    .into_any()
                }
            })
            .collect_view()
    };

    view! {
        <figure class="world-map" id="map">
            <svg
                node_ref=svg_ref
                class="map-canvas"
                viewBox=move || view.get().view_box()
                role="group"
                aria-label=label
                tabindex="0"
                data-pin-count=move || pins.read_value().len()
                on:pointerdown=on_pointerdown
                on:pointermove=on_pointermove
                on:pointerup=on_pointerup
                on:pointercancel=on_pointerup
                on:wheel=on_wheel
                on:click=on_click
                on:keydown=on_keydown
            >
                // The outlines by reference, so they stay vector (crisp hairline borders) at every zoom.
                <use href="/geo/world.svg#land" />
                {labels}
                {route.then(|| view! {
                    <polyline class="map-route" points=route_points fill="none" />
                })}
                {marks}
            </svg>
            <div class="map-controls">
                <button type="button" on:click=move |_| zoom(2.0) aria-label=move || t_string!(i18n, map.zoom_in)>"+"</button>
                <button type="button" on:click=move |_| zoom(0.5) aria-label=move || t_string!(i18n, map.zoom_out)>"−"</button>
                <button type="button" on:click=move |_| view.set(View::fit(&points.read_value()))>{t!(i18n, map.fit)}</button>
                <button type="button" on:click=move |_| view.set(View::world())>{t!(i18n, map.world)}</button>
            </div>
            {move || {
                listed.get().map(|members| {
                    let count = members.len();
                    let items = {
                        let pins = pins.read_value();
                        members
                            .iter()
                            .filter_map(|&i| pins.get(i))
                            .map(|pin| {
                                let label = pin.label.clone();
                                match pin.href.clone() {
                                    Some(href) => view! { <li><a href=href>{label}</a></li> }.into_any(),
                                    None => view! { <li>{label}</li> }.into_any(),
                                }
                            })
                            .collect_view()
                    };
                    view! {
                        <div class="map-cluster-list" role="region" aria-live="polite">
                            <p>{t!(i18n, map.together, count)}</p>
                            <ul>{items}</ul>
                            <button type="button" on:click=move |_| listed.set(None)>{t!(i18n, map.close_list)}</button>
                        </div>
                    }
                })
            }}
            <figcaption class="hint">{t!(i18n, map.credit)}</figcaption>
        </figure>
    }
}

/// The map point under a mouse event, in map units.
fn map_point(ev: &leptos::ev::MouseEvent, view: View) -> Option<(f64, f64)> {
    let svg = ev.current_target()?;
    let (left, top, width, height) = bounds_of_target(&svg)?;
    let (fx, fy) = ((f64::from(ev.client_x()) - left) / width, (f64::from(ev.client_y()) - top) / height);
    Some((view.cx - view.width / 2.0 + fx * view.width, view.cy - view.height() / 2.0 + fy * view.height()))
}

#[cfg(feature = "hydrate")]
fn bounds_of_target(target: &leptos::web_sys::EventTarget) -> Option<(f64, f64, f64, f64)> {
    use leptos::wasm_bindgen::JsCast;
    let rect = target.dyn_ref::<leptos::web_sys::Element>()?.get_bounding_client_rect();
    (rect.width() > 0.0 && rect.height() > 0.0).then(|| (rect.left(), rect.top(), rect.width(), rect.height()))
}

#[cfg(not(feature = "hydrate"))]
fn bounds_of_target(_: &leptos::web_sys::EventTarget) -> Option<(f64, f64, f64, f64)> {
    None
}

/// Opens another page (islands have no client-side router).
fn go_to(href: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(href);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}

/// Keeps the pointer's events on the map while panning, even when it leaves it.
fn capture_pointer(ev: &leptos::ev::PointerEvent) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(svg) = ev.current_target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()) {
            // Fails only when the pointer is already gone; panning then simply ends.
            let _ = svg.set_pointer_capture(ev.pointer_id());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
