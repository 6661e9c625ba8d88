//! The home page: the directory of co-ops and their offers, filterable by country.

use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::hooks::use_query_map;

use crate::api::coops::list_coops;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::kind_label;
use crate::ui::layout::PageTitle;
use crate::views::coops::{CoopCard, CoopDirectory, OfferCard};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let country = Memo::new(move |_| query.read().get("country").filter(|c| !c.trim().is_empty()));
    let directory = Resource::new(move || country.get(), list_coops);
    let deleted = query.read_untracked().get("deleted").is_some();

    view! {
        <PageTitle title=t_string!(i18n, home.title) />
        {deleted.then(|| view! { <p class="form-done" role="status" id="account-deleted">{t!(i18n, auth.deleted)}</p> })}
        <h1>{t!(i18n, home.title)}</h1>
        <p class="lead">{t!(i18n, home.intro)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match directory.await {
                    Ok(directory) => view! { <Directory directory /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Directory(directory: CoopDirectory) -> impl IntoView {
    let i18n = use_i18n();
    let count = directory.coops.len();
    view! {
        <CountryFilter directory=directory.clone() />
        <section aria-labelledby="coops-heading">
            <h2 id="coops-heading">{t!(i18n, home.coops_heading)}</h2>
            <p id="coop-count" role="status">{t!(i18n, home.coop_count, count = move || count)}</p>
            {if directory.coops.is_empty() {
                view! { <p>{t!(i18n, home.no_coops)}</p> }.into_any()
            } else {
                view! {
                    <ul id="coop-list" class="coop-list">
                        {directory.coops.into_iter().map(|coop| view! { <CoopItem coop /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// A GET form, so the filtered page has its own URL. With JavaScript, choosing a country sends it at once (the
/// page script's `data-autosubmit`); without, the button does.
#[component]
fn CountryFilter(directory: CoopDirectory) -> impl IntoView {
    let i18n = use_i18n();
    let selected = directory.country.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default();
    let options = directory
        .countries
        .into_iter()
        .map(|entry| {
            let code = entry.country.as_str().to_owned();
            let is_selected = code == selected;
            let country = entry.country.clone();
            let label = move || format!("{} ({})", country.name(i18n.get_locale().as_str()), entry.coops);
            view! { <option value=code selected=is_selected>{label}</option> }
        })
        .collect_view();
    view! {
        <form id="coop-filter" class="filter" method="get" action="/" role="search">
            <label for="country">{t!(i18n, home.filter_country)}</label>
            <select id="country" name="country" data-autosubmit="">
                <option value="" selected=selected.is_empty()>{t!(i18n, home.filter_all_countries)}</option>
                {options}
            </select>
            <button type="submit" id="filter-submit">{t!(i18n, home.filter_submit)}</button>
        </form>
    }
}

#[component]
fn CoopItem(coop: CoopCard) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("coop-{}", coop.slug);
    let labelled_by = heading_id.clone();
    let country = coop.country.clone();
    let place = {
        let city = coop.city.clone();
        move || format!("{}, {}", city, country.name(i18n.get_locale().as_str()))
    };
    let languages = coop.languages.join(", ");
    view! {
        <li class="coop-card" data-country=coop.country.as_str().to_owned() data-slug=coop.slug.clone()>
            <article aria-labelledby=labelled_by>
                <h3 id=heading_id>{coop.name}</h3>
                <p class="coop-place">{place}</p>
                <p class="coop-description">{coop.description}</p>
                <p class="coop-languages">{t!(i18n, home.languages)} ": " {languages}</p>
                {(!coop.offers.is_empty()).then(|| view! {
                    <ul class="offer-list" aria-label=move || t_string!(i18n, home.offers_label).to_string()>
                        {coop.offers.into_iter().map(|offer| view! { <OfferItem offer /> }).collect_view()}
                    </ul>
                })}
            </article>
        </li>
    }
}

#[component]
fn OfferItem(offer: OfferCard) -> impl IntoView {
    let i18n = use_i18n();
    let kind = offer.kind;
    let label = move || kind_label(i18n, kind);
    let capacity = offer.capacity;
    let (min, max) = (offer.min_nights, offer.max_nights);
    view! {
        <li class="offer" data-kind=kind.as_str()>
            <span class=format!("offer-kind kind-{kind}")>{label}</span>
            " "
            <a class="offer-title" href=format!("/offers/{}", offer.id)>{offer.title}</a>
            <span class="offer-facts">
                {t!(i18n, home.capacity, capacity)}
                " · "
                {t!(i18n, home.nights, min, max)}
            </span>
        </li>
    }
}

#[component]
fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let detail = error.to_string();
    view! {
        <div class="error" role="alert">
            <p>{t!(i18n, common.error)}</p>
            <p class="error-detail">{detail}</p>
        </div>
    }
}
