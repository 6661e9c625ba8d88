//! The search page: near a co-op city, on given dates, for a number of guests. The query lives in the URL (a GET
//! form), so results can be shared and the back button works, with or without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::search::search_offers;
use crate::i18n::{t, use_i18n};
use crate::ui::forms::LoadError;

#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let results = Resource::new(
        move || {
            (param("near"), param("radius"), param("check_in"), param("check_out"), param("guests"), param("kinds"))
        },
        |(near, radius, check_in, check_out, guests, kinds)| async move {
            let (Some((lat, lon)), Ok(check_in), Ok(check_out)) = (
                near.split_once(',').and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?))),
                check_in.parse(),
                check_out.parse(),
            ) else {
                return None;
            };
            let radius = radius.parse().unwrap_or(50.0);
            let guests = guests.parse().unwrap_or(1);
            let kinds = (!kinds.is_empty()).then_some(kinds);
            Some(search_offers(lat, lon, radius, check_in, check_out, guests, kinds, None).await)
        },
    );
    view! {
        <h1>{t!(i18n, search.title)}</h1>
        {move || {
                let near = param("near");
                view! {
                    <form id="search-form" class="stacked-form" method="get" action="/search" role="search">
                        <label for="near">{t!(i18n, search.near)}</label>
                        <input id="near" name="near" required value=near placeholder="-34.60,-58.38" aria-describedby="near-hint" />
                        <p id="near-hint" class="hint">{t!(i18n, search.near_hint)}</p>
                        <label for="radius">{t!(i18n, search.radius)}</label>
                        <input id="radius" name="radius" type="number" min="1" max="2000" value=move || { let r = param("radius"); if r.is_empty() { "50".to_owned() } else { r } } />
                        <label for="check_in">{t!(i18n, stays.check_in)}</label>
                        <input id="check_in" name="check_in" type="date" required value=param("check_in") />
                        <label for="check_out">{t!(i18n, stays.check_out)}</label>
                        <input id="check_out" name="check_out" type="date" required value=param("check_out") />
                        <label for="guests">{t!(i18n, stays.guests)}</label>
                        <input id="guests" name="guests" type="number" min="1" max="1000" value=move || { let g = param("guests"); if g.is_empty() { "1".to_owned() } else { g } } />
                        <button type="submit">{t!(i18n, search.submit)}</button>
                    </form>
                }
            }}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match results.await {
                    None => view! { <p>{t!(i18n, search.prompt)}</p> }.into_any(),
                    Some(Err(error)) => view! { <LoadError error /> }.into_any(),
                    Some(Ok(found)) if found.hits.is_empty() => view! { <p id="no-results">{t!(i18n, search.none)}</p> }.into_any(),
                    Some(Ok(found)) => view! {
                        <ol class="stay-list" id="search-results">
                            {found
                                .hits
                                .into_iter()
                                .map(|hit| view! {
                                    <li class="stay-line search-hit" data-offer=hit.offer.0.to_string() data-kind=hit.kind.clone()>
                                        <a href=format!("/offers/{}", hit.offer)>{hit.title}</a> " · " {hit.coop_name}
                                        <p class="stay-dates">{hit.city} " · " {hit.distance_km} " km · " {t!(i18n, search.free, count = hit.free_places)}</p>
                                    </li>
                                })
                                .collect_view()}
                        </ol>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
