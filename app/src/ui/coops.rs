//! Co-op pages: the public profile, creating and editing a co-op, members and invitations.

use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::coops::{
    AcceptInvite, CreateCoop, CreateInvite, RemoveMember, SetMemberRole, UpdateCoop, coop_for_edit, coop_members,
    get_coop,
};
use crate::api::networks::{RequestMembership, list_networks};
use crate::domain::{CoopRole, MembershipStatus};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ActionError, LoadError};
use crate::ui::layout::{PageTitle, summary};
use crate::ui::map::{MapPin, WorldMap};
use crate::ui::places::CoopPlaceFields;
use crate::views::coops::CoopForm;

fn slug_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("slug").unwrap_or_default())
}

/// The profile fields, shared by the create and edit forms; `values` pre-fills them. The place fields are an
/// island (`CoopPlaceFields`: the town finder fills them in).
#[component]
fn CoopFields(values: CoopForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for="name">{t!(i18n, coops.field_name)}</label>
        <input id="name" name="name" required maxlength="120" value=values.name />
        <CoopPlaceFields country=values.country city=values.city lat=values.lat lon=values.lon />
        <label for="website">{t!(i18n, coops.field_website)}</label>
        <input id="website" name="website" type="url" maxlength="200" value=values.website />
        <label for="description">{t!(i18n, coops.field_description)}</label>
        <textarea id="description" name="description" rows="4" maxlength="4000">{values.description}</textarea>
        <label for="languages">{t!(i18n, coops.field_languages)}</label>
        <input id="languages" name="languages" value=values.languages aria-describedby="languages-hint" />
        <p id="languages-hint" class="hint">{t!(i18n, coops.languages_hint)}</p>
    }
}

