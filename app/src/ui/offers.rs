//! Host pages for offers: a co-op's offers with the new-offer form, editing an offer, and its calendar editor
//! (month grids, range edits, weekly patterns, iCal import and feed).

use chrono::{Datelike, Days, NaiveDate};
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::calendar::{EditCalendar, ImportCalendar, RenewOfferFeed, get_calendar};
use crate::api::offers::{CreateOffer, DeleteOffer, SetOfferStatus, UpdateOffer, coop_offers, manage_offer};
use crate::domain::{OfferKind, OfferStatus};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ActionError, FormDone, LoadError};
use crate::ui::layout::PageTitle;
use crate::ui::{kind_label, offer_status_label, when};
use crate::views::calendar::CalendarView;
use crate::views::offers::OfferForm;

/// The offer fields, named `offer[...]` so they arrive as one `OfferForm`.
#[component]
fn OfferFields(values: OfferForm) -> impl IntoView {
    let i18n = use_i18n();
    let kind = values.kind.clone();
    let kinds = OfferKind::ALL.iter().map(|k| (k.as_str(), kind_label(i18n, *k)));
    view! {
        <label for="offer-kind">{t!(i18n, offers.kind)}</label>
        <select id="offer-kind" name="offer[kind]">
            {kinds
                .into_iter()
                .map(|(value, label)| view! { <option value=value selected=kind == value>{label.to_string()}</option> })
                .collect_view()}
        </select>
        <label for="offer-title">{t!(i18n, offers.title)}</label>
        <input id="offer-title" name="offer[title]" required maxlength="120" value=values.title />
        <label for="offer-description">{t!(i18n, coops.field_description)}</label>
        <textarea id="offer-description" name="offer[description]" rows="4" maxlength="4000">{values.description}</textarea>
        <label for="offer-capacity">{t!(i18n, offers.capacity)}</label>
        <input id="offer-capacity" name="offer[capacity]" type="number" min="1" max="1000" required value=values.capacity />
        <label for="offer-min">{t!(i18n, offers.min_nights)}</label>
        <input id="offer-min" name="offer[min_nights]" type="number" min="1" max="365" required value=values.min_nights />
        <label for="offer-max">{t!(i18n, offers.max_nights)}</label>
        <input id="offer-max" name="offer[max_nights]" type="number" min="1" max="365" required value=values.max_nights />
        <label for="offer-notice">{t!(i18n, offers.notice_days)}</label>
        <input id="offer-notice" name="offer[notice_days]" type="number" min="0" max="365" required value=values.notice_days />
        <label for="offer-languages">{t!(i18n, coops.field_languages)}</label>
        <input id="offer-languages" name="offer[languages]" value=values.languages />
        <label for="offer-amenities">{t!(i18n, stays.amenities)}</label>
        <input id="offer-amenities" name="offer[amenities]" maxlength="1000" value=values.amenities />
        <label for="offer-accessibility">{t!(i18n, stays.accessibility)}</label>
        <input id="offer-accessibility" name="offer[accessibility]" maxlength="1000" value=values.accessibility />
        <label for="offer-rules">{t!(i18n, stays.house_rules)}</label>
        <textarea id="offer-rules" name="offer[house_rules]" rows="2" maxlength="2000">{values.house_rules}</textarea>
        <label for="offer-skills">{t!(i18n, stays.skills_wanted)}</label>
        <input id="offer-skills" name="offer[skills_wanted]" maxlength="1000" value=values.skills_wanted />
        <label for="offer-address">{t!(i18n, offers.address)}</label>
        <input id="offer-address" name="offer[address]" maxlength="300" value=values.address aria-describedby="address-hint" />
        <p id="address-hint" class="hint">{t!(i18n, offers.address_hint)}</p>
    }
}

