//! Trust between co-ops: a member's profile page, the references on a stay's page, a co-op's reputation and
//! ledger on its page, and the profile form of the account page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_i18n::Locale as _;
use leptos_router::hooks::use_params_map;

use crate::api::trust::{UpdateProfile, WriteReference, coop_trust, get_profile, my_profile};
use crate::domain::trust::Side;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ActionError, FormDone, LoadError, refill};
use crate::ui::layout::{PageTitle, summary};
use crate::ui::{person_name, when};
use crate::views::notifications::day;
use crate::views::trust::{Ledger, LedgerLine, ReferenceView, Reputation, StayReferences};

type I18n = leptos_i18n::I18nContext<crate::i18n::Locale>;

fn side_label(i18n: I18n, side: Side) -> &'static str {
    match side {
        Side::Traveller => t_string!(i18n, trust.side_traveller),
        Side::Host => t_string!(i18n, trust.side_host),
    }
}

/// One reference: whether it recommends, who wrote it about whom, when, and its words.
#[component]
fn Reference(reference: ReferenceView) -> impl IntoView {
    let i18n = use_i18n();
    let (class, verdict) = if reference.recommend {
        ("badge recommend-yes", t_string!(i18n, trust.recommends))
    } else {
        ("badge recommend-no", t_string!(i18n, trust.not_recommends))
    };
    let author = person_name(i18n, &reference.author);
    let author = match reference.author_id {
        Some(id) => view! { <a href=format!("/people/{id}")>{author}</a> }.into_any(),
        None => author.into_any(),
    };
    view! {
        <li class="reference" data-side=reference.side.as_str() data-recommend=reference.recommend.to_string()>
            <p class="meta">
                <span class=class>{verdict}</span>
                " " {author} " (" {reference.author_coop.clone()} ") → " {person_name(i18n, &reference.about)}
                " · " {when(i18n, reference.at)}
            </p>
            <p class="reference-body">{reference.body.clone()}</p>
        </li>
    }
}

