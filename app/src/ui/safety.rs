//! Safety pages: reporting (`/report`), the people one blocked (`/account/blocks`), the moderation queue
//! (`/moderation`) and the audit trail (`/admin/audit`); and the block and report controls other pages show.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

use crate::api::safety::{
    BlockPerson, LiftSuspension, MakeReport, Moderate, UnblockPerson, audit_trail, get_moderation_queue, my_blocks,
    report_subject,
};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ActionError, FormDone, LoadError};
use crate::ui::layout::PageTitle;
use crate::ui::person_name;
use crate::views::notifications::day;
use crate::views::safety::{REASONS, ReportView};

type I18n = leptos_i18n::I18nContext<crate::i18n::Locale>;

fn reason_label(i18n: I18n, reason: &str) -> &'static str {
    match reason {
        "spam" => t_string!(i18n, safety.reason_spam),
        "scam" => t_string!(i18n, safety.reason_scam),
        "harassment" => t_string!(i18n, safety.reason_harassment),
        "unsafe" => t_string!(i18n, safety.reason_unsafe),
        _ => t_string!(i18n, safety.reason_other),
    }
}

fn kind_label(i18n: I18n, kind: &str) -> &'static str {
    match kind {
        "person" => t_string!(i18n, safety.kind_person),
        "offer" => t_string!(i18n, safety.kind_offer),
        "coop" => t_string!(i18n, safety.kind_coop),
        _ => t_string!(i18n, safety.kind_message),
    }
}

fn outcome_label(i18n: I18n, outcome: &str) -> &'static str {
    match outcome {
        "hidden" => t_string!(i18n, safety.outcome_hidden),
        "warned" => t_string!(i18n, safety.outcome_warned),
        "suspended" => t_string!(i18n, safety.outcome_suspended),
        _ => t_string!(i18n, safety.outcome_dismissed),
    }
}

/// An audit trail action's name in the reader's language; one without a name as its code.
fn action_label(i18n: I18n, action: &str) -> String {
    let name = match action {
        "account_deleted" => t_string!(i18n, audit.account_deleted),
        "account_suspended" => t_string!(i18n, audit.account_suspended),
        "admin_created" => t_string!(i18n, audit.admin_created),
        "admin_promoted" => t_string!(i18n, audit.admin_promoted),
        "coop_created" => t_string!(i18n, audit.coop_created),
        "coop_updated" => t_string!(i18n, audit.coop_updated),
        "coordinator_appointed" => t_string!(i18n, audit.coordinator_appointed),
        "email_changed" => t_string!(i18n, audit.email_changed),
        "invite_created" => t_string!(i18n, audit.invite_created),
        "letter_issued" => t_string!(i18n, audit.letter_issued),
        "letter_withdrawn" => t_string!(i18n, audit.letter_withdrawn),
        "member_joined" => t_string!(i18n, audit.member_joined),
        "member_removed" => t_string!(i18n, audit.member_removed),
        "member_role_changed" => t_string!(i18n, audit.member_role_changed),
        "membership_requested" => t_string!(i18n, audit.membership_requested),
        "membership_verified" => t_string!(i18n, audit.membership_verified),
        "membership_revoked" => t_string!(i18n, audit.membership_revoked),
        "network_created" => t_string!(i18n, audit.network_created),
        "password_reset" => t_string!(i18n, audit.password_reset),
        "report_handled" => t_string!(i18n, audit.report_handled),
        "suspension_lifted" => t_string!(i18n, audit.suspension_lifted),
        other => return other.to_owned(),
    };
    name.to_owned()
}

/// A link to the report form about something.
#[component]
pub fn ReportLink(kind: &'static str, #[prop(into)] target: String) -> impl IntoView {
    let i18n = use_i18n();
    view! { <a class="report-link" href=format!("/report?kind={kind}&target={target}") rel="nofollow">{t!(i18n, safety.report)}</a> }
}

/// The profile page's block button: a plain form.
#[component]
pub fn BlockForm(id: crate::domain::UserId) -> impl IntoView {
    let i18n = use_i18n();
    let block = ServerAction::<BlockPerson>::new();
    view! {
        <details class="block-person">
            <summary>{t!(i18n, safety.block)}</summary>
            <p class="hint">{t!(i18n, safety.block_explained)}</p>
            <ActionForm action=block attr:id="block-form">
                <input type="hidden" name="id" value=id.0.to_string() />
                <ActionError value=block.value() />
                <button type="submit" class="danger">{t!(i18n, safety.block_confirm)}</button>
            </ActionForm>
        </details>
    }
}

