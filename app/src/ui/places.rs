//! A place box: a text field that suggests places from the offline list as one types (an ARIA combobox: arrow keys,
//! Enter, Escape, or a click). Without JavaScript it is a plain text field and the server looks the text up.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::views::search::PlaceHit;

/// Suggestions are asked for from this many characters on.
const MIN_CHARS: usize = 2;

/// `on_pick` hears the chosen place. The field keeps what was typed until a
/// place is chosen, then shows its label ("Córdoba, AR").
#[component]
pub fn PlaceInput(
    #[prop(into)] id: String,
    /// The form field's name; none for a finder that only fills other fields.
    #[prop(optional, into)]
    name: Option<String>,
    #[prop(into)] value: String,
    #[prop(optional, into)] required: bool,
    #[prop(optional, into)] described_by: Option<String>,
    #[prop(into)] on_pick: Callback<PlaceHit>,
    /// Called when the text changes by typing (the earlier choice no longer holds).
    #[prop(optional, into)]
    on_type: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(value.clone());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // Browser-only: typing asks the server; the page itself never waits for suggestions.
    let suggestions = LocalResource::new(move || {
        let query = text.get();
        let wanted = open.get();
        async move {
            if !wanted || query.trim().chars().count() < MIN_CHARS {
                return Vec::new();
            }
            fetch_places(query).await
        }
    });
    let current = move || suggestions.get().unwrap_or_default();
    let list_id = format!("{id}-list");
    let list_id_attr = list_id.clone();
    let prefix = list_id.clone();
    let pick = move |place: PlaceHit| {
        text.set(place.label());
        open.set(false);
        active.set(None);
        on_pick.run(place);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = current().len();
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" if open.get_untracked() => {
                if let Some(place) = active.get_untracked().and_then(|i| current().get(i).cloned()) {
                    ev.prevent_default();
                    pick(place);
                }
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let expanded = move || open.get() && !current().is_empty();
    let active_descendant = {
        let prefix = prefix.clone();
        move || active.get().filter(|_| expanded()).map(|i| format!("{prefix}-{i}"))
    };
    view! {
        <div class="place-input">
            <input
                id=id
                name=name
                type="text"
                autocomplete="off"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=list_id_attr.clone()
                aria-expanded=move || expanded().to_string()
                aria-activedescendant=active_descendant
                aria-describedby=described_by
                required=required
                value=value
                prop:value=move || text.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    text.set(typed.clone());
                    open.set(true);
                    active.set(None);
                    if let Some(on_type) = on_type {
                        on_type.run(typed);
                    }
                }
                on:keydown=on_keydown
                on:blur=move |_| open.set(false)
            />
            <ul id=list_id_attr role="listbox" class="place-suggestions" hidden=move || !expanded()>
                <Transition fallback=|| ()>
                    {move || {
                        let prefix = prefix.clone();
                        current()
                            .into_iter()
                            .enumerate()
                            .map(|(i, place)| {
                                let country = place.country.clone();
                                let label = place.name.clone();
                                let population = place.population;
                                view! {
                                    <li
                                        id=format!("{prefix}-{i}")
                                        role="option"
                                        class="place-option"
                                        aria-selected=move || (active.get() == Some(i)).to_string()
                                        // mousedown, not click: the field would lose focus (and close the list) first.
                                        on:mousedown=move |ev| {
                                            ev.prevent_default();
                                            pick(place.clone());
                                        }
                                    >
                                        <strong>{label}</strong>
                                        " · "
                                        <CountryName country />
                                        " · "
                                        <span class="hint">{t!(i18n, places.people, count = population)}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </Transition>
            </ul>
        </div>
    }
}

/// A country's name in the page's language.
#[component]
fn CountryName(country: crate::domain::CountryCode) -> impl IntoView {
    use leptos_i18n::Locale as _;
    let i18n = use_i18n();
    move || country.name(i18n.get_locale().as_str()).to_owned()
}

/// The search form's place field, an island: the place box and the chosen point's hidden latitude and longitude
/// (set by a suggestion, cleared by typing; left out of the query while empty). Without JavaScript it is a text
/// field and the server looks the text up.
#[island(lazy)]
pub fn SearchPlace(value: String, lat: String, lon: String) -> impl IntoView {
    let (lat, lon) = (RwSignal::new(lat), RwSignal::new(lon));
    view! {
        <PlaceInput
            id="place"
            name="place".to_owned()
            value
            required=true
            described_by="place-hint"
            on_pick=Callback::new(move |place: PlaceHit| {
                lat.set(format!("{:.4}", place.lat));
                lon.set(format!("{:.4}", place.lon));
            })
            on_type=Callback::new(move |_| {
                lat.set(String::new());
                lon.set(String::new());
            })
        />
        <input type="hidden" name="lat" value=lat.get_untracked() prop:value=move || lat.get() disabled=move || lat.read().is_empty() />
        <input type="hidden" name="lon" value=lon.get_untracked() prop:value=move || lon.get() disabled=move || lon.read().is_empty() />
    }
}

/// A co-op's place, an island: the town finder (offline place list) fills in country, city and coordinates, each
/// staying editable. Without JavaScript, leaving the coordinates empty makes the server look the city up.
#[island(lazy)]
pub fn CoopPlaceFields(country: String, city: String, lat: String, lon: String) -> impl IntoView {
    let i18n = use_i18n();
    let (country, city) = (RwSignal::new(country), RwSignal::new(city));
    let (lat, lon) = (RwSignal::new(lat), RwSignal::new(lon));
    let pick = Callback::new(move |place: PlaceHit| {
        country.set(place.country.as_str().to_owned());
        city.set(place.name.clone());
        lat.set(format!("{:.5}", place.lat));
        lon.set(format!("{:.5}", place.lon));
    });
    view! {
        <label for="place-finder">{t!(i18n, coops.find_town)}</label>
        <PlaceInput id="place-finder" value=String::new() described_by="place-finder-hint" on_pick=pick />
        <p id="place-finder-hint" class="hint">{t!(i18n, coops.find_town_hint)}</p>
        <label for="country">{t!(i18n, coops.field_country)}</label>
        <input
            id="country"
            name="country"
            required
            minlength="2"
            maxlength="2"
            value=country.get_untracked()
            prop:value=move || country.get()
            on:input=move |ev| country.set(event_target_value(&ev))
            aria-describedby="country-hint"
        />
        <p id="country-hint" class="hint">{t!(i18n, coops.country_hint)}</p>
        <label for="city">{t!(i18n, coops.field_city)}</label>
        <input
            id="city"
            name="city"
            required
            maxlength="120"
            value=city.get_untracked()
            prop:value=move || city.get()
            on:input=move |ev| city.set(event_target_value(&ev))
        />
        <fieldset class="coordinates">
            <legend>{t!(i18n, coops.field_location)}</legend>
            <p class="hint">{t!(i18n, coops.location_hint)}</p>
            <label for="lat">{t!(i18n, coops.field_lat)}</label>
            <input
                id="lat"
                name="lat"
                inputmode="decimal"
                value=lat.get_untracked()
                prop:value=move || lat.get()
                on:input=move |ev| lat.set(event_target_value(&ev))
            />
            <label for="lon">{t!(i18n, coops.field_lon)}</label>
            <input
                id="lon"
                name="lon"
                inputmode="decimal"
                value=lon.get_untracked()
                prop:value=move || lon.get()
                on:input=move |ev| lon.set(event_target_value(&ev))
            />
        </fieldset>
    }
}

/// Suggestions for `query` from `places/suggest`, by a plain `fetch` (the server function's client code would weigh
/// more than the whole place box); none when the server cannot be reached.
async fn fetch_places(query: String) -> Vec<PlaceHit> {
    #[cfg(feature = "hydrate")]
    {
        use crate::api::search::SuggestPlaces;
        use leptos::server_fn::ServerFn as _;
        use leptos::wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let address = format!(
            "{}?{}",
            SuggestPlaces::PATH,
            form_urlencoded::Serializer::new(String::new()).append_pair("q", &query).finish()
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
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = query;
        Vec::new()
    }
}