/// A list of references, or a line saying there are none.
#[component]
fn References(references: Vec<ReferenceView>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    if references.is_empty() {
        return view! { <p id=id>{t!(i18n, trust.none)}</p> }.into_any();
    }
    view! {
        <ul class="references" id=id>
            {references.into_iter().map(|reference| view! { <Reference reference /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The references section of a stay's page: the form while the reader may write, what they may read, what waits.
#[component]
pub fn StayReferencesSection(id: i64, references: StayReferences) -> impl IntoView {
    let i18n = use_i18n();
    let write = ServerAction::<WriteReference>::new();
    // Refused without JavaScript: the words come back as typed.
    let typed = Resource::new(|| (), |_| refill(WriteReference::PATH));
    let Some(last_day) = references.last_day else {
        return ().into_any();
    };
    let locale = i18n.get_locale_untracked();
    let last = day(locale, last_day);
    let waiting: Vec<String> = references
        .waiting
        .iter()
        .map(|side| t_string!(i18n, trust.waiting, side = side_label(i18n, *side), day = last.clone()).to_string())
        .collect();
    let closed = (references.may_write.is_none() && references.shown.is_empty() && references.waiting.is_empty())
        .then(|| t_string!(i18n, trust.nothing_written, day = last.clone()).to_string());
    let form = references.may_write.map(|side| {
        let intro = t_string!(i18n, trust.write_intro, day = last.clone()).to_string();
        let about = match side {
            Side::Traveller => t_string!(i18n, trust.write_about_host),
            Side::Host => t_string!(i18n, trust.write_about_traveller),
        };
        view! {
            <Suspense>
                {move || {
                    let intro = intro.clone();
                    Suspend::new(async move {
                    let typed = typed.await;
                    let recommend_no = typed.get("recommend") == "no";
                    view! {
                        <ActionForm action=write attr:class="stacked-form" attr:id="reference-form">
                            <h3>{about}</h3>
                            <p class="hint">{intro}</p>
                            <input type="hidden" name="id" value=id.to_string() />
                            <fieldset>
                                <legend>{t!(i18n, trust.recommend_legend)}</legend>
                                <label><input type="radio" name="recommend" value="yes" required checked=!recommend_no /> " " {t!(i18n, trust.recommend_yes)}</label>
                                <label><input type="radio" name="recommend" value="no" checked=recommend_no /> " " {t!(i18n, trust.recommend_no)}</label>
                            </fieldset>
                            <label for="reference-body">{t!(i18n, trust.body_label)}</label>
                            <textarea id="reference-body" name="body" rows="4" required maxlength="2000">{typed.get("body")}</textarea>
                            <label for="reference-note">{t!(i18n, trust.note_label)}</label>
                            <textarea id="reference-note" name="private_note" rows="2" maxlength="2000">{typed.get("private_note")}</textarea>
                            <ActionError value=write.value() />
                            <button type="submit">{t!(i18n, trust.submit)}</button>
                        </ActionForm>
                    }
                })}}
            </Suspense>
        }
    });
    let notes = (!references.notes.is_empty()).then(|| {
        view! {
            <h3>{t!(i18n, trust.notes_heading)}</h3>
            <ul class="references" id="reference-notes">
                {references
                    .notes
                    .iter()
                    .map(|n| {
                        let verdict = if n.recommend { t_string!(i18n, trust.recommends) } else { t_string!(i18n, trust.not_recommends) };
                        let note = if n.note.is_empty() { t_string!(i18n, trust.no_note).to_owned() } else { n.note.clone() };
                        view! {
                            <li data-side=n.side.as_str()>
                                <p class="meta">{side_label(i18n, n.side)} " · " {person_name(i18n, &n.author)} " · " {verdict}</p>
                                <p>{note}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section aria-labelledby="references-heading" id="references">
            <h2 id="references-heading">{t!(i18n, trust.references_heading)}</h2>
            <FormDone action=WriteReference::PATH>{t!(i18n, trust.written)}</FormDone>
            {(!references.shown.is_empty()).then(|| view! { <References references=references.shown.clone() id="stay-references" /> })}
            {waiting.into_iter().map(|line| view! { <p class="notice reference-waiting">{line}</p> }).collect_view()}
            {closed.map(|line| view! { <p>{line}</p> })}
            {form}
            {notes}
        </section>
    }
    .into_any()
}

/// The figures of a co-op's reputation, or "new" when there is too little to say.
#[component]
pub fn ReputationLine(reputation: Reputation) -> impl IntoView {
    let i18n = use_i18n();
    if reputation.is_new {
        return view! { <p class="reputation" data-new="true"><span class="badge">{t!(i18n, trust.new_badge)}</span> " " {t!(i18n, trust.is_new)}</p> }.into_any();
    }
    let mut parts = vec![
        t_string!(i18n, trust.reference_count, count = reputation.references, recommended = reputation.recommended)
            .to_string(),
    ];
    if let Some(rate) = reputation.response_rate {
        parts.push(t_string!(i18n, trust.response_rate, rate).to_string());
    }
    if let Some(hours) = reputation.median_answer_hours {
        parts.push(t_string!(i18n, trust.answer_time, count = hours).to_string());
    }
    parts.push(t_string!(i18n, trust.nights_hosted, count = reputation.nights_hosted).to_string());
    view! { <p class="reputation" data-new="false">{parts.join(" · ")}</p> }.into_any()
}

#[component]
fn LedgerTable(
    lines: Vec<LedgerLine>,
    caption: String,
    first: String,
    link: &'static str,
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll">
        <table class="ledger" id=id>
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{first}</th>
                    <th scope="col">{t!(i18n, trust.hosted)}</th>
                    <th scope="col">{t!(i18n, trust.sent)}</th>
                    <th scope="col">{t!(i18n, trust.balance)}</th>
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|l| {
                        let balance = l.balance();
                        view! {
                            <tr data-slug=l.slug.clone()>
                                <th scope="row"><a href=format!("/{link}/{}", l.slug)>{l.name.clone()}</a></th>
                                <td>{l.hosted}</td>
                                <td>{l.sent}</td>
                                <td>{format!("{balance:+}")}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// A co-op's ledger: totals, per partner co-op and per network, and its CSV.
#[component]
fn LedgerView(slug: String, ledger: Ledger) -> impl IntoView {
    let i18n = use_i18n();
    let balance = ledger.balance();
    let empty = ledger.partners.is_empty();
    view! {
        <h3>{t!(i18n, trust.ledger_heading)}</h3>
        <p class="hint">{t!(i18n, trust.ledger_intro)}</p>
        <dl class="facts" id="ledger-totals">
            <dt>{t!(i18n, trust.hosted)}</dt><dd data-figure="hosted">{ledger.hosted}</dd>
            <dt>{t!(i18n, trust.sent)}</dt><dd data-figure="sent">{ledger.sent}</dd>
            <dt>{t!(i18n, trust.balance)}</dt><dd data-figure="balance">{format!("{balance:+}")}</dd>
        </dl>
        {if empty {
            view! { <p>{t!(i18n, trust.ledger_empty)}</p> }.into_any()
        } else {
            view! {
                <LedgerTable lines=ledger.partners caption=t_string!(i18n, trust.by_coop).to_string() first=t_string!(i18n, trust.coop).to_string() link="coops" id="ledger-partners" />
                <LedgerTable lines=ledger.networks caption=t_string!(i18n, trust.by_network).to_string() first=t_string!(i18n, trust.network).to_string() link="networks" id="ledger-networks" />
                <p><a href=format!("/coops/{slug}/ledger.csv") download=format!("{slug}-ledger.csv") id="ledger-csv">{t!(i18n, trust.ledger_csv)}</a></p>
            }
            .into_any()
        }}
    }
}

/// The trust section of a co-op's page: for the members of its networks, its reputation, the references
/// travellers wrote and its ledger; for anyone else, a line saying who sees them.
#[component]
pub fn CoopTrustSection(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    // Asked anonymously, `coops/trust` answers 401: ask only for a logged-in reader.
    let trust = Resource::new(
        move || slug.clone(),
        |slug| async move {
            match crate::api::auth::who_am_i().await {
                Ok(Some(_)) => coop_trust(slug).await.map(Some),
                _ => Ok(None),
            }
        },
    );
    view! {
        <section aria-labelledby="trust-heading" id="coop-trust">
            <h2 id="trust-heading">{t!(i18n, trust.coop_heading)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match trust.await {
                        Ok(Some(trust)) => view! {
                            <ReputationLine reputation=trust.reputation />
                            <h3>{t!(i18n, trust.references_heading)}</h3>
                            <References references=trust.references id="coop-references" />
                            <LedgerView slug=trust.slug ledger=trust.ledger />
                        }
                        .into_any(),
                        // Not for this reader: no figures, and no error either (the rest of the page is public).
                        Ok(None) | Err(_) => view! { <p class="hint" id="trust-members-only">{t!(i18n, trust.members_only)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/people/{id}`: a member's profile, for the members of the networks they share.
#[component]
pub fn PersonPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default());
    let profile = Resource::new(move || id.get(), get_profile);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let p = match profile.await {
                    Ok(p) => p,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let locale = i18n.get_locale_untracked();
                let countries: Vec<String> = p.countries.iter().map(|c| c.name(locale.as_str()).to_owned()).collect();
                let nothing = || t_string!(i18n, trust.nothing_yet).to_owned();
                let or_nothing = |items: &[String]| if items.is_empty() { nothing() } else { items.join(", ") };
                view! {
                    <article class="person-profile" data-person=p.id.0.to_string()>
                        <PageTitle title=person_name(i18n, &p.name) description=summary(&p.bio) />
                        <h1>{person_name(i18n, &p.name)}</h1>
                        {(!p.bio.is_empty()).then(|| view! { <p class="person-bio">{p.bio.clone()}</p> })}
                        {(p.hidden && !p.is_me).then(|| view! { <p class="hint" id="profile-hidden">{t!(i18n, safety.profile_hidden)}</p> })}
                        {(p.hidden && p.is_me).then(|| view! { <p class="notice" id="profile-hidden">{t!(i18n, safety.profile_hidden_own)}</p> })}
                        <dl class="facts">
                            <dt>{t!(i18n, trust.coops)}</dt>
                            <dd>
                                {p.coops
                                    .iter()
                                    .enumerate()
                                    .map(|(i, c)| view! { {(i > 0).then_some(", ")}<a href=format!("/coops/{}", c.slug)>{c.name.clone()}</a> })
                                    .collect_view()}
                            </dd>
                            <dt>{t!(i18n, trust.languages)}</dt><dd>{or_nothing(&p.languages)}</dd>
                            <dt>{t!(i18n, trust.skills)}</dt><dd id="person-skills">{or_nothing(&p.skills)}</dd>
                            <dt>{t!(i18n, trust.countries)}</dt><dd id="person-countries">{or_nothing(&countries)}</dd>
                        </dl>
                        {p.is_me.then(|| view! { <p><a href="/account#profile-heading" class="button-link">{t!(i18n, trust.edit_profile)}</a></p> })}
                        {(!p.is_me).then(|| view! {
                            <div class="safety-controls">
                                <crate::ui::safety::ReportLink kind="person" target=p.id.0.to_string() />
                                <crate::ui::safety::BlockForm id=p.id />
                            </div>
                        })}
                        <h2>{t!(i18n, trust.received)}</h2>
                        <References references=p.references id="person-references" />
                    </article>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// The account page's profile form: bio, languages, skills.
#[component]
pub fn ProfileSection(id: crate::domain::UserId) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateProfile>::new();
    let current = Resource::new(|| (), |_| my_profile());
    let typed = Resource::new(|| (), |_| refill(UpdateProfile::PATH));
    view! {
        <section aria-labelledby="profile-heading">
            <h2 id="profile-heading">{t!(i18n, trust.profile_heading)}</h2>
            <p class="hint">{t!(i18n, trust.profile_intro)} " " <a href=format!("/people/{id}")>{t!(i18n, trust.see_profile)}</a></p>
            <Suspense>
                {move || Suspend::new(async move {
                    let current = current.await.unwrap_or_default();
                    let typed = typed.await;
                    let bio = typed.get_or("bio", &current.bio);
                    let spoken = typed.get_or("languages", &current.languages);
                    let skills = typed.get_or("skills", &current.skills);
                    view! {
                        <ActionForm action=save attr:class="stacked-form" attr:id="profile-form">
                            <label for="bio">{t!(i18n, trust.field_bio)}</label>
                            <textarea id="bio" name="bio" rows="4" maxlength="2000">{bio}</textarea>
                            <label for="profile-languages">{t!(i18n, trust.field_languages)}</label>
                            <input id="profile-languages" name="languages" value=spoken aria-describedby="profile-languages-hint" />
                            <p id="profile-languages-hint" class="hint">{t!(i18n, coops.languages_hint)}</p>
                            <label for="skills">{t!(i18n, trust.field_skills)}</label>
                            <input id="skills" name="skills" value=skills aria-describedby="skills-hint" />
                            <p id="skills-hint" class="hint">{t!(i18n, trust.skills_hint)}</p>
                            <ActionError value=save.value() />
                            <FormDone action=UpdateProfile::PATH>{t!(i18n, trust.profile_saved)}</FormDone>
                            <button type="submit">{t!(i18n, trust.save_profile)}</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A link to one figure of the dashboard as CSV.
#[component]
fn CsvLink(slug: String, figure: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/networks/{slug}/dashboard/{figure}.csv");
    view! { <p><a href=href download=format!("{slug}-{figure}.csv") id=format!("csv-{figure}")>{t!(i18n, dashboard.csv)}</a></p> }
}

/// `/networks/{slug}/dashboard`: the network's figures, for its coordinators and the admins.
#[component]
pub fn DashboardPage() -> impl IntoView {
    use crate::ui::charts::{BarChart, Series};
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let dashboard = Resource::new(move || slug.get(), crate::api::trust::network_dashboard);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let d = match dashboard.await {
                    Ok(d) => d,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let locale = i18n.get_locale_untracked();
                let title = format!("{} · {}", d.name, t_string!(i18n, dashboard.title));
                let outcome_series = vec![
                    Series { label: t_string!(i18n, dashboard.confirmed).to_owned(), class: "series-confirmed" },
                    Series { label: t_string!(i18n, dashboard.declined).to_owned(), class: "series-declined" },
                    Series { label: t_string!(i18n, dashboard.rejected).to_owned(), class: "series-rejected" },
                    Series { label: t_string!(i18n, dashboard.expired).to_owned(), class: "series-expired" },
                    Series { label: t_string!(i18n, dashboard.withdrawn).to_owned(), class: "series-withdrawn" },
                    Series { label: t_string!(i18n, dashboard.waiting).to_owned(), class: "series-waiting" },
                ];
                let month_bars: Vec<(String, Vec<i64>)> = d
                    .months
                    .iter()
                    .map(|m| (m.month.clone(), vec![m.confirmed, m.declined, m.rejected, m.expired, m.withdrawn, m.waiting]))
                    .collect();
                let country_bars: Vec<(String, Vec<i64>)> =
                    d.countries.iter().map(|c| (c.country.as_str().to_owned(), vec![c.nights])).collect();
                let nights_series = vec![Series { label: t_string!(i18n, dashboard.guest_nights).to_owned(), class: "series-nights" }];
                let rate = d.acceptance_rate.map_or_else(|| "–".to_owned(), |r| format!("{r} %"));
                let answer = d.median_answer_hours.map_or_else(|| "–".to_owned(), |h| t_string!(i18n, dashboard.hours, count = h).to_string());
                let names = |lines: Vec<&LedgerLine>| {
                    if lines.is_empty() {
                        t_string!(i18n, trust.nothing_yet).to_owned()
                    } else {
                        lines.iter().map(|l| l.name.clone()).collect::<Vec<_>>().join(", ")
                    }
                };
                let host_only = names(d.host_only().collect());
                let travel_only = names(d.travel_only().collect());
                let slug = d.slug.clone();
                view! {
                    <PageTitle title=title.clone() />
                    <h1>{title}</h1>
                    <p><a href=format!("/networks/{slug}")>{t!(i18n, dashboard.back)}</a></p>
                    <dl class="facts" id="dashboard-summary">
                        <dt>{t!(i18n, dashboard.acceptance_rate)}</dt><dd data-figure="acceptance">{rate}</dd>
                        <dt>{t!(i18n, dashboard.median_answer)}</dt><dd data-figure="answer">{answer}</dd>
                    </dl>
                    <section aria-labelledby="requests-heading">
                        <h2 id="requests-heading">{t!(i18n, dashboard.requests_heading)}</h2>
                        <BarChart id="chart-requests" labelledby="requests-heading" series=outcome_series bars=month_bars />
                        <div class="table-scroll">
                            <table class="figures" id="table-requests">
                                <caption>{t!(i18n, dashboard.requests_heading)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, dashboard.month)}</th>
                                    <th scope="col">{t!(i18n, dashboard.confirmed)}</th>
                                    <th scope="col">{t!(i18n, dashboard.declined)}</th>
                                    <th scope="col">{t!(i18n, dashboard.rejected)}</th>
                                    <th scope="col">{t!(i18n, dashboard.expired)}</th>
                                    <th scope="col">{t!(i18n, dashboard.withdrawn)}</th>
                                    <th scope="col">{t!(i18n, dashboard.waiting)}</th>
                                    <th scope="col">{t!(i18n, dashboard.total)}</th>
                                </tr></thead>
                                <tbody>
                                    {d.months.iter().map(|m| view! {
                                        <tr data-month=m.month.clone()>
                                            <th scope="row">{m.month.clone()}</th>
                                            <td>{m.confirmed}</td><td>{m.declined}</td><td>{m.rejected}</td>
                                            <td>{m.expired}</td><td>{m.withdrawn}</td><td>{m.waiting}</td><td>{m.total()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <CsvLink slug=slug.clone() figure="requests" />
                    </section>
                    <section aria-labelledby="countries-heading">
                        <h2 id="countries-heading">{t!(i18n, dashboard.countries_heading)}</h2>
                        <BarChart id="chart-countries" labelledby="countries-heading" series=nights_series bars=country_bars />
                        <table class="figures" id="table-countries">
                            <caption>{t!(i18n, dashboard.countries_heading)}</caption>
                            <thead><tr><th scope="col">{t!(i18n, dashboard.country)}</th><th scope="col">{t!(i18n, dashboard.guest_nights)}</th></tr></thead>
                            <tbody>
                                {d.countries.iter().map(|c| view! {
                                    <tr data-country=c.country.as_str()><th scope="row">{c.country.name(locale.as_str()).to_owned()}</th><td>{c.nights}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <CsvLink slug=slug.clone() figure="countries" />
                    </section>
                    <section aria-labelledby="balances-heading">
                        <h2 id="balances-heading">{t!(i18n, dashboard.balances_heading)}</h2>
                        <LedgerTable lines=d.balances.clone() caption=t_string!(i18n, dashboard.balances_heading).to_string() first=t_string!(i18n, trust.coop).to_string() link="coops" id="table-balances" />
                        <dl class="facts">
                            <dt>{t!(i18n, dashboard.host_only)}</dt><dd id="host-only">{host_only}</dd>
                            <dt>{t!(i18n, dashboard.travel_only)}</dt><dd id="travel-only">{travel_only}</dd>
                        </dl>
                        <CsvLink slug=slug.clone() figure="balances" />
                    </section>
                    <section aria-labelledby="approvals-heading">
                        <h2 id="approvals-heading">{t!(i18n, dashboard.approvals_heading)}</h2>
                        {if d.open_approvals.is_empty() {
                            view! { <p>{t!(i18n, dashboard.no_approvals)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll">
                                    <table class="figures" id="table-approvals">
                                        <caption>{t!(i18n, dashboard.approvals_heading)}</caption>
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, dashboard.request)}</th>
                                            <th scope="col">{t!(i18n, trust.coop)}</th>
                                            <th scope="col">{t!(i18n, dashboard.traveller_coop)}</th>
                                            <th scope="col">{t!(i18n, dashboard.check_in)}</th>
                                            <th scope="col">{t!(i18n, dashboard.days_waiting)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {d.open_approvals.iter().map(|a| view! {
                                                <tr data-stay=a.stay.0.to_string()>
                                                    <th scope="row"><a href=format!("/stays/{}", a.stay)>{a.offer_title.clone()}</a></th>
                                                    <td>{a.host_coop.clone()}</td><td>{a.traveller_coop.clone()}</td>
                                                    <td>{day(locale, a.check_in)}</td><td>{a.days_waiting}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <CsvLink slug=slug.clone() figure="approvals" />
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}
