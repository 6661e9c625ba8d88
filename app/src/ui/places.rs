//! A place box: a text field that suggests places from the offline list as one types (an ARIA combobox: arrow keys,
//! Enter, Escape, or a click). The box is drawn on the server and works without JavaScript as a plain text field
//! (the server looks the text up); [`PlaceScript`], a small island that draws nothing, makes it suggest. A chosen
//! place fills other fields of the form, named in `data-fill` (e.g. `lat:place-lat lon:place-lon`); typing clears
//! those named in `data-clear`.

use leptos::prelude::*;
use leptos_i18n::Locale as _;

use crate::i18n::{t, t_string, use_i18n};

/// One place box. `fill` and `clear` name the fields a choice fills in and typing clears (`key:id` pairs, keys
/// `country`, `city`, `lat`, `lon`); coordinates are written with `digits` decimals.
#[component]
pub fn PlaceInput(
    id: &'static str,
    /// The form field's name; none for a finder that only fills other fields.
    #[prop(optional)]
    name: Option<&'static str>,
    value: String,
    #[prop(optional)] required: bool,
    described_by: &'static str,
    fill: &'static str,
    #[prop(optional)] clear: &'static str,
    digits: u8,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = format!("{id}-list");
    view! {
        <div class="place-input">
            <input
                id=id
                name=name
                type="text"
                autocomplete="off"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=list.clone()
                aria-expanded="false"
                aria-describedby=described_by
                required=required
                value=value
                data-fill=fill
                data-clear=clear
                data-digits=digits.to_string()
            />
            <ul
                id=list
                role="listbox"
                class="place-suggestions"
                hidden
                data-lang=i18n.get_locale().as_str()
                // "# people": the script puts each place's population in place of the #.
                data-people=t_string!(i18n, places.people, count = "#")
            ></ul>
            <PlaceScript id=id.to_owned() />
        </div>
    }
}

/// The search form's place field: the place box and the chosen point's hidden latitude and longitude (set by a
/// suggestion, cleared by typing; left out of the query while empty).
#[component]
pub fn SearchPlace(value: String, lat: String, lon: String) -> impl IntoView {
    let (lat_off, lon_off) = (lat.is_empty(), lon.is_empty());
    view! {
        <PlaceInput
            id="place"
            name="place"
            value
            required=true
            described_by="place-hint"
            fill="lat:place-lat lon:place-lon"
            clear="lat:place-lat lon:place-lon"
            digits=4
        />
        <input type="hidden" id="place-lat" name="lat" value=lat disabled=lat_off />
        <input type="hidden" id="place-lon" name="lon" value=lon disabled=lon_off />
    }
}

/// A co-op's place: the town finder (offline place list) fills in country, city and coordinates, each staying
/// editable. Without JavaScript, leaving the coordinates empty makes the server look the city up.
#[component]
pub fn CoopPlaceFields(country: String, city: String, lat: String, lon: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for="place-finder">{t!(i18n, coops.find_town)}</label>
        <PlaceInput
            id="place-finder"
            value=String::new()
            described_by="place-finder-hint"
            fill="country:country city:city lat:lat lon:lon"
            digits=5
        />
        <p id="place-finder-hint" class="hint">{t!(i18n, coops.find_town_hint)}</p>
        <label for="country">{t!(i18n, coops.field_country)}</label>
        <input id="country" name="country" required minlength="2" maxlength="2" value=country aria-describedby="country-hint" />
        <p id="country-hint" class="hint">{t!(i18n, coops.country_hint)}</p>
        <label for="city">{t!(i18n, coops.field_city)}</label>
        <input id="city" name="city" required maxlength="120" value=city />
        <fieldset class="coordinates">
            <legend>{t!(i18n, coops.field_location)}</legend>
            <p class="hint">{t!(i18n, coops.location_hint)}</p>
            <label for="lat">{t!(i18n, coops.field_lat)}</label>
            <input id="lat" name="lat" inputmode="decimal" value=lat />
            <label for="lon">{t!(i18n, coops.field_lon)}</label>
            <input id="lon" name="lon" inputmode="decimal" value=lon />
        </fieldset>
    }
}

