//! The search page: a place (typed and looked up in the offline list, chosen from its suggestions, or clicked on the
//! map), a radius, dates, guests, kinds and a language. The query lives in the URL (a GET form), so results can be
//! shared and the back button works, with or without JavaScript. A page of results (20, nearest first) shows in the
//! list and as pins on the map, clustered where they crowd.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::search::{search_offers, suggest_places};
use crate::domain::OfferKind;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::LoadError;
use crate::ui::kind_label;
use crate::ui::layout::PageTitle;
use crate::ui::map::{MapPin, WorldMap};
use crate::ui::places::SearchPlace;
use crate::views::search::{PlaceHit, SearchResults};

/// The URL parameters a search reads; the form writes exactly these.
const PARAMS: [&str; 11] =
    ["place", "lat", "lon", "radius", "check_in", "check_out", "guests", "kind", "lang", "skills", "page"];

/// What the URL asks for, read once per change.
#[derive(Debug, Clone, PartialEq, Default)]
struct Asked {
    values: Vec<(&'static str, String)>,
}

impl Asked {
    fn get(&self, name: &str) -> String {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// This search's URL with some parameters replaced (empty values are left out).
    fn url_with(&self, changes: &[(&str, String)]) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for name in PARAMS {
            let value =
                changes.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_else(|| self.get(name));
            if !value.is_empty() {
                query.append_pair(name, &value);
            }
        }
        format!("/search?{}", query.finish())
    }
}

/// A search's outcome: where it looked, the other places the typed name could mean, and what it found.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Outcome {
    /// No place or no dates yet.
    Nothing,
    /// The typed name is not in the place list.
    UnknownPlace(String),
    Found {
        place: String,
        others: Vec<PlaceHit>,
        results: SearchResults,
    },
}

