//! Stay requests: the offer page with the request form, my requests, a request's page (actions, messages, trail),
//! the host's inbox, the coordinators' approval queue, notifications.

use chrono::Datelike as _;
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_i18n::Locale as _;
use leptos_router::hooks::use_params_map;

use crate::ui::map::{MapPin, WorldMap};

use crate::api::calendar::{RenewTripsFeed, trips_feed_path};
use crate::api::offers::get_offer;
use crate::api::stays::{
    ActOnStay, CreateTrip, MarkNotificationsRead, PostMessage, RebookStay, RequestStay, SetNotificationPreferences,
    SetStayTrip, approval_queue, get_stay, get_trip, host_inbox, my_notifications, my_stays, my_trips,
};
use crate::domain::notice::{EmailMode, Topic};
use crate::domain::{Purpose, StayAction, StayStatus};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ActionError, CopyField, FormDone, LoadError, refill};
use crate::ui::layout::{PageTitle, summary};
use crate::ui::{kind_label, person_name, purpose_label, weekday_name, when};
use crate::views::calendar::TripsFeed;
use crate::views::notifications::NotificationView;
use crate::views::stays::{NightView, StaySummary};

fn id_param(name: &'static str) -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).and_then(|v| v.parse().ok()).unwrap_or_default())
}

/// A status as a coloured, translated badge.
#[component]
pub fn StatusBadge(status: StayStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("badge stay-status status-{status}");
    let label = match status {
        StayStatus::Requested => t_string!(i18n, stays.status_requested),
        StayStatus::Accepted => t_string!(i18n, stays.status_accepted),
        StayStatus::Confirmed => t_string!(i18n, stays.status_confirmed),
        StayStatus::Declined => t_string!(i18n, stays.status_declined),
        StayStatus::Rejected => t_string!(i18n, stays.status_rejected),
        StayStatus::Suggested => t_string!(i18n, stays.status_suggested),
        StayStatus::Withdrawn => t_string!(i18n, stays.status_withdrawn),
        StayStatus::Cancelled => t_string!(i18n, stays.status_cancelled),
        StayStatus::Completed => t_string!(i18n, stays.status_completed),
        StayStatus::Expired => t_string!(i18n, stays.status_expired),
    };
    view! { <span class=class data-status=status.as_str()>{label}</span> }
}

