//! Network pages: the list (and, for admins, creating one), and a network's page with the coordinators'
//! verification queue and audit trail.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::auth::who_am_i;
use crate::api::networks::{AppointCoordinator, CreateNetwork, DecideMembership, get_network, list_networks};
use crate::domain::MembershipStatus;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::coops::MembershipBadge;
use crate::ui::forms::{ActionError, LoadError};
use crate::ui::layout::{PageTitle, summary};
use crate::ui::{person_name, when};

#[component]
pub fn NetworksPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateNetwork>::new();
    let networks = Resource::new(move || create.version().get(), |_| list_networks());
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <PageTitle title=t_string!(i18n, networks.title) />
        <h1>{t!(i18n, networks.title)}</h1>
        <p>{t!(i18n, networks.intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let is_admin = matches!(me.await, Ok(Some(user)) if user.is_admin);
                match networks.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(list) => view! {
                        <ul class="card-list" id="network-list">
                            {list
                                .into_iter()
                                .map(|n| view! {
                                    <li class="card" data-slug=n.slug.clone()>
                                        <h2><a href=format!("/networks/{}", n.slug)>{n.name}</a></h2>
                                        <p>{n.description}</p>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                        {is_admin.then(|| view! {
                            <section aria-labelledby="create-network">
                                <h2 id="create-network">{t!(i18n, networks.create_title)}</h2>
                                <ActionForm action=create attr:class="stacked-form" attr:id="network-form">
                                    <label for="slug">{t!(i18n, coops.field_slug)}</label>
                                    <input id="slug" name="slug" required minlength="2" maxlength="64" />
                                    <label for="name">{t!(i18n, coops.field_name)}</label>
                                    <input id="name" name="name" required maxlength="120" />
                                    <label for="description">{t!(i18n, coops.field_description)}</label>
                                    <textarea id="description" name="description" rows="3"></textarea>
                                    <label for="country">{t!(i18n, networks.country_optional)}</label>
                                    <input id="country" name="country" maxlength="2" />
                                    <label class="checkbox">
                                        <input type="checkbox" name="auto_approve_verified" value="on" />
                                        {t!(i18n, networks.auto_approve)}
                                    </label>
                                    <ActionError value=create.value() />
                                    <button type="submit">{t!(i18n, networks.create_submit)}</button>
                                </ActionForm>
                            </section>
                        })}
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn NetworkPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let decide = ServerAction::<DecideMembership>::new();
    let appoint = ServerAction::<AppointCoordinator>::new();
    let page = Resource::new(
        move || (slug.get(), decide.version().get(), appoint.version().get()),
        |(slug, ..)| get_network(slug),
    );
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let is_admin = matches!(me.await, Ok(Some(user)) if user.is_admin);
                let page = match page.await {
                    Ok(page) => page,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let network = page.network.slug.clone();
                let verified = page
                    .verified
                    .iter()
                    .map(|m| view! {
                        <li data-slug=m.coop_slug.clone()>
                            <a href=format!("/coops/{}", m.coop_slug)>{m.coop_name.clone()}</a>
                            " · " {m.city.clone()} " (" {m.country.clone()} ")"
                        </li>
                    })
                    .collect_view();
                let queue_items = page
                    .queue
                    .clone()
                    .into_iter()
                    .map(|m| {
                        let field_id = format!("note-{}", m.coop_slug);
                        let label_for = field_id.clone();
                        let network = network.clone();
                        let href = format!("/coops/{}", m.coop_slug);
                        let revocable = m.status != MembershipStatus::Revoked;
                        let note = (!m.note.is_empty()).then_some(m.note);
                        let data_slug = m.coop_slug.clone();
                        view! {
                            <li class="queue-item" data-slug=data_slug>
                                <h3><a href=href>{m.coop_name}</a></h3>
                                <p>{m.city} " (" {m.country} ") " <MembershipBadge status=m.status /></p>
                                {note.map(|note| view! { <p class="note">{note}</p> })}
                                <ActionForm action=decide attr:class="decision-form">
                                    <input type="hidden" name="network" value=network />
                                    <input type="hidden" name="coop" value=m.coop_slug />
                                    <label for=label_for>{t!(i18n, networks.decision_note)}</label>
                                    <input id=field_id name="note" maxlength="1000" />
                                    <button type="submit" name="decision" value="verify">{t!(i18n, networks.verify)}</button>
                                    {revocable.then(|| view! {
                                        <button type="submit" name="decision" value="revoke" class="secondary">{t!(i18n, networks.revoke)}</button>
                                    })}
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view();
                let queue_is_empty = page.queue.is_empty();
                let audit_rows = page
                    .audit
                    .iter()
                    .map(|a| view! {
                        <tr data-action=a.action.clone()>
                            <td>{when(i18n, a.at)}</td>
                            <td>{person_name(i18n, &a.actor)}</td>
                            <td>{audit_action(i18n, &a.action)}</td>
                            <td>{a.coop.clone()}</td>
                            <td>{a.note.clone()}</td>
                        </tr>
                    })
                    .collect_view();
                let coordinators = page.coordinators.join(", ");
                let can_coordinate = page.can_coordinate;
                view! {
                    <PageTitle title=page.network.name.clone() description=summary(&page.network.description) />
                    <h1>{page.network.name.clone()}</h1>
                    <p>{page.network.description.clone()}</p>
                    <p>{t!(i18n, networks.coordinators)} ": " {coordinators}</p>
                    <section aria-labelledby="verified-heading">
                        <h2 id="verified-heading">{t!(i18n, networks.verified_heading)}</h2>
                        <ul class="link-list" id="verified-coops">{verified}</ul>
                    </section>
                    {can_coordinate.then(|| view! {
                        <p><a class="button-link" id="dashboard-link" href=format!("/networks/{}/dashboard", page.network.slug)>{t!(i18n, dashboard.title)}</a></p>
                    })}
                    {can_coordinate.then(move || view! {
                        <section aria-labelledby="queue-heading">
                            <h2 id="queue-heading">{t!(i18n, networks.queue_heading)}</h2>
                            {if queue_is_empty {
                                view! { <p>{t!(i18n, networks.queue_empty)}</p> }.into_any()
                            } else {
                                view! { <ul class="queue" id="verification-queue">{queue_items}</ul> }.into_any()
                            }}
                            <ActionError value=decide.value() />
                        </section>
                        <section aria-labelledby="audit-heading">
                            <h2 id="audit-heading">{t!(i18n, networks.audit_heading)}</h2>
                            <table class="audit" id="audit-trail">
                                <caption class="visually-hidden">{t!(i18n, networks.audit_heading)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, networks.audit_when)}</th>
                                    <th scope="col">{t!(i18n, networks.audit_who)}</th>
                                    <th scope="col">{t!(i18n, networks.audit_what)}</th>
                                    <th scope="col">{t!(i18n, networks.audit_coop)}</th>
                                    <th scope="col">{t!(i18n, networks.audit_note)}</th>
                                </tr></thead>
                                <tbody>{audit_rows}</tbody>
                            </table>
                        </section>
                    })}
                    {is_admin.then(|| view! {
                        <section aria-labelledby="appoint-heading">
                            <h2 id="appoint-heading">{t!(i18n, networks.appoint_heading)}</h2>
                            <ActionForm action=appoint attr:class="stacked-form" attr:id="appoint-form">
                                <input type="hidden" name="network" value=network.clone() />
                                <label for="coordinator-email">{t!(i18n, auth.email)}</label>
                                <input id="coordinator-email" name="email" type="email" required />
                                <ActionError value=appoint.value() />
                                <button type="submit">{t!(i18n, networks.appoint_submit)}</button>
                            </ActionForm>
                        </section>
                    })}
                }
                    .into_any()
            })}
        </Suspense>
    }
}

/// What an audit line of the network records, in the reader's language.
fn audit_action(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, action: &str) -> String {
    match action {
        "network_created" => t_string!(i18n, networks.audit_network_created),
        "coordinator_appointed" => t_string!(i18n, networks.audit_coordinator_appointed),
        "membership_requested" => t_string!(i18n, networks.audit_membership_requested),
        "membership_verified" => t_string!(i18n, networks.audit_membership_verified),
        "membership_revoked" => t_string!(i18n, networks.audit_membership_revoked),
        other => return other.replace('_', " "),
    }
    .to_owned()
}