#[component]
pub fn NewCoopPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateCoop>::new();
    view! {
        <PageTitle title=t_string!(i18n, coops.create_title) />
        <h1>{t!(i18n, coops.create_title)}</h1>
        <ActionForm action=action attr:class="stacked-form" attr:id="coop-form">
            <label for="slug">{t!(i18n, coops.field_slug)}</label>
            <input id="slug" name="slug" required minlength="2" maxlength="64" pattern="[a-z0-9][a-z0-9\\-]*[a-z0-9]" aria-describedby="slug-hint" />
            <p id="slug-hint" class="hint">{t!(i18n, coops.slug_hint)}</p>
            <CoopFields values=CoopForm::default() />
            <ActionError value=action.value() />
            <button type="submit">{t!(i18n, coops.create_submit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn CoopPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let join = ServerAction::<RequestMembership>::new();
    let page = Resource::new(move || (slug.get(), join.version().get()), |(slug, _)| get_coop(slug));
    let networks = Resource::new(|| (), |_| list_networks());
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let page = match page.await {
                    Ok(page) => page,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let all_networks = networks.await.unwrap_or_default();
                let place = {
                    let country = page.country.clone();
                    let city = page.city.clone();
                    move || format!("{}, {}", city, country.name(i18n.get_locale().as_str()))
                };
                let location = format!("{:.3}, {:.3}", page.public_lat, page.public_lon);
                let pin = vec![MapPin {
                    key: page.slug.clone(),
                    lat: page.public_lat,
                    lon: page.public_lon,
                    label: page.name.clone(),
                    href: None,
                }];
                let map_label = format!("{} · {}", page.name, t_string!(i18n, coops.approximate_location));
                let slug = page.slug.clone();
                let member_of: Vec<String> = page.networks.iter().map(|n| n.slug.clone()).collect();
                let joinable: Vec<_> = all_networks.into_iter().filter(|n| !member_of.contains(&n.slug) ).collect();
                view! {
                    <article class="coop-profile" data-slug=page.slug.clone()>
                        <PageTitle title=page.name.clone() description=summary(&page.description) />
                        <h1>{page.name.clone()}</h1>
                        <p class="coop-place">{place}</p>
                        <p class="coop-description">{page.description.clone()}</p>
                        <p class="safety-controls"><crate::ui::safety::ReportLink kind="coop" target=page.slug.clone() /></p>
                        <dl class="facts">
                            <dt>{t!(i18n, home.languages)}</dt>
                            <dd>{page.languages.join(", ")}</dd>
                            <dt>{t!(i18n, coops.approximate_location)}</dt>
                            <dd id="public-location">{location}</dd>
                            {(!page.website.is_empty()).then(|| {
                                let website = page.website.clone();
                                view! {
                                    <dt>{t!(i18n, coops.field_website)}</dt>
                                    <dd><a href=website.clone() rel="nofollow noopener">{website.clone()}</a></dd>
                                }
                            })}
                        </dl>
                        <WorldMap pins=pin label=map_label route=false />
                        <crate::ui::trust::CoopTrustSection slug=slug.clone() />
                        <h2>{t!(i18n, coops.networks_heading)}</h2>
                        <ul class="link-list" id="coop-networks">
                            {page
                                .networks
                                .iter()
                                .map(|n| {
                                    let status = n.status;
                                    let data_status = status.as_str();
                                    view! {
                                        <li data-network=n.slug.clone() data-status=data_status>
                                            <a href=format!("/networks/{}", n.slug)>{n.name.clone()}</a>
                                            " "
                                            <MembershipBadge status />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        {page.can_manage.then(|| {
                            let edit = format!("/coops/{slug}/edit");
                            let members = format!("/coops/{slug}/members");
                            let offers = format!("/coops/{slug}/offers");
                            view! {
                                <nav class="manage" aria-label="manage">
                                    <a href=edit class="button-link">{t!(i18n, coops.edit_link)}</a>
                                    " "
                                    <a href=members class="button-link">{t!(i18n, coops.members_link)}</a>
                                    " "
                                    <a href=offers class="button-link">{t!(i18n, offers.manage_title)}</a>
                                </nav>
                                {(!joinable.is_empty()).then(|| view! {
                                    <section aria-labelledby="join-heading">
                                        <h2 id="join-heading">{t!(i18n, coops.join_heading)}</h2>
                                        <ActionForm action=join attr:class="stacked-form" attr:id="join-form">
                                            <input type="hidden" name="coop" value=slug.clone() />
                                            <label for="network">{t!(i18n, coops.join_network)}</label>
                                            <select id="network" name="network">
                                                {joinable
                                                    .iter()
                                                    .map(|n| view! { <option value=n.slug.clone()>{n.name.clone()}</option> })
                                                    .collect_view()}
                                            </select>
                                            <label for="note">{t!(i18n, coops.join_note)}</label>
                                            <textarea id="note" name="note" rows="2" maxlength="1000"></textarea>
                                            <ActionError value=join.value() />
                                            <button type="submit">{t!(i18n, coops.join_submit)}</button>
                                        </ActionForm>
                                    </section>
                                })}
                            }
                        })}
                    </article>
                }
                    .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn MembershipBadge(status: MembershipStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("badge status-{status}");
    let label = match status {
        MembershipStatus::Verified => t_string!(i18n, networks.status_verified),
        MembershipStatus::Revoked => t_string!(i18n, networks.status_revoked),
        MembershipStatus::Pending => t_string!(i18n, networks.status_pending),
    };
    view! { <span class=class>{label}</span> }
}

#[component]
pub fn EditCoopPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let action = ServerAction::<UpdateCoop>::new();
    let current = Resource::new(move || slug.get(), coop_for_edit);
    view! {
        <PageTitle title=t_string!(i18n, coops.edit_title) />
        <h1>{t!(i18n, coops.edit_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match current.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => view! {
                        <ActionForm action=action attr:class="stacked-form" attr:id="coop-form">
                            <input type="hidden" name="slug" value=view.slug.clone() />
                            <CoopFields values=view.form.clone() />
                            <label for="time_zone">{t!(i18n, coops.field_time_zone)}</label>
                            <input
                                id="time_zone"
                                name="time_zone"
                                maxlength="64"
                                value=view.form.time_zone.clone()
                                placeholder=view.place_zone.clone()
                                aria-describedby="time-zone-hint"
                                spellcheck="false"
                            />
                            <p id="time-zone-hint" class="hint">{t!(i18n, coops.time_zone_hint, zone = view.place_zone.clone())}</p>
                            <ActionError value=action.value() />
                            <button type="submit">{t!(i18n, coops.save)}</button>
                        </ActionForm>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let query = use_query_map();
    let invite = ServerAction::<CreateInvite>::new();
    let set_role = ServerAction::<SetMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let members = Resource::new(
        move || (slug.get(), invite.version().get(), set_role.version().get(), remove.version().get()),
        |(slug, ..)| coop_members(slug),
    );
    // The new link: from the action with JavaScript, from the redirect's query without.
    let new_link = move || {
        let path = match invite.value().get() {
            Some(Ok(path)) => Some(path),
            _ => query.read().get("invite").map(|token| format!("/invites/{token}")),
        };
        path.map(|path| {
            view! {
                <div class="form-done" role="status">
                    <p>{t!(i18n, coops.invite_created)}</p>
                    <p><code id="invite-link">{path}</code></p>
                </div>
            }
        })
    };
    view! {
        <PageTitle title=t_string!(i18n, coops.members_title) />
        <h1>{t!(i18n, coops.members_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match members.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => {
                        let slug = view.slug.clone();
                        let rows = view
                            .members
                            .into_iter()
                            .map(|m| {
                                let is_admin = m.role == CoopRole::HostAdmin;
                                let other_role = if is_admin { CoopRole::Member } else { CoopRole::HostAdmin }.as_str();
                                let id = m.user_id.0.to_string();
                                let (slug_a, slug_b, id_a) = (slug.clone(), slug.clone(), id.clone());
                                let role_label = if is_admin {
                                    t!(i18n, coops.role_host_admin).into_any()
                                } else {
                                    t!(i18n, coops.role_member).into_any()
                                };
                                let switch_label = if is_admin {
                                    t!(i18n, coops.make_member).into_any()
                                } else {
                                    t!(i18n, coops.make_host_admin).into_any()
                                };
                                view! {
                                    <tr>
                                        <td>{m.display_name}</td>
                                        <td>{m.email}</td>
                                        <td>{role_label}</td>
                                        <td class="row-actions">
                                            <ActionForm action=set_role>
                                                <input type="hidden" name="slug" value=slug_a />
                                                <input type="hidden" name="user_id" value=id_a />
                                                <input type="hidden" name="role" value=other_role />
                                                <button type="submit" class="secondary">{switch_label}</button>
                                            </ActionForm>
                                            <ActionForm action=remove>
                                                <input type="hidden" name="slug" value=slug_b />
                                                <input type="hidden" name="user_id" value=id />
                                                <button type="submit" class="secondary">{t!(i18n, coops.remove)}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        let open_invites = view.open_invites.len();
                        view! {
                            <p><a href=format!("/coops/{}", view.slug)>{view.name.clone()}</a></p>
                            <table class="members">
                                <caption>{t!(i18n, coops.members_caption)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, auth.display_name)}</th>
                                    <th scope="col">{t!(i18n, auth.email)}</th>
                                    <th scope="col">{t!(i18n, coops.role)}</th>
                                    <th scope="col">{t!(i18n, coops.actions)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            <ActionError value=set_role.value() />
                            <ActionError value=remove.value() />
                            <section aria-labelledby="invite-heading">
                                <h2 id="invite-heading">{t!(i18n, coops.invite_heading)}</h2>
                                <p>{t!(i18n, coops.invite_intro)}</p>
                                <ActionForm action=invite attr:class="stacked-form" attr:id="invite-form">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <label for="role">{t!(i18n, coops.role)}</label>
                                    <select id="role" name="role">
                                        <option value="member">{t!(i18n, coops.role_member)}</option>
                                        <option value="host_admin">{t!(i18n, coops.role_host_admin)}</option>
                                    </select>
                                    <ActionError value=invite.value() />
                                    <button type="submit">{t!(i18n, coops.invite_submit)}</button>
                                </ActionForm>
                                <p>{t!(i18n, coops.open_invites, count = open_invites)}</p>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
        {new_link}
    }
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let accept = ServerAction::<AcceptInvite>::new();
    let next = move || format!("/login?next=/invites/{}", token());
    view! {
        <PageTitle title=t_string!(i18n, coops.invite_title) />
        <h1>{t!(i18n, coops.invite_title)}</h1>
        <p>{t!(i18n, coops.invite_accept_intro)}</p>
        <ActionForm action=accept attr:class="stacked-form" attr:id="accept-invite-form">
            <input type="hidden" name="token" value=token />
            <ActionError value=accept.value() />
            <button type="submit">{t!(i18n, coops.invite_accept)}</button>
        </ActionForm>
        <p class="hint">{t!(i18n, coops.invite_login_hint)} " " <a href=next>{t!(i18n, nav.login)}</a></p>
    }
}