#[component]
pub fn CoopOffersPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let create = ServerAction::<CreateOffer>::new();
    let list = Resource::new(move || slug.get(), coop_offers);
    let defaults = OfferForm {
        kind: "room".into(),
        capacity: "1".into(),
        min_nights: "1".into(),
        max_nights: "14".into(),
        notice_days: "2".into(),
        ..OfferForm::default()
    };
    view! {
        <PageTitle title=t_string!(i18n, offers.manage_title) />
        <h1>{t!(i18n, offers.manage_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(items) => view! {
                        <ul class="stay-list" id="coop-offers">
                            {items
                                .into_iter()
                                .map(|o| {
                                    view! {
                                    <li data-offer=o.id.0.to_string() data-status=o.status.as_str()>
                                        <strong>{o.title}</strong> " · " {kind_label(i18n, o.kind)} " · "
                                        <span class="badge">{offer_status_label(i18n, o.status)}</span>
                                        " · " <a href=format!("/offers/{}/edit", o.id)>{t!(i18n, offers.edit)}</a>
                                        " · " <a href=format!("/offers/{}/calendar", o.id)>{t!(i18n, offers.calendar)}</a>
                                        " · " <a href=format!("/offers/{}", o.id)>{t!(i18n, offers.public_page)}</a>
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
        <section aria-labelledby="new-offer">
            <h2 id="new-offer">{t!(i18n, offers.new_title)}</h2>
            <ActionForm action=create attr:class="stacked-form" attr:id="offer-form">
                <input type="hidden" name="coop" value=move || slug.get() />
                <OfferFields values=defaults />
                <ActionError value=create.value() />
                <button type="submit">{t!(i18n, offers.create_submit)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn EditOfferPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default());
    let update = ServerAction::<UpdateOffer>::new();
    let status = ServerAction::<SetOfferStatus>::new();
    let delete = ServerAction::<DeleteOffer>::new();
    let offer = Resource::new(move || (id.get(), status.version().get()), |(id, _)| manage_offer(id));
    view! {
        <PageTitle title=t_string!(i18n, offers.edit_title) />
        <h1>{t!(i18n, offers.edit_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let view = match offer.await {
                    Ok(view) => view,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let id = view.id.0.to_string();
                let (update_id, delete_id) = (id.clone(), id.clone());
                let current = view.status;
                let statuses = [OfferStatus::Published, OfferStatus::Paused, OfferStatus::Draft]
                    .into_iter()
                    .filter(move |s| *s != current)
                    .map(OfferStatus::as_str);
                view! {
                    <p>
                        <span class="badge" id="offer-status" data-status=view.status.as_str()>{offer_status_label(i18n, view.status)}</span> " · "
                        <a href=format!("/offers/{}/calendar", view.id)>{t!(i18n, offers.calendar)}</a> " · "
                        <a href=format!("/coops/{}/offers", view.coop_slug)>{t!(i18n, offers.manage_title)}</a>
                    </p>
                    <div class="row-actions" id="status-actions">
                        {statuses
                            .map(|s| {
                                let label = match s {
                                    "published" => t_string!(i18n, offers.publish),
                                    "paused" => t_string!(i18n, offers.pause),
                                    _ => t_string!(i18n, offers.to_draft),
                                };
                                let id = id.clone();
                                view! {
                                    <ActionForm action=status attr:data-status=s>
                                        <input type="hidden" name="id" value=id />
                                        <input type="hidden" name="status" value=s />
                                        <button type="submit" class="secondary">{label.to_string()}</button>
                                    </ActionForm>
                                }
                            })
                            .collect_view()}
                    </div>
                    <ActionError value=status.value() />
                    <ActionForm action=update attr:class="stacked-form" attr:id="offer-form">
                        <input type="hidden" name="id" value=update_id />
                        <OfferFields values=view.form.clone() />
                        <ActionError value=update.value() />
                        <FormDone action=UpdateOffer::PATH>{t!(i18n, offers.saved)}</FormDone>
                        <button type="submit">{t!(i18n, coops.save)}</button>
                    </ActionForm>
                    <ActionForm action=delete attr:id="delete-offer-form">
                        <input type="hidden" name="id" value=delete_id />
                        <ActionError value=delete.value() />
                        <button type="submit" class="secondary">{t!(i18n, offers.delete)}</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </Suspense>
    }
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The calendar page: the offer and month come from the address; the editor is an island.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = params.read_untracked().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let month = query.read_untracked().get("month");
    let i18n = use_i18n();
    let calendar = Resource::new(move || month.clone(), move |month| get_calendar(id, month, Some(3)));
    view! {
        <PageTitle title=t_string!(i18n, offers.calendar) />
        // After a plain post (no JavaScript) the editor's own messages are not shown: say it was done.
        <FormDone action=EditCalendar::PATH>{t!(i18n, forms.done)}</FormDone>
        <FormDone action=ImportCalendar::PATH>{t!(i18n, forms.done)}</FormDone>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match calendar.await {
                    Ok(cal) => view! { <CalendarEditor cal /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The calendar editor, an island: the month grids (a click picks the first and the last night of a range), the
/// range form, the presets, the iCal import and the feed. The page renders it with the months it read; its forms
/// are sent by the island, which then reads the same months again. Without JavaScript they are plain posts that
/// come back to this page.
#[island(lazy)]
fn CalendarEditor(cal: CalendarView) -> impl IntoView {
    let i18n = use_i18n();
    let edit = ServerAction::<EditCalendar>::new();
    let import = ServerAction::<ImportCalendar>::new();
    let feed = ServerAction::<RenewOfferFeed>::new();
    // The months shown: first month and offer as the page read them, again after each change.
    let reread = (cal.offer.0, cal.months.first().map(|m| format!("{}-{:02}", m.year, m.month)));
    let calendar = RwSignal::new(cal);
    Effect::new(move |seen: Option<()>| {
        let _ = (edit.version().get(), import.version().get(), feed.version().get());
        if seen.is_some() {
            let (offer, month) = reread.clone();
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = get_calendar(offer, month, Some(3)).await {
                    calendar.set(fresh);
                }
            });
        }
    });
    // Picking nights in the grid fills the range form: the first click marks the first night, the second the last.
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let anchor = RwSignal::new(None::<NaiveDate>);
    let pick = move |date: NaiveDate| {
        let after = |d: NaiveDate| d.checked_add_days(Days::new(1)).unwrap_or(d).to_string();
        match anchor.get_untracked() {
            None => {
                from.set(date.to_string());
                to.set(after(date));
                anchor.set(Some(date));
            }
            Some(first) => {
                let (start, end) = if date >= first { (first, date) } else { (date, first) };
                from.set(start.to_string());
                to.set(after(end));
                anchor.set(None);
            }
        }
    };
    view! {
            {move || {
                let cal = calendar.get();
                let offer = cal.offer.0.to_string();
                let (offer_a, offer_b, offer_c, offer_d, offer_e) =
                    (offer.clone(), offer.clone(), offer.clone(), offer.clone(), offer.clone());
                let default_capacity = cal.default_capacity.to_string();
                let default_capacity_b = default_capacity.clone();
                let first_month = cal.months.first().map(|m| (m.year, m.month));
                let weekend_range = first_month.and_then(|(y, m)| {
                    let start = NaiveDate::from_ymd_opt(y, m, 1)?;
                    let end = start.checked_add_months(chrono::Months::new(1))?;
                    Some((start.to_string(), end.to_string()))
                });
                let today = cal.months.iter().flat_map(|m| m.days.iter()).find(|d| !d.past).map(|d| d.date);
                let ninety = today.and_then(|t| Some((t.to_string(), t.checked_add_days(Days::new(90))?.to_string())));
                let grids = cal
                    .months
                    .iter()
                    .map(|m| {
                        let title = format!("{}-{:02}", m.year, m.month);
                        let blanks = (0..m.leading_blanks).map(|_| view! { <li class="blank" aria-hidden="true"></li> }).collect_view();
                        let days = m
                            .days
                            .iter()
                            .map(|d| {
                                let free = (d.capacity - d.reserved).max(0);
                                let class = if d.past {
                                    "day past"
                                } else if d.imported {
                                    "day imported"
                                } else if d.capacity == 0 {
                                    "day blocked"
                                } else if free == 0 {
                                    "day full"
                                } else {
                                    "day open"
                                };
                                let date = d.date;
                                let label = format!("{}: {} / {}", date.format("%A %Y-%m-%d"), d.reserved, d.capacity);
                                let selected = move || {
                                    let (f, t) = (from.get(), to.get());
                                    !f.is_empty() && date.to_string() >= f && date.to_string() < t
                                };
                                view! {
                                    <li class=class class:selected=selected data-night=date.to_string() data-capacity=d.capacity data-reserved=d.reserved>
                                        <button type="button" aria-label=label on:click=move |_| pick(date) disabled=d.past>
                                            <span class="num">{date.day()}</span>
                                            <span class="cap">{d.reserved} "/" {d.capacity}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view();
                        view! {
                            <section class="month" aria-label=title.clone()>
                                <h3>{title.clone()}</h3>
                                <ol class="week-head" aria-hidden="true">
                                    {WEEKDAYS.iter().map(|d| view! { <li>{*d}</li> }).collect_view()}
                                </ol>
                                <ol class="days">{blanks}{days}</ol>
                            </section>
                        }
                    })
                    .collect_view();
                let prev_href = cal.previous.clone().map(|m| format!("?month={m}")).unwrap_or_default();
                let next_href = cal.next.clone().map(|m| format!("?month={m}")).unwrap_or_default();
                view! {
                    <h1>{t!(i18n, offers.calendar)} " · " <a href=format!("/offers/{}/edit", cal.offer)>{cal.title.clone()}</a></h1>
                    <p class="legend">
                        <span class="day open">{t!(i18n, offers.legend_open)}</span>
                        <span class="day full">{t!(i18n, offers.legend_full)}</span>
                        <span class="day blocked">{t!(i18n, offers.legend_blocked)}</span>
                        <span class="day imported">{t!(i18n, offers.legend_imported)}</span>
                    </p>
                    <nav class="month-nav" aria-label="months">
                        <a href=prev_href>{t!(i18n, offers.previous)}</a> " · " <a href=next_href>{t!(i18n, offers.next)}</a>
                    </nav>
                    <div class="months" id="calendar-grid">{grids}</div>
                    <section aria-labelledby="edit-heading">
                        <h2 id="edit-heading">{t!(i18n, offers.edit_nights)}</h2>
                        <p class="hint">{t!(i18n, offers.edit_hint)}</p>
                        <ActionForm action=edit attr:class="stacked-form" attr:id="calendar-form">
                            <input type="hidden" name="offer" value=offer_a />
                            <label for="from">{t!(i18n, offers.from)}</label>
                            <input id="from" name="from" type="date" required prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                            <label for="to">{t!(i18n, offers.to)}</label>
                            <input id="to" name="to" type="date" required prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                            <fieldset>
                                <legend>{t!(i18n, offers.weekdays)}</legend>
                                {WEEKDAYS
                                    .iter()
                                    .map(|d| view! {
                                        <label class="checkbox"><input type="checkbox" name=format!("days[{d}]") value="on" />{*d}</label>
                                    })
                                    .collect_view()}
                            </fieldset>
                            <fieldset>
                                <legend>{t!(i18n, offers.what)}</legend>
                                <label class="checkbox"><input type="radio" name="op" value="open" checked />{t!(i18n, offers.op_open)}</label>
                                <label class="checkbox"><input type="radio" name="op" value="block" />{t!(i18n, offers.op_block)}</label>
                            </fieldset>
                            <label for="capacity">{t!(i18n, offers.places)}</label>
                            <input id="capacity" name="capacity" type="number" min="0" max="1000" value=default_capacity />
                            <ActionError value=edit.value() />
                            {move || edit.value().get().and_then(Result::ok).map(|n| view! {
                                <p class="form-done" role="status">{t!(i18n, offers.changed, count = n)}</p>
                            })}
                            <button type="submit">{t!(i18n, offers.apply)}</button>
                        </ActionForm>
                        <div class="row-actions" id="presets">
                            {ninety.map(|(f, t)| view! {
                                <ActionForm action=edit attr:id="open-90">
                                    <input type="hidden" name="offer" value=offer_b />
                                    <input type="hidden" name="from" value=f />
                                    <input type="hidden" name="to" value=t />
                                    <input type="hidden" name="op" value="open" />
                                    <input type="hidden" name="capacity" value=default_capacity_b />
                                    <button type="submit" class="secondary">{t!(i18n, offers.open_90)}</button>
                                </ActionForm>
                            })}
                            {weekend_range.map(|(f, t)| view! {
                                <ActionForm action=edit attr:id="block-weekends">
                                    <input type="hidden" name="offer" value=offer_c />
                                    <input type="hidden" name="from" value=f />
                                    <input type="hidden" name="to" value=t />
                                    <input type="hidden" name="op" value="block" />
                                    <input type="hidden" name="days[fri]" value="on" />
                                    <input type="hidden" name="days[sat]" value="on" />
                                    <button type="submit" class="secondary">{t!(i18n, offers.block_weekends)}</button>
                                </ActionForm>
                            })}
                        </div>
                    </section>
                    <section aria-labelledby="import-heading">
                        <h2 id="import-heading">{t!(i18n, offers.import_heading)}</h2>
                        <p class="hint">{t!(i18n, offers.import_hint)}</p>
                        {cal.last_import.map(|(at, events)| view! { <p>{t!(i18n, offers.last_import)} " " {format!("{} ({events})", when(at))}</p> })}
                        <ActionForm action=import attr:class="stacked-form" attr:id="import-form">
                            <input type="hidden" name="offer" value=offer_d />
                            <label for="ics-file">{t!(i18n, offers.import_file)}</label>
                            <input id="ics-file" type="file" accept=".ics,text/calendar" on:change=read_file_into_textarea />
                            <label for="ics">{t!(i18n, offers.import_paste)}</label>
                            <textarea id="ics" name="ics" rows="6"></textarea>
                            <ActionError value=import.value() />
                            {move || import.value().get().and_then(Result::ok).map(|o| {
                                let conflicts = o.conflicts.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                                view! {
                                    <div class="form-done" role="status" id="import-result">
                                        <p>{t!(i18n, offers.import_done, events = o.events, nights = o.blocked)}</p>
                                        {(!o.conflicts.is_empty()).then(|| view! { <p>{t!(i18n, offers.import_conflicts)} " " {conflicts}</p> })}
                                    </div>
                                }
                            })}
                            <button type="submit">{t!(i18n, offers.import_submit)}</button>
                        </ActionForm>
                    </section>
                    <section aria-labelledby="feed-heading">
                        <h2 id="feed-heading">{t!(i18n, offers.feed_heading)}</h2>
                        <p class="hint">{t!(i18n, offers.feed_hint)}</p>
                        {match cal.feed_path.clone() {
                            Some(path) => view! {
                                <p class="form-done" role="status">{t!(i18n, offers.feed_new)}</p>
                                <p><code id="feed-url">{path}</code></p>
                            }
                            .into_any(),
                            None if cal.feed_exists => view! { <p id="feed-exists">{t!(i18n, offers.feed_exists)}</p> }.into_any(),
                            None => ().into_any(),
                        }}
                        <ActionForm action=feed attr:id="feed-form">
                            <input type="hidden" name="offer" value=offer_e />
                            <button type="submit" class="secondary">{t!(i18n, offers.feed_renew)}</button>
                        </ActionForm>
                    </section>
                }
            }}
    }
}

/// With JavaScript, a chosen `.ics` file is read into the paste box (the server receives text either way).
fn read_file_into_textarea(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        let promise = file.text();
        leptos::task::spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(promise).await
                && let (Some(text), Some(area)) =
                    (text.as_string(), leptos::prelude::document().get_element_by_id("ics"))
                && let Ok(area) = area.dyn_into::<web_sys::HtmlTextAreaElement>()
            {
                area.set_value(&text);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