/// `/report?kind=…&target=…`: why the member reports it, and a note.
#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (kind, target) =
        query.with_untracked(|q| (q.get("kind").unwrap_or_default(), q.get("target").unwrap_or_default()));
    let subject = Resource::new(move || (kind.clone(), target.clone()), |(kind, target)| report_subject(kind, target));
    let send = ServerAction::<MakeReport>::new();
    view! {
        <PageTitle title=t_string!(i18n, safety.report_title) />
        <Meta name="robots" content="noindex" />
        <h1>{t!(i18n, safety.report_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let s = match subject.await {
                    Ok(s) => s,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let back_done = s.back.clone();
                view! {
                    <p id="report-subject">
                        {kind_label(i18n, &s.kind)} ": " <strong>{s.label.clone()}</strong>
                    </p>
                    <FormDone action=MakeReport::PATH>
                        {t!(i18n, safety.report_sent)} " " <a href=back_done>{t!(i18n, safety.back)}</a>
                    </FormDone>
                    <p class="hint">{t!(i18n, safety.report_intro)}</p>
                    <ActionForm action=send attr:class="stacked-form" attr:id="report-form">
                        <input type="hidden" name="kind" value=s.kind.clone() />
                        <input type="hidden" name="target" value=s.target.clone() />
                        <fieldset>
                            <legend>{t!(i18n, safety.reason)}</legend>
                            {REASONS
                                .iter()
                                .enumerate()
                                .map(|(i, r)| {
                                    let (input_id, label_for) = (format!("reason-{r}"), format!("reason-{r}"));
                                    let first = i == 0;
                                    view! {
                                        <label for=label_for class="choice">
                                            <input type="radio" id=input_id name="reason" value=*r required=true checked=first />
                                            " " {reason_label(i18n, r)}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <label for="report-note">{t!(i18n, safety.note)}</label>
                        <textarea id="report-note" name="note" rows="4" maxlength="2000" aria-describedby="report-note-hint"></textarea>
                        <p id="report-note-hint" class="hint">{t!(i18n, safety.note_hint)}</p>
                        <ActionError value=send.value() />
                        <button type="submit">{t!(i18n, safety.send_report)}</button>
                    </ActionForm>
                    <p><a href=s.back>{t!(i18n, safety.back)}</a></p>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// `/account/blocks`: the people the reader blocked, each with a button to lift it.
#[component]
pub fn BlocksPage() -> impl IntoView {
    let i18n = use_i18n();
    let blocks = Resource::new(|| (), |_| my_blocks());
    let unblock = ServerAction::<UnblockPerson>::new();
    view! {
        <PageTitle title=t_string!(i18n, safety.blocks_title) />
        <h1>{t!(i18n, safety.blocks_title)}</h1>
        <p class="hint">{t!(i18n, safety.blocks_intro)}</p>
        <FormDone action=UnblockPerson::PATH>{t!(i18n, safety.unblocked)}</FormDone>
        <ActionError value=unblock.value() />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let blocks = match blocks.await {
                    Ok(b) => b,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                if blocks.is_empty() {
                    return view! { <p id="no-blocks">{t!(i18n, safety.no_blocks)}</p> }.into_any();
                }
                let locale = i18n.get_locale_untracked();
                view! {
                    <ul class="blocks" id="blocks">
                        {blocks
                            .into_iter()
                            .map(|b| {
                                let since = t_string!(i18n, safety.blocked_since, day = day(locale, b.since.date_naive())).to_string();
                                view! {
                                    <li data-person=b.id.0.to_string()>
                                        <span>{person_name(i18n, &b.name)}</span> " · " <span class="hint">{since}</span>
                                        <ActionForm action=unblock attr:class="inline-form">
                                            <input type="hidden" name="id" value=b.id.0.to_string() />
                                            <button type="submit">{t!(i18n, safety.unblock)}</button>
                                        </ActionForm>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// One report in the queue: what was reported and by whom, the content as it stands, and (while open) the
/// moderator's decision.
#[component]
fn ReportCard(report: ReportView, action: ServerAction<Moderate>, lift: ServerAction<LiftSuspension>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = report.id.0;
    let when = day(locale, report.at.date_naive());
    let reporter = if report.reporter.is_empty() {
        t_string!(i18n, auth.former_member).to_owned()
    } else {
        person_name(i18n, &report.reporter)
    };
    let about = report.about.clone().map(|(person, name)| {
        let earlier = t_string!(i18n, safety.earlier_reports, count = report.about_reports).to_string();
        view! {
            <dt>{t!(i18n, safety.about)}</dt>
            <dd>
                <a href=format!("/people/{person}")>{person_name(i18n, &name)}</a> " · " {earlier}
                {report.about_suspended.then(|| view! { " · " <span class="badge">{t!(i18n, safety.suspended)}</span> })}
            </dd>
        }
    });
    let label = match report.link.clone() {
        Some(link) => view! { <a href=link>{report.label.clone()}</a> }.into_any(),
        None => view! { <span>{report.label.clone()}</span> }.into_any(),
    };
    let handled = report.handled.clone().map(|h| {
        let line = t_string!(
            i18n,
            safety.handled_line,
            outcome = outcome_label(i18n, &h.outcome),
            who = person_name(i18n, &h.by),
            day = day(locale, h.at.date_naive())
        )
        .to_string();
        view! {
            <p class="form-done" data-outcome=h.outcome.clone()>{line}</p>
            {(!h.note.is_empty()).then(|| view! { <p class="notice-note">{h.note.clone()}</p> })}
        }
    });
    let open = report.handled.is_none();
    let liftable = !open && report.about_suspended;
    let has_person = report.about.is_some();
    let hideable = report.hideable && !report.hidden;
    let field = move |name: &str| format!("{name}-{id}");
    view! {
        <li class="report" data-report=id.to_string() data-kind=report.kind.clone()>
            <h3>{kind_label(i18n, &report.kind)} ": " {label}</h3>
            <dl class="facts">
                <dt>{t!(i18n, safety.reason)}</dt><dd data-reason=report.reason.clone()>{reason_label(i18n, &report.reason)}</dd>
                <dt>{t!(i18n, safety.reported_by)}</dt><dd>{reporter} " · " {when}</dd>
                {about}
            </dl>
            {(!report.note.is_empty()).then(|| view! { <p class="notice-note">{report.note.clone()}</p> })}
            {(!report.content.is_empty()).then(|| view! {
                <blockquote class="reported-content">{report.content.clone()}</blockquote>
            })}
            {report.hidden.then(|| view! { <p class="hint">{t!(i18n, safety.already_hidden)}</p> })}
            {handled}
            {liftable.then(|| view! {
                <details class="lift-suspension">
                    <summary>{t!(i18n, safety.lift)}</summary>
                    <ActionForm action=lift attr:class="stacked-form lift-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <label for=field("lift-note")>{t!(i18n, safety.lift_note)}</label>
                        <textarea id=field("lift-note") name="note" rows="2" maxlength="2000"></textarea>
                        <button type="submit">{t!(i18n, safety.lift)}</button>
                    </ActionForm>
                </details>
            })}
            {open.then(|| view! {
                <ActionForm action=action attr:class="stacked-form moderate-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <fieldset>
                        <legend>{t!(i18n, safety.decision)}</legend>
                        <label class="choice"><input type="radio" name="action" value="dismiss" checked=true /> " " {t!(i18n, safety.action_dismiss)}</label>
                        {hideable.then(|| view! { <label class="choice"><input type="radio" name="action" value="hide" /> " " {t!(i18n, safety.action_hide)}</label> })}
                        {has_person.then(|| view! {
                            <label class="choice"><input type="radio" name="action" value="warn" /> " " {t!(i18n, safety.action_warn)}</label>
                            <label class="choice"><input type="radio" name="action" value="suspend" /> " " {t!(i18n, safety.action_suspend)}</label>
                        })}
                    </fieldset>
                    {has_person.then(|| view! {
                        <label for=field("days")>{t!(i18n, safety.days)}</label>
                        <input type="number" id=field("days") name="days" min="1" max="3650" inputmode="numeric" aria-describedby=field("days-hint") />
                        <p id=field("days-hint") class="hint">{t!(i18n, safety.days_hint)}</p>
                    })}
                    <label for=field("note")>{t!(i18n, safety.decision_note)}</label>
                    <textarea id=field("note") name="note" rows="2" maxlength="2000"></textarea>
                    <button type="submit">{t!(i18n, safety.decide)}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// `/moderation`: the reports of the networks the reader coordinates (all of them for an admin).
#[component]
pub fn ModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    let queue = Resource::new(|| (), |_| get_moderation_queue());
    let decide = ServerAction::<Moderate>::new();
    let lift = ServerAction::<LiftSuspension>::new();
    view! {
        <PageTitle title=t_string!(i18n, safety.queue_title) />
        <h1>{t!(i18n, safety.queue_title)}</h1>
        <FormDone action=Moderate::PATH>{t!(i18n, safety.decided)}</FormDone>
        <FormDone action=LiftSuspension::PATH>{t!(i18n, safety.lifted)}</FormDone>
        <ActionError value=decide.value() />
        <ActionError value=lift.value() />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let q = match queue.await {
                    Ok(q) => q,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let intro = if q.is_admin { t_string!(i18n, safety.queue_intro_admin) } else { t_string!(i18n, safety.queue_intro) };
                view! {
                    <p class="hint">{intro}</p>
                    {q.is_admin.then(|| view! { <p><a href="/admin/audit">{t!(i18n, safety.audit_title)}</a></p> })}
                    <section aria-labelledby="open-heading">
                        <h2 id="open-heading">{t!(i18n, safety.open_reports)}</h2>
                        {if q.open.is_empty() {
                            view! { <p id="no-reports">{t!(i18n, safety.no_reports)}</p> }.into_any()
                        } else {
                            view! {
                                <ol class="reports" id="open-reports">
                                    {q.open.into_iter().map(|report| view! { <ReportCard report action=decide lift /> }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    </section>
                    {(!q.handled.is_empty()).then(|| view! {
                        <section aria-labelledby="handled-heading">
                            <h2 id="handled-heading">{t!(i18n, safety.handled_reports)}</h2>
                            <ol class="reports" id="handled-reports">
                                {q.handled.into_iter().map(|report| view! { <ReportCard report action=decide lift /> }).collect_view()}
                            </ol>
                        </section>
                    })}
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// `/admin/audit?q=`: the audit trail for the admins, searchable, with its CSV.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let lines = Resource::new(move || q.clone(), |q| audit_trail(Some(q)));
    view! {
        <PageTitle title=t_string!(i18n, safety.audit_title) />
        <h1>{t!(i18n, safety.audit_title)}</h1>
        <p class="hint">{t!(i18n, safety.audit_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let page = match lines.await {
                    Ok(p) => p,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let locale = i18n.get_locale_untracked();
                let csv = format!("/admin/audit.csv?{}", form_urlencoded::Serializer::new(String::new()).append_pair("q", &page.query).finish());
                view! {
                    <form method="get" action="/admin/audit" class="inline-form" role="search" id="audit-search">
                        <label for="audit-q">{t!(i18n, safety.audit_search)}</label>
                        <input type="search" id="audit-q" name="q" value=page.query.clone() maxlength="200" />
                        <button type="submit">{t!(i18n, safety.audit_find)}</button>
                    </form>
                    <p><a href=csv download id="audit-csv">{t!(i18n, safety.audit_csv)}</a></p>
                    {if page.lines.is_empty() {
                        view! { <p id="audit-empty">{t!(i18n, safety.audit_empty)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll">
                                <table class="figures" id="audit-lines">
                                    <caption>{t!(i18n, safety.audit_title)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, safety.audit_when)}</th>
                                        <th scope="col">{t!(i18n, safety.audit_action)}</th>
                                        <th scope="col">{t!(i18n, safety.audit_by)}</th>
                                        <th scope="col">{t!(i18n, safety.audit_about)}</th>
                                        <th scope="col">{t!(i18n, safety.audit_note)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.lines.iter().map(|l| {
                                            let about = [l.subject.clone(), l.coop.clone(), l.network.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                                            view! {
                                                <tr data-action=l.action.clone()>
                                                    <td>{day(locale, l.at.date_naive())} " " {l.at.format("%H:%M").to_string()}</td>
                                                    <td>{action_label(i18n, &l.action)}</td>
                                                    <td>{l.actor.clone().unwrap_or_default()}</td>
                                                    <td>{about}</td>
                                                    <td>{l.note.clone()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {page.more.then(|| view! { <p class="hint">{t!(i18n, safety.audit_more)}</p> })}
                        }.into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