/// Nights as a compact table: date, free places.
#[component]
fn NightsTable(nights: Vec<NightView>, caption: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="nights">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">{t!(i18n, stays.night)}</th><th scope="col">{t!(i18n, stays.free_places)}</th></tr></thead>
            <tbody>
                {nights
                    .into_iter()
                    .map(|n| {
                        let class = if n.open { "open" } else { "full" };
                        let places = match n.places {
                            Some(p) => format!("{} / {}", p.free, p.capacity).into_any(),
                            None if n.open => t!(i18n, stays.night_open).into_any(),
                            None => t!(i18n, stays.night_full).into_any(),
                        };
                        view! { <tr class=class data-night=n.night.to_string()><td>{format!("{} {}", weekday_name(i18n, n.night.weekday().num_days_from_monday() as usize), n.night)}</td><td>{places}</td></tr> }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn OfferPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param("id");
    let request = ServerAction::<RequestStay>::new();
    let offer = Resource::new(move || id.get(), get_offer);
    // Refused without JavaScript: the form comes back as it was typed. A resource, so it is read (and the kept
    // fields taken) once, however often the page's suspense runs.
    let typed = Resource::new(|| (), |_| refill(RequestStay::PATH));
    // Only a logged-in visitor has trips: asked anonymously, `trips/mine` answers 401, which the browser logs.
    let trips = Resource::new(
        || (),
        |_| async move {
            match crate::api::auth::who_am_i().await {
                Ok(Some(_)) => my_trips().await,
                _ => Ok(Vec::new()),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let offer = match offer.await {
                    Ok(offer) => offer,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                // Anonymous visitors have no trips; the form then tells them to log in when they send it.
                let trips = trips.await.unwrap_or_default();
                let typed = typed.await;
                let chosen_purpose = typed.get("purpose");
                let chosen_trip = typed.get("trip_id");
                let place = {
                    let (city, country) = (offer.city.clone(), offer.country.clone());
                    move || format!("{}, {}", city, country.name(i18n.get_locale().as_str()))
                };
                let caption = t_string!(i18n, stays.availability).to_string();
                let offer_id = offer.id.0.to_string();
                let data_offer = offer_id.clone();
                let coop_href = format!("/coops/{}", offer.coop_slug);
                view! {
                    <article class="offer-page" data-offer=data_offer>
                        <p class="offer-kind" data-kind=offer.kind.as_str()>{kind_label(i18n, offer.kind)}</p>
                        <PageTitle title=format!("{} · {}", offer.title, offer.coop_name) description=summary(&offer.description) />
                        <h1>{offer.title.clone()}</h1>
                        <p><a href=coop_href>{offer.coop_name.clone()}</a> " · " {place}</p>
                        <p>{offer.description.clone()}</p>
                        <p class="safety-controls"><crate::ui::safety::ReportLink kind="offer" target=offer_id.clone() /></p>
                        <dl class="facts">
                            <dt>{t!(i18n, stays.guests)}</dt><dd>{offer.capacity}</dd>
                            <dt>{t!(i18n, stays.nights_rule)}</dt><dd>{offer.min_nights} "–" {offer.max_nights}</dd>
                            <dt>{t!(i18n, stays.notice)}</dt><dd>{offer.notice_days}</dd>
                            <dt>{t!(i18n, home.languages)}</dt><dd>{offer.languages.clone()}</dd>
                            <dt>{t!(i18n, stays.amenities)}</dt><dd>{offer.amenities.clone()}</dd>
                            <dt>{t!(i18n, stays.accessibility)}</dt><dd>{offer.accessibility.clone()}</dd>
                            <dt>{t!(i18n, stays.house_rules)}</dt><dd>{offer.house_rules.clone()}</dd>
                            <dt>{t!(i18n, stays.skills_wanted)}</dt><dd>{offer.skills_wanted.clone()}</dd>
                        </dl>
                        <section aria-labelledby="request-heading">
                            <h2 id="request-heading">{t!(i18n, stays.request_heading)}</h2>
                            <ActionForm action=request attr:class="stacked-form" attr:id="request-form">
                                <input type="hidden" name="offer_id" value=offer_id />
                                <label for="check_in">{t!(i18n, stays.check_in)}</label>
                                <input id="check_in" name="check_in" type="date" required value=typed.get("check_in") />
                                <label for="check_out">{t!(i18n, stays.check_out)}</label>
                                <input id="check_out" name="check_out" type="date" required value=typed.get("check_out") />
                                <label for="guests">{t!(i18n, stays.guests)}</label>
                                <input id="guests" name="guests" type="number" min="1" max=offer.capacity value=typed.get_or("guests", "1") required />
                                <label for="purpose">{t!(i18n, stays.purpose)}</label>
                                <select id="purpose" name="purpose">
                                    {Purpose::ALL
                                        .iter()
                                        .map(|p| view! {
                                            <option value=p.as_str() selected=chosen_purpose == p.as_str()>{purpose_label(i18n, *p)}</option>
                                        })
                                        .collect_view()}
                                </select>
                                <label for="message">{t!(i18n, stays.message)}</label>
                                <textarea id="message" name="message" rows="4" maxlength="4000">{typed.get("message")}</textarea>
                                <label for="skills_offered">{t!(i18n, stays.skills_offered)}</label>
                                <input id="skills_offered" name="skills_offered" maxlength="1000" value=typed.get("skills_offered") />
                                <label for="trip_id">{t!(i18n, stays.trip_optional)}</label>
                                <select id="trip_id" name="trip_id">
                                    <option value="">{t!(i18n, stays.no_trip)}</option>
                                    {trips
                                        .into_iter()
                                        .map(|trip| {
                                            let value = trip.id.0.to_string();
                                            let selected = value == chosen_trip;
                                            view! { <option value=value selected=selected>{trip.title}</option> }
                                        })
                                        .collect_view()}
                                </select>
                                <ActionError value=request.value() />
                                <button type="submit">{t!(i18n, stays.request_submit)}</button>
                            </ActionForm>
                        </section>
                        <NightsTable nights=offer.nights.clone() caption />
                    </article>
                }
                    .into_any()
            })}
        </Suspense>
    }
}

/// One line of a list of requests, linking to its page.
#[component]
fn StayLine(stay: StaySummary, #[prop(optional)] show_traveller: bool) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/stays/{}", stay.id);
    view! {
        <li class="stay-line" data-stay=stay.id.0.to_string()>
            <a href=href>{stay.offer_title.clone()} " · " {stay.host_coop_name.clone()}</a>
            " " <StatusBadge status=stay.status />
            <p class="stay-dates">
                {stay.check_in.to_string()} " → " {stay.check_out.to_string()} " · "
                {t!(i18n, stays.nights_count, count = move || stay.nights)} " · " {t!(i18n, stays.guests)} ": " {stay.guests}
            </p>
            {show_traveller.then(|| view! {
                <p>{person_name(i18n, &stay.traveller_name)} " (" {stay.traveller_coop_name.clone()} ") · " {purpose_label(i18n, stay.purpose)}
                    {(!stay.skills_offered.is_empty()).then(|| format!(" · {}", stay.skills_offered))}</p>
                {(!stay.message.is_empty()).then(|| view! { <blockquote>{stay.message.clone()}</blockquote> })}
            })}
        </li>
    }
}

#[component]
pub fn MyStaysPage() -> impl IntoView {
    let i18n = use_i18n();
    let stays = Resource::new(|| (), |_| my_stays());
    view! {
        <PageTitle title=t_string!(i18n, stays.mine_title) />
        <h1>{t!(i18n, stays.mine_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match stays.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, stays.none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="stay-list" id="my-stays">
                            {list.into_iter().map(|stay| view! { <StayLine stay /> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// Buttons for the actions allowed now, each a small form (works without JavaScript).
#[component]
fn ActionForms(id: i64, actions: Vec<StayAction>, act: ServerAction<ActOnStay>) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.to_string();
    let simple: Vec<_> = actions.iter().copied().filter(|a| *a != StayAction::SuggestDates).collect();
    let can_suggest = actions.contains(&StayAction::SuggestDates);
    let label = move |action: StayAction| match action {
        StayAction::Accept => t_string!(i18n, stays.action_accept),
        StayAction::Decline => t_string!(i18n, stays.action_decline),
        StayAction::Approve => t_string!(i18n, stays.action_approve),
        StayAction::Reject => t_string!(i18n, stays.action_reject),
        StayAction::Withdraw => t_string!(i18n, stays.action_withdraw),
        StayAction::Cancel => t_string!(i18n, stays.action_cancel),
        _ => t_string!(i18n, stays.action_suggest),
    };
    let suggest_id = id.clone();
    let error_form = id.clone();
    view! {
        <div class="stay-actions">
            {simple
                .into_iter()
                .map(|action| {
                    let note_id = format!("note-{id}-{action}");
                    let id = id.clone();
                    view! {
                        <ActionForm action=act attr:class="action-form" attr:data-action=action.as_str()>
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="action" value=action.as_str() />
                            <label for=note_id.clone()>{t!(i18n, stays.note)}</label>
                            <input id=note_id name="note" maxlength="1000" />
                            <button type="submit">{move || label(action).to_string()}</button>
                        </ActionForm>
                    }
                })
                .collect_view()}
            {can_suggest.then(|| view! {
                <ActionForm action=act attr:class="action-form suggest-form">
                    <input type="hidden" name="id" value=suggest_id.clone() />
                    <input type="hidden" name="action" value="suggest" />
                    <label for=format!("suggest-in-{suggest_id}")>{t!(i18n, stays.check_in)}</label>
                    <input id=format!("suggest-in-{suggest_id}") name="suggest_check_in" type="date" required />
                    <label for=format!("suggest-out-{suggest_id}")>{t!(i18n, stays.check_out)}</label>
                    <input id=format!("suggest-out-{suggest_id}") name="suggest_check_out" type="date" required />
                    <label for=format!("suggest-note-{suggest_id}")>{t!(i18n, stays.note)}</label>
                    <input id=format!("suggest-note-{suggest_id}") name="note" maxlength="1000" />
                    <button type="submit" class="secondary">{t!(i18n, stays.action_suggest)}</button>
                </ActionForm>
            })}
            <ActionError value=act.value() form=error_form />
        </div>
    }
}

#[component]
pub fn StayPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param("id");
    let act = ServerAction::<ActOnStay>::new();
    let post = ServerAction::<PostMessage>::new();
    let rebook = ServerAction::<RebookStay>::new();
    let file = ServerAction::<SetStayTrip>::new();
    let stay = Resource::new(move || (id.get(), act.version().get(), post.version().get()), |(id, ..)| get_stay(id));
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let detail = match stay.await {
                    Ok(detail) => detail,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let s = detail.stay.clone();
                let id = s.id.0;
                // The traveller may file the request under one of their trips.
                let trips = if detail.is_traveller { Some(my_trips().await.unwrap_or_default()) } else { None };
                let offer_href = format!("/offers/{}", s.offer_id);
                let suggestion = s.suggested.filter(|_| detail.is_traveller && s.status == StayStatus::Suggested);
                view! {
                    <PageTitle title=format!("{} · {}", t_string!(i18n, stays.request_title), s.offer_title) />
                    <h1>{t!(i18n, stays.request_title)} " · " <a href=offer_href>{s.offer_title.clone()}</a></h1>
                    <p id="stay-status"><StatusBadge status=s.status /></p>
                    <dl class="facts">
                        <dt>{t!(i18n, stays.host)}</dt><dd><a href=format!("/coops/{}", s.host_coop_slug)>{s.host_coop_name.clone()}</a></dd>
                        <dt>{t!(i18n, stays.traveller)}</dt><dd><a href=format!("/people/{}", s.traveller_id)>{person_name(i18n, &s.traveller_name)}</a> " (" {s.traveller_coop_name.clone()} ")"</dd>
                        <dt>{t!(i18n, stays.network)}</dt><dd>{s.network_name.clone()}</dd>
                        <dt>{t!(i18n, stays.dates)}</dt><dd>{s.check_in.to_string()} " → " {s.check_out.to_string()}</dd>
                        <dt>{t!(i18n, stays.guests)}</dt><dd>{s.guests}</dd>
                        <dt>{t!(i18n, stays.purpose)}</dt><dd>{purpose_label(i18n, s.purpose)}</dd>
                        <dt>{t!(i18n, stays.skills_offered)}</dt><dd>{s.skills_offered.clone()}</dd>
                        <dt>{t!(i18n, stays.address)}</dt>
                        <dd id="stay-address">
                            {match detail.address.clone() {
                                Some(address) => address.into_any(),
                                None => t!(i18n, stays.address_after_confirmation).into_any(),
                            }}
                        </dd>
                    </dl>
                    {(!s.message.is_empty()).then(|| view! { <blockquote>{s.message.clone()}</blockquote> })}
                    {suggestion.map(|(check_in, check_out)| view! {
                        <div class="form-done" role="status" id="suggestion">
                            <p>{t!(i18n, stays.suggested_dates)} " " {check_in.to_string()} " → " {check_out.to_string()}</p>
                            <ActionForm action=rebook attr:id="rebook-form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <button type="submit">{t!(i18n, stays.rebook)}</button>
                            </ActionForm>
                            <ActionError value=rebook.value() />
                        </div>
                    })}
                    <ActionForms id actions=detail.actions.clone() act />
                    <crate::ui::trust::StayReferencesSection id references=detail.references.clone() />
                    <crate::ui::letters::StayLettersSection id letters=detail.letters.clone() is_traveller=detail.is_traveller />
                    {trips.map(|trips| {
                        let current = s.trip;
                        view! {
                            <ActionForm action=file attr:class="stacked-form" attr:id="stay-trip-form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <label for="stay-trip">{t!(i18n, stays.trip_optional)}</label>
                                <select id="stay-trip" name="trip_id">
                                    <option value="" selected=current.is_none()>{t!(i18n, stays.no_trip)}</option>
                                    {trips
                                        .into_iter()
                                        .map(|trip| view! {
                                            <option value=trip.id.0.to_string() selected=current == Some(trip.id)>{trip.title}</option>
                                        })
                                        .collect_view()}
                                </select>
                                <ActionError value=file.value() />
                                <FormDone action=SetStayTrip::PATH>{t!(i18n, forms.done)}</FormDone>
                                <button type="submit" class="secondary">{t!(i18n, coops.save)}</button>
                            </ActionForm>
                        }
                    })}
                    <section aria-labelledby="messages-heading">
                        <h2 id="messages-heading">{t!(i18n, stays.messages)}</h2>
                        <ol class="messages" id="messages">
                            {detail
                                .messages
                                .iter()
                                .map(|m| {
                                    let body = if m.hidden {
                                        view! { <p class="hint message-hidden">{t!(i18n, safety.message_hidden)}</p> }.into_any()
                                    } else {
                                        view! { <p>{m.body.clone()}</p> }.into_any()
                                    };
                                    let report = (!m.mine && !m.hidden).then(|| view! { " · " <crate::ui::safety::ReportLink kind="message" target=m.id.0.to_string() /> });
                                    view! { <li data-message=m.id.0.to_string()><p class="meta">{person_name(i18n, &m.author)} " · " {when(i18n, m.at)} {report}</p>{body}</li> }
                                })
                                .collect_view()}
                        </ol>
                        <ActionForm action=post attr:class="stacked-form" attr:id="message-form">
                            <input type="hidden" name="id" value=id.to_string() />
                            <label for="body">{t!(i18n, stays.new_message)}</label>
                            <textarea id="body" name="body" rows="3" required maxlength="4000"></textarea>
                            <ActionError value=post.value() />
                            <button type="submit">{t!(i18n, stays.send)}</button>
                        </ActionForm>
                    </section>
                    <section aria-labelledby="trail-heading">
                        <h2 id="trail-heading">{t!(i18n, stays.trail)}</h2>
                        <ol class="trail" id="stay-trail">
                            {detail
                                .events
                                .iter()
                                .map(|e| view! {
                                    <li data-to=e.to.as_str()>{when(i18n, e.at)} " · " {e.actor.as_deref().map_or_else(|| t_string!(i18n, app.name).to_owned(), |a| person_name(i18n, a))} " · " <StatusBadge status=e.to />
                                        {(e.actor.is_none() && e.to == StayStatus::Confirmed).then(|| format!(" · {}", t_string!(i18n, stays.auto_approved)))}
                                        {(!e.note.is_empty()).then(|| format!(" · {}", e.note))}</li>
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
                    .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<ActOnStay>::new();
    let inbox = Resource::new(move || act.version().get(), |_| host_inbox());
    view! {
        <PageTitle title=t_string!(i18n, stays.inbox_title) />
        <h1>{t!(i18n, stays.inbox_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p>{t!(i18n, stays.none)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="stay-list" id="inbox">
                            {items
                                .into_iter()
                                .map(|item| {
                                    let pending = item.stay.status == StayStatus::Requested;
                                    let actions = if pending {
                                        vec![StayAction::Accept, StayAction::Decline, StayAction::SuggestDates]
                                    } else {
                                        vec![]
                                    };
                                    let id = item.stay.id.0;
                                    let caption = t_string!(i18n, stays.calendar_beside).to_string();
                                    let status = item.stay.status.as_str();
                                    view! {
                                        <li class="inbox-item" data-stay=id.to_string() data-status=status>
                                            <ul class="plain"><StayLine stay=item.stay show_traveller=true /></ul>
                                            {(!item.matching_skills.is_empty()).then(|| view! {
                                                <p class="skills-match">
                                                    {t!(i18n, stays.skills_match)} " "
                                                    {item.matching_skills.iter().map(|s| view! { <span class="badge skill" data-skill=s.clone()>{s.clone()}</span> " " }).collect_view()}
                                                </p>
                                            })}
                                            <div class="inbox-body">
                                                <NightsTable nights=item.nights caption />
                                                {pending.then(|| view! { <ActionForms id actions act /> })}
                                            </div>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<ActOnStay>::new();
    let queue = Resource::new(move || act.version().get(), |_| approval_queue());
    view! {
        <PageTitle title=t_string!(i18n, stays.approvals_title) />
        <h1>{t!(i18n, stays.approvals_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, stays.none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="stay-list" id="approvals">
                            {list
                                .into_iter()
                                .map(|stay| {
                                    let id = stay.id.0;
                                    view! {
                                        <li class="approval-item" data-stay=id.to_string()>
                                            <ul class="plain"><StayLine stay show_traveller=true /></ul>
                                            <ActionForms id actions=vec![StayAction::Approve, StayAction::Reject] act />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let read = ServerAction::<MarkNotificationsRead>::new();
    let prefs = ServerAction::<SetNotificationPreferences>::new();
    let list = Resource::new(move || (read.version().get(), prefs.version().get()), |_| my_notifications());
    view! {
        <PageTitle title=t_string!(i18n, stays.notifications_title) />
        <h1>{t!(i18n, stays.notifications_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => view! {
                        <p id="unread-count">{t!(i18n, stays.unread, count = view.unread)}</p>
                        <ActionForm action=read attr:id="read-form">
                            <button type="submit" class="secondary">{t!(i18n, stays.mark_read)}</button>
                        </ActionForm>
                        <ul class="notifications" id="notifications">
                            {view.items.into_iter().map(|n| view! { <NotificationItem item=n /> }).collect_view()}
                        </ul>
                        <ActionForm action=prefs attr:class="stacked-form" attr:id="preferences-form">
                            <h2>{t!(i18n, notices.email_title)}</h2>
                            <p class="hint">{t!(i18n, notices.email_hint)}</p>
                            {view
                                .email
                                .into_iter()
                                .map(|(topic, mode)| view! { <EmailChoice topic mode /> })
                                .collect_view()}
                            <FormDone action=SetNotificationPreferences::PATH>{t!(i18n, forms.done)}</FormDone>
                            <button type="submit" class="secondary">{t!(i18n, coops.save)}</button>
                        </ActionForm>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// One notification: what happened, the stay, the note quoted, the next step, when.
#[component]
fn NotificationItem(item: NotificationView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale();
    let notice = item.notice;
    let class = if item.unread { "unread" } else { "read" };
    let note = notice.note_intro(locale).map(|intro| {
        view! { <blockquote class="notice-note"><span class="meta">{intro}</span> " " {notice.note.clone()}</blockquote> }
    });
    view! {
        <li class=class data-kind=notice.kind.clone()>
            <a href=notice.path()>{notice.headline(locale)}</a>
            {notice.details(locale).map(|d| view! { <p class="meta">{d}</p> })}
            {note}
            {notice.next_step(locale).map(|s| view! { <p class="next-step">{s}</p> })}
            <span class="meta">{when(i18n, item.at)}</span>
        </li>
    }
}

/// How one topic of notifications is e-mailed: at once, once a day, or not.
#[component]
fn EmailChoice(topic: Topic, mode: EmailMode) -> impl IntoView {
    let i18n = use_i18n();
    let legend = match topic {
        Topic::Messages => t_string!(i18n, notices.topic_messages),
        Topic::Approvals => t_string!(i18n, notices.topic_approvals),
        Topic::Network => t_string!(i18n, notices.topic_network),
        _ => t_string!(i18n, notices.topic_stays),
    };
    let options = EmailMode::ALL.iter().map(move |choice| {
        let label = match choice {
            EmailMode::Now => t_string!(i18n, notices.mode_now),
            EmailMode::Digest => t_string!(i18n, notices.mode_digest),
            EmailMode::None => t_string!(i18n, notices.mode_none),
        };
        view! {
            <label class="radio">
                <input type="radio" name=topic.as_str() value=choice.as_str() checked=*choice == mode />
                {label}
            </label>
        }
    });
    view! {
        <fieldset class="email-choice" data-topic=topic.as_str()>
            <legend>{legend}</legend>
            {options.collect_view()}
        </fieldset>
    }
}

#[component]
pub fn TripsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateTrip>::new();
    let trips = Resource::new(move || create.version().get(), |_| my_trips());
    view! {
        <PageTitle title=t_string!(i18n, stays.trips_title) />
        <h1>{t!(i18n, stays.trips_title)}</h1>
        <p>{t!(i18n, stays.trips_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match trips.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(list) => view! {
                        <ul class="link-list" id="my-trips">
                            {list
                                .into_iter()
                                .map(|trip| view! {
                                    <li><a href=format!("/trips/{}", trip.id)>{trip.title}</a> " · " {t!(i18n, stays.legs, count = move || trip.legs)}</li>
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
        <ActionForm action=create attr:class="stacked-form" attr:id="trip-form">
            <label for="title">{t!(i18n, stays.trip_title_field)}</label>
            <input id="title" name="title" required maxlength="120" />
            <ActionError value=create.value() />
            <button type="submit">{t!(i18n, stays.create_trip)}</button>
        </ActionForm>
        <TripsFeedSection />
    }
}

/// The secret address of the traveller's stays as a calendar feed: made or renewed here, shown whole once.
#[component]
fn TripsFeedSection() -> impl IntoView {
    let i18n = use_i18n();
    let renew = ServerAction::<RenewTripsFeed>::new();
    let feed = Resource::new(move || renew.version().get(), |_| trips_feed_path());
    view! {
        <section aria-labelledby="trips-feed-heading">
            <h2 id="trips-feed-heading">{t!(i18n, stays.trips_feed_heading)}</h2>
            <p class="hint">{t!(i18n, stays.trips_feed_hint)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match feed.await {
                        Ok(TripsFeed { url: Some(url), .. }) => view! {
                            <p class="form-done" role="status">{t!(i18n, offers.feed_new)}</p>
                            <CopyField id="trips-feed-url" value=url label=t_string!(i18n, stays.trips_feed_heading) />
                        }
                        .into_any(),
                        Ok(TripsFeed { exists: true, .. }) => {
                            view! { <p id="trips-feed-exists">{t!(i18n, stays.trips_feed_exists)}</p> }.into_any()
                        }
                        Ok(_) => ().into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=renew attr:id="trips-feed-form">
                <ActionError value=renew.value() />
                <button type="submit" class="secondary">{t!(i18n, offers.feed_renew)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn TripPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param("id");
    let trip = Resource::new(move || id.get(), get_trip);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let trip = match trip.await {
                    Ok(trip) => trip,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let route = trip
                    .legs
                    .iter()
                    .map(|leg| {
                        let hop = leg.km_from_previous.map(|km| format!(" (+{km} km)")).unwrap_or_default();
                        format!("{}{hop}", leg.city)
                    })
                    .collect::<Vec<_>>()
                    .join(" → ");
                let total = trip.total_km;
                let pins: Vec<MapPin> = trip
                    .legs
                    .iter()
                    .map(|leg| MapPin {
                        key: leg.stay.id.to_string(),
                        lat: leg.lat,
                        lon: leg.lon,
                        label: format!("{} · {} → {}", leg.city, leg.stay.check_in, leg.stay.check_out),
                        href: Some(format!("/stays/{}", leg.stay.id)),
                    })
                    .collect();
                let map_label = format!("{} · {}", trip.title, t_string!(i18n, stays.route));
                view! {
                    <PageTitle title=trip.title.clone() />
                    <h1>{trip.title.clone()}</h1>
                    {(!trip.legs.is_empty()).then(|| view! {
                        <p id="trip-route"><strong>{t!(i18n, stays.route)} ": "</strong> {route} " · " {total} " km"</p>
                    })}
                    {(!pins.is_empty()).then(|| view! { <WorldMap pins label=map_label route=true /> })}
                    {if trip.legs.is_empty() {
                        view! { <p>{t!(i18n, stays.no_legs)} " " <a href="/">{t!(i18n, layout.nav_directory)}</a></p> }.into_any()
                    } else {
                        view! {
                            <ol class="stay-list" id="trip-legs">
                                {trip.legs.into_iter().map(|leg| view! { <StayLine stay=leg.stay /> }).collect_view()}
                            </ol>
                        }
                        .into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