async fn run(asked: Asked) -> Result<Outcome, AppError> {
    let place = asked.get("place");
    let (Ok(check_in), Ok(check_out)) = (asked.get("check_in").parse(), asked.get("check_out").parse()) else {
        return Ok(Outcome::Nothing);
    };
    let ((lat, lon), label, others) = match (asked.get("lat").parse::<f64>(), asked.get("lon").parse::<f64>()) {
        (Ok(lat), Ok(lon)) => {
            let label = if place.is_empty() { format!("{lat:.3}, {lon:.3}") } else { place };
            ((lat, lon), label, Vec::new())
        }
        _ if place.trim().is_empty() => return Ok(Outcome::Nothing),
        _ => {
            let mut found = suggest_places(place.clone()).await?;
            if found.is_empty() {
                return Ok(Outcome::UnknownPlace(place));
            }
            let best = found.remove(0);
            // Other places of the same name ("Córdoba": Argentina, Spain…), to switch to with one click.
            let name = best.name.to_lowercase();
            found.retain(|p| p.name.to_lowercase() == name);
            ((best.lat, best.lon), best.label(), found)
        }
    };
    let radius = asked.get("radius").parse().unwrap_or(50.0);
    let guests = asked.get("guests").parse().unwrap_or(1);
    let kind = Some(asked.get("kind")).filter(|k| !k.is_empty());
    let lang = Some(asked.get("lang")).filter(|l| !l.is_empty());
    let page = asked.get("page").parse().ok();
    let skills = Some(asked.get("skills")).filter(|s| !s.is_empty());
    let results = search_offers(lat, lon, radius, check_in, check_out, guests, kind, lang, page, skills).await?;
    Ok(Outcome::Found { place: label, others, results })
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let query = query.read();
        Asked { values: PARAMS.iter().map(|name| (*name, query.get(name).unwrap_or_default())).collect() }
    });
    let outcome = Resource::new(move || asked.get(), run);
    // Rendered once, on the server: the form shows what was asked (also without JavaScript).
    let asked_now = asked.get_untracked();
    let value_or = |name: &str, default: &str| {
        let value = asked_now.get(name);
        if value.is_empty() { default.to_owned() } else { value }
    };
    // A click on the map searches there: this search's address without its place and page.
    let pick = {
        let base = asked_now.url_with(&[
            ("place", String::new()),
            ("lat", String::new()),
            ("lon", String::new()),
            ("page", String::new()),
        ]);
        if base.ends_with('?') { base } else { format!("{base}&") }
    };
    let chosen_kind = asked_now.get("kind");
    view! {
        <PageTitle title=t_string!(i18n, search.title) />
        <h1>{t!(i18n, search.title)}</h1>
        <form id="search-form" class="stacked-form search-form" method="get" action="/search" role="search">
            <label for="place">{t!(i18n, search.place)}</label>
            <SearchPlace value=asked_now.get("place") lat=asked_now.get("lat") lon=asked_now.get("lon") />
            <p id="place-hint" class="hint">{t!(i18n, search.place_hint)}</p>
            <div class="form-row">
                <div>
                    <label for="check_in">{t!(i18n, stays.check_in)}</label>
                    <input id="check_in" name="check_in" type="date" required value=value_or("check_in", "") />
                </div>
                <div>
                    <label for="check_out">{t!(i18n, stays.check_out)}</label>
                    <input id="check_out" name="check_out" type="date" required value=value_or("check_out", "") />
                </div>
                <div>
                    <label for="guests">{t!(i18n, stays.guests)}</label>
                    <input id="guests" name="guests" type="number" min="1" max="1000" value=value_or("guests", "1") />
                </div>
                <div>
                    <label for="radius">{t!(i18n, search.radius)}</label>
                    <input id="radius" name="radius" type="number" min="1" max="2000" value=value_or("radius", "50") />
                </div>
                <div>
                    <label for="kind">{t!(i18n, search.kind)}</label>
                    <select id="kind" name="kind">
                        <option value="">{t!(i18n, search.any_kind)}</option>
                        {OfferKind::ALL
                            .iter()
                            .map(|kind| {
                                let kind = *kind;
                                view! {
                                    <option value=kind.as_str() selected=chosen_kind == kind.as_str()>
                                        {kind_label(i18n, kind)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div>
                    <label for="lang">{t!(i18n, search.language)}</label>
                    <input id="lang" name="lang" maxlength="2" size="3" pattern="[A-Za-z]{2}" placeholder="es" aria-describedby="lang-hint" value=value_or("lang", "") />
                </div>
            </div>
            <p id="lang-hint" class="hint">{t!(i18n, search.language_hint)}</p>
            <label class="checkbox">
                <input id="skills" type="checkbox" name="skills" value="mine" checked=asked_now.get("skills") == "mine" aria-describedby="skills-hint" />
                " " {t!(i18n, search.skills_mine)}
            </label>
            <p id="skills-hint" class="hint">{t!(i18n, search.skills_hint)}</p>
            <button type="submit">{t!(i18n, search.submit)}</button>
        </form>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || {
                let pick = pick.clone();
                Suspend::new(async move {
                let outcome = outcome.await;
                // Inside the suspense, so the server renders the map with its pins (no-JS visitors see them too).
                let pins: Vec<MapPin> = match &outcome {
                    Ok(Outcome::Found { results, .. }) => results
                        .hits
                        .iter()
                        .map(|hit| MapPin {
                            key: hit.offer.to_string(),
                            lat: hit.lat,
                            lon: hit.lon,
                            label: format!("{} · {}", hit.title, hit.coop_name),
                            href: Some(format!("/offers/{}", hit.offer)),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let summary = match outcome {
                    Ok(Outcome::Nothing) => view! { <p>{t!(i18n, search.prompt)}</p> }.into_any(),
                    Ok(Outcome::UnknownPlace(place)) => view! {
                        <p id="unknown-place" class="form-error" role="alert">{t!(i18n, search.unknown_place, place = place)}</p>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(Outcome::Found { place, others, results }) => view! { <Results place others results asked /> }.into_any(),
                };
                view! {
                    <div class="search-layout">
                        <section class="search-list">{summary}</section>
                        <section class="search-map">
                            <WorldMap pins label=t_string!(i18n, search.map_label).to_string() route=false pick />
                            <p class="hint">{t!(i18n, map.pick_hint)}</p>
                        </section>
                    </div>
                }
                .into_any()
            })
            }}
        </Suspense>
    }
}

/// Where the search looked, the other places of that name, the list and the pages.
#[component]
fn Results(place: String, others: Vec<PlaceHit>, results: SearchResults, asked: Memo<Asked>) -> impl IntoView {
    let i18n = use_i18n();
    let asked = asked.get_untracked();
    let page: u32 = asked.get("page").parse().unwrap_or(0);
    let switch = (!others.is_empty()).then(|| {
        let links = others
            .into_iter()
            .map(|other| {
                let href = asked.url_with(&[
                    ("place", other.label()),
                    ("lat", format!("{:.4}", other.lat)),
                    ("lon", format!("{:.4}", other.lon)),
                    ("page", String::new()),
                ]);
                view! { <li><a href=href class="other-place">{other.label()}</a></li> }
            })
            .collect_view();
        view! {
            <p>{t!(i18n, search.other_places)}</p>
            <ul class="inline-list">{links}</ul>
        }
    });
    let previous = (page > 0).then(|| {
        let href = asked.url_with(&[("page", if page > 1 { (page - 1).to_string() } else { String::new() })]);
        view! { <a href=href rel="prev">{t!(i18n, search.previous)}</a> }
    });
    let next = results.more.then(|| {
        let href = asked.url_with(&[("page", (page + 1).to_string())]);
        view! { <a href=href rel="next">{t!(i18n, search.next)}</a> }
    });
    view! {
        <p id="search-summary">{t!(i18n, search.summary, place = place.clone())}</p>
        {switch}
        {if results.hits.is_empty() {
            view! { <p id="no-results">{t!(i18n, search.none)}</p> }.into_any()
        } else {
            view! {
                <ol class="stay-list" id="search-results">
                    {results
                        .hits
                        .into_iter()
                        .map(|hit| view! {
                            <li class="stay-line search-hit" data-offer=hit.offer.0.to_string() data-kind=hit.kind.as_str()>
                                <a href=format!("/offers/{}", hit.offer)>{hit.title}</a> " · " {hit.coop_name}
                                <p class="stay-dates">{hit.city} " · " {hit.distance_km} " km · " {t!(i18n, search.free, count = move || hit.free_places)}</p>
                                {hit.reputation.clone().map(|reputation| view! { <crate::ui::trust::ReputationLine reputation /> })}
                                {(!hit.skills_wanted.is_empty()).then(|| view! {
                                    <p class="skills-match">
                                        {t!(i18n, search.asks_for)} " "
                                        {hit.skills_wanted.iter().map(|skill| {
                                            let brought = hit.matching.contains(skill);
                                            let class = if brought { "badge skill brought" } else { "badge" };
                                            view! { <span class=class data-skill=skill.clone() data-brought=brought.to_string()>{skill.clone()}</span> " " }
                                        }).collect_view()}
                                    </p>
                                })}
                            </li>
                        })
                        .collect_view()}
                </ol>
            }
            .into_any()
        }}
        <nav class="pager" aria-label=move || t_string!(i18n, search.pages).to_string()>{previous} " " {next}</nav>
    }
}