/// Makes the place box `id` suggest places as one types. It draws nothing: it listens on the window (the box's
/// events bubble there) and writes the suggestions into the box's list as plain DOM nodes.
#[island(lazy)]
fn PlaceScript(id: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    place_script::start(id);
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(feature = "hydrate")]
mod place_script {
    use leptos::ev;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, HtmlElement, HtmlInputElement};

    use crate::views::search::PlaceHit;

    /// Suggestions are asked for from this many characters on.
    const MIN_CHARS: usize = 2;

    #[derive(Default)]
    struct Shown {
        places: Vec<PlaceHit>,
        active: Option<usize>,
        /// The latest question asked; older answers that arrive later are dropped.
        asked: u32,
    }

    fn by_id<T: JsCast>(id: &str) -> Option<T> {
        document().get_element_by_id(id)?.dyn_into().ok()
    }

    /// The element an event happened on, when it is `id` or inside it.
    fn is_on(event: &web_sys::Event, id: &str) -> Option<Element> {
        let target = event.target()?.dyn_into::<Element>().ok()?;
        target.closest(&format!("#{id}")).ok().flatten().map(|_| target)
    }

    pub fn start(id: String) {
        let list_id = format!("{id}-list");
        let shown = StoredValue::new(Shown::default());
        let field = {
            let id = id.clone();
            move || by_id::<HtmlInputElement>(&id)
        };
        let list = {
            let list_id = list_id.clone();
            move || by_id::<HtmlElement>(&list_id)
        };

        let draw = {
            let (field, list, list_id) = (field.clone(), list.clone(), list_id.clone());
            move || {
                let (Some(field), Some(list)) = (field(), list()) else { return };
                let lang = list.get_attribute("data-lang").unwrap_or_default();
                let people = list.get_attribute("data-people").unwrap_or_default();
                list.set_inner_html("");
                shown.with_value(|shown| {
                    for (i, place) in shown.places.iter().enumerate() {
                        let Ok(li) = document().create_element("li") else { continue };
                        li.set_id(&format!("{list_id}-{i}"));
                        li.set_class_name("place-option");
                        li.set_attribute("role", "option").ok();
                        li.set_attribute("data-index", &i.to_string()).ok();
                        li.set_attribute("aria-selected", if shown.active == Some(i) { "true" } else { "false" }).ok();
                        if let Ok(name) = document().create_element("strong") {
                            name.set_text_content(Some(&place.name));
                            li.append_child(&name).ok();
                        }
                        let country = place.country.name(&lang);
                        li.append_child(&document().create_text_node(&format!(" · {country} · "))).ok();
                        if let Ok(hint) = document().create_element("span") {
                            hint.set_class_name("hint");
                            hint.set_text_content(Some(&people.replace('#', &place.population.to_string())));
                            li.append_child(&hint).ok();
                        }
                        list.append_child(&li).ok();
                    }
                    let open = !shown.places.is_empty();
                    list.set_hidden(!open);
                    field.set_attribute("aria-expanded", if open { "true" } else { "false" }).ok();
                    match shown.active.filter(|_| open) {
                        Some(i) => field.set_attribute("aria-activedescendant", &format!("{list_id}-{i}")).ok(),
                        None => field.remove_attribute("aria-activedescendant").ok(),
                    };
                });
            }
        };

        let close = {
            let draw = draw.clone();
            move || {
                shown.update_value(|shown| {
                    shown.places.clear();
                    shown.active = None;
                    shown.asked += 1;
                });
                draw();
            }
        };

        // Fills in or clears the fields named in the box's `data-fill` / `data-clear`.
        let set_fields = {
            let field = field.clone();
            move |attribute: &str, place: Option<&PlaceHit>| {
                let Some(field) = field() else { return };
                let digits = field.get_attribute("data-digits").and_then(|d| d.parse().ok()).unwrap_or(4);
                for pair in field.get_attribute(attribute).unwrap_or_default().split_whitespace() {
                    let Some((key, target)) = pair.split_once(':') else { continue };
                    let Some(target) = by_id::<HtmlInputElement>(target) else { continue };
                    let value = match (key, place) {
                        (_, None) => String::new(),
                        ("country", Some(p)) => p.country.as_str().to_owned(),
                        ("city", Some(p)) => p.name.clone(),
                        ("lat", Some(p)) => format!("{:.*}", digits, p.lat),
                        ("lon", Some(p)) => format!("{:.*}", digits, p.lon),
                        _ => continue,
                    };
                    target.set_value(&value);
                    if target.type_() == "hidden" {
                        target.set_disabled(value.is_empty());
                    }
                }
            }
        };

        let pick = {
            let (field, close, set_fields) = (field.clone(), close.clone(), set_fields.clone());
            move |index: usize| {
                let Some(place) = shown.with_value(|shown| shown.places.get(index).cloned()) else { return };
                if let Some(field) = field() {
                    field.set_value(&place.label());
                }
                set_fields("data-fill", Some(&place));
                close();
            }
        };

        let on_input = {
            let (id, field, close, draw) = (id.clone(), field.clone(), close.clone(), draw.clone());
            move |ev: ev::Event| {
                if is_on(&ev, &id).is_none() {
                    return;
                }
                let Some(field) = field() else { return };
                set_fields("data-clear", None);
                let query = field.value();
                if query.trim().chars().count() < MIN_CHARS {
                    close();
                    return;
                }
                let asked = shown.with_value(|shown| shown.asked) + 1;
                shown.update_value(|shown| shown.asked = asked);
                let draw = draw.clone();
                leptos::task::spawn_local(async move {
                    let places = fetch_places(&query).await;
                    if shown.with_value(|shown| shown.asked) == asked {
                        shown.update_value(|shown| {
                            shown.places = places;
                            shown.active = None;
                        });
                        draw();
                    }
                });
            }
        };

        let on_keydown = {
            let (id, close, draw, pick) = (id.clone(), close.clone(), draw.clone(), pick.clone());
            move |ev: ev::KeyboardEvent| {
                if is_on(&ev, &id).is_none() {
                    return;
                }
                let (count, active) = shown.with_value(|shown| (shown.places.len(), shown.active));
                let step = |to: usize| {
                    shown.update_value(|shown| shown.active = Some(to));
                    draw();
                };
                match ev.key().as_str() {
                    "ArrowDown" if count > 0 => {
                        ev.prevent_default();
                        step(active.map_or(0, |i| (i + 1) % count));
                    }
                    "ArrowUp" if count > 0 => {
                        ev.prevent_default();
                        step(active.map_or(count - 1, |i| (i + count - 1) % count));
                    }
                    "Enter" => {
                        if let Some(i) = active.filter(|_| count > 0) {
                            ev.prevent_default();
                            pick(i);
                        }
                    }
                    "Escape" => close(),
                    _ => {}
                }
            }
        };

        // mousedown, not click: the field would lose focus (and close the list) first.
        let on_mousedown = {
            let (list_id, pick) = (list_id.clone(), pick.clone());
            move |ev: ev::MouseEvent| {
                let Some(target) = is_on(&ev, &list_id) else { return };
                let Some(option) = target.closest("li[data-index]").ok().flatten() else { return };
                ev.prevent_default();
                if let Some(index) = option.get_attribute("data-index").and_then(|i| i.parse().ok()) {
                    pick(index);
                }
            }
        };

        let on_focusout = move |ev: ev::FocusEvent| {
            if is_on(&ev, &id).is_some() {
                close();
            }
        };

        window_event_listener(ev::input, on_input);
        window_event_listener(ev::keydown, on_keydown);
        window_event_listener(ev::mousedown, on_mousedown);
        window_event_listener(ev::focusout, on_focusout);
    }

    /// Suggestions for `query` from `places/suggest`, by a plain `fetch` (the server function's client code would
    /// weigh more than the whole place box); none when the server cannot be reached.
    async fn fetch_places(query: &str) -> Vec<PlaceHit> {
        use crate::api::search::SuggestPlaces;
        use leptos::server_fn::ServerFn as _;
        use wasm_bindgen_futures::JsFuture;
        let address = format!(
            "{}?{}",
            SuggestPlaces::PATH,
            form_urlencoded::Serializer::new(String::new()).append_pair("q", query).finish()
        );
        let Ok(answer) = JsFuture::from(window().fetch_with_str(&address)).await else { return Vec::new() };
        let Ok(answer) = answer.dyn_into::<web_sys::Response>() else { return Vec::new() };
        if !answer.ok() {
            return Vec::new();
        }
        let Ok(text) = answer.text() else { return Vec::new() };
        let Ok(text) = JsFuture::from(text).await else { return Vec::new() };
        text.as_string().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
    }
}
