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
use crate::ui::forms::{ActionError, CopyField, FormDone, LoadError};
use crate::ui::layout::PageTitle;
use crate::ui::{kind_label, offer_status_label, weekday_name, when};
use crate::views::calendar::{CalendarView, DayView, MonthView};
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
        <input id="offer-skills" name="offer[skills_wanted]" maxlength="1000" value=values.skills_wanted aria-describedby="offer-skills-hint" />
        <p id="offer-skills-hint" class="hint">{t!(i18n, trust.skills_hint)}</p>
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

/// The weekdays as the range form names them (`days[mon]`…), Monday first.
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The calendar page: the offer and month come from the address. Everything is rendered here and its forms are
/// plain posts that come back to this page; the only script is [`CalendarScript`] (picking nights in the grid,
/// reading a chosen `.ics` file).
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
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match calendar.await {
                    Ok(cal) => view! { <CalendarEditor cal /> <CalendarScript /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The state of a night as the grid shows it (its CSS class).
fn night_class(d: &DayView) -> &'static str {
    if d.past {
        "day past"
    } else if d.imported {
        "day imported"
    } else if d.capacity == 0 {
        "day blocked"
    } else if d.reserved >= d.capacity {
        "day full"
    } else {
        "day open"
    }
}

/// One month: weekday heads and a button per night (the script turns clicks into a range; without it they are
/// read-only, and the range form takes dates).
#[component]
fn MonthGrid(month: MonthView) -> impl IntoView {
    let i18n = use_i18n();
    let title = format!("{}-{:02}", month.year, month.month);
    let blanks = (0..month.leading_blanks).map(|_| view! { <li class="blank" aria-hidden="true"></li> }).collect_view();
    let days = month
        .days
        .into_iter()
        .map(|d| {
            let weekday = weekday_name(i18n, d.date.weekday().num_days_from_monday() as usize);
            let label = format!("{weekday} {}: {} / {}", d.date, d.reserved, d.capacity);
            view! {
                <li class=night_class(&d) data-night=d.date.to_string() data-capacity=d.capacity data-reserved=d.reserved>
                    <button type="button" aria-label=label disabled=d.past>
                        <span class="num">{d.date.day()}</span>
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
                {(0..7).map(|i| view! { <li>{weekday_name(i18n, i)}</li> }).collect_view()}
            </ol>
            <ol class="days">{blanks}{days}</ol>
        </section>
    }
}

/// The editor: the month grids, the range form, the presets, the iCal import and the feed. Each form is a plain
/// post back to this page; what it did (nights changed, what an import found, a new feed address) is kept once in
/// the session and shown here.
#[component]
fn CalendarEditor(cal: CalendarView) -> impl IntoView {
    let i18n = use_i18n();
    let edit = ServerAction::<EditCalendar>::new();
    let import = ServerAction::<ImportCalendar>::new();
    let feed = ServerAction::<RenewOfferFeed>::new();
    let offer = cal.offer.0.to_string();
    let default_capacity = cal.default_capacity.to_string();
    let first_month = cal.months.first().map(|m| (m.year, m.month));
    let weekend_range = first_month.and_then(|(y, m)| {
        let start = NaiveDate::from_ymd_opt(y, m, 1)?;
        let end = start.checked_add_months(chrono::Months::new(1))?;
        Some((start.to_string(), end.to_string()))
    });
    let today = cal.months.iter().flat_map(|m| m.days.iter()).find(|d| !d.past).map(|d| d.date);
    let ninety = today.and_then(|t| Some((t.to_string(), t.checked_add_days(Days::new(90))?.to_string())));
    let open_ninety = ninety.map(|(from, to)| {
        let fields = vec![("op", "open".to_owned()), ("capacity", default_capacity.clone())];
        view! { <PresetForm action=edit id="open-90" offer=offer.clone() from to fields label=t_string!(i18n, offers.open_90) /> }
    });
    let block_weekends = weekend_range.map(|(from, to)| {
        let fields = vec![("op", "block".to_owned()), ("days[fri]", "on".to_owned()), ("days[sat]", "on".to_owned())];
        view! { <PresetForm action=edit id="block-weekends" offer=offer.clone() from to fields label=t_string!(i18n, offers.block_weekends) /> }
    });
    let prev_href = cal.previous.clone().map(|m| format!("?month={m}")).unwrap_or_default();
    let next_href = cal.next.clone().map(|m| format!("?month={m}")).unwrap_or_default();
    let grids = cal.months.into_iter().map(|month| view! { <MonthGrid month /> }).collect_view();
    let changed = cal.changed.map(
        |n| view! { <p class="form-done" role="status" id="edit-result">{t!(i18n, offers.changed, count = move || n)}</p> },
    );
    let imported = cal.imported.map(|o| {
        let conflicts = o.conflicts.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        view! {
            <div class="form-done" role="status" id="import-result">
                <p>{t!(i18n, offers.import_done, events = o.events, nights = o.blocked)}</p>
                {(!o.conflicts.is_empty()).then(|| view! { <p>{t!(i18n, offers.import_conflicts)} " " {conflicts}</p> })}
            </div>
        }
    });
    let (offer_edit, offer_import) = (offer.clone(), offer.clone());
    view! {
        <h1>{t!(i18n, offers.calendar)} " · " <a href=format!("/offers/{}/edit", cal.offer)>{cal.title.clone()}</a></h1>
        <p class="legend">
            <span class="day open">{t!(i18n, offers.legend_open)}</span>
            <span class="day full">{t!(i18n, offers.legend_full)}</span>
            <span class="day blocked">{t!(i18n, offers.legend_blocked)}</span>
            <span class="day imported">{t!(i18n, offers.legend_imported)}</span>
        </p>
        <nav class="month-nav" aria-label=t_string!(i18n, offers.months)>
            <a href=prev_href>{t!(i18n, offers.previous)}</a> " · " <a href=next_href>{t!(i18n, offers.next)}</a>
        </nav>
        <div class="months" id="calendar-grid">{grids}</div>
        <section aria-labelledby="edit-heading">
            <h2 id="edit-heading">{t!(i18n, offers.edit_nights)}</h2>
            <p class="hint">{t!(i18n, offers.edit_hint)}</p>
            {changed}
            <ActionForm action=edit attr:class="stacked-form" attr:id="calendar-form">
                <input type="hidden" name="offer" value=offer_edit />
                <label for="from">{t!(i18n, offers.from)}</label>
                <input id="from" name="from" type="date" required />
                <label for="to">{t!(i18n, offers.to)}</label>
                <input id="to" name="to" type="date" required />
                <fieldset>
                    <legend>{t!(i18n, offers.weekdays)}</legend>
                    {WEEKDAYS
                        .iter()
                        .enumerate()
                        .map(|(i, d)| view! {
                            <label class="checkbox"><input type="checkbox" name=format!("days[{d}]") value="on" />{weekday_name(i18n, i)}</label>
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
                <button type="submit">{t!(i18n, offers.apply)}</button>
            </ActionForm>
            <div class="row-actions" id="presets">
                {open_ninety}
                {block_weekends}
            </div>
            // One place for the refusals of the three edit forms (the range, the two presets).
            <ActionError value=edit.value() />
        </section>
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">{t!(i18n, offers.import_heading)}</h2>
            <p class="hint">{t!(i18n, offers.import_hint)}</p>
            {cal.last_import.map(|(at, events)| view! { <p>{t!(i18n, offers.last_import)} " " {format!("{} ({events})", when(i18n, at))}</p> })}
            {imported}
            <ActionForm action=import attr:class="stacked-form" attr:id="import-form">
                <input type="hidden" name="offer" value=offer_import />
                <label for="ics-file">{t!(i18n, offers.import_file)}</label>
                <input id="ics-file" type="file" accept=".ics,text/calendar" />
                <label for="ics">{t!(i18n, offers.import_paste)}</label>
                <textarea id="ics" name="ics" rows="6"></textarea>
                <ActionError value=import.value() />
                <button type="submit">{t!(i18n, offers.import_submit)}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="feed-heading">
            <h2 id="feed-heading">{t!(i18n, offers.feed_heading)}</h2>
            <p class="hint">{t!(i18n, offers.feed_hint)}</p>
            {match cal.feed_url.clone() {
                Some(url) => view! {
                    <p class="form-done" role="status">{t!(i18n, offers.feed_new)}</p>
                    <CopyField id="feed-url" value=url label=t_string!(i18n, offers.feed_heading) />
                }
                .into_any(),
                None if cal.feed_exists => view! { <p id="feed-exists">{t!(i18n, offers.feed_exists)}</p> }.into_any(),
                None => ().into_any(),
            }}
            <ActionForm action=feed attr:id="feed-form">
                <input type="hidden" name="offer" value=offer />
                <ActionError value=feed.value() />
                <button type="submit" class="secondary">{t!(i18n, offers.feed_renew)}</button>
            </ActionForm>
        </section>
    }
}

/// A one-button edit of the nights `from`..`to` of `offer` (the presets "open the next 90 days", "block the
/// weekends"): the edit form's fields, all hidden, `fields` giving the operation and its options.
#[component]
fn PresetForm(
    action: ServerAction<EditCalendar>,
    id: &'static str,
    offer: String,
    from: String,
    to: String,
    fields: Vec<(&'static str, String)>,
    label: &'static str,
) -> impl IntoView {
    let fields = fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> });
    view! {
        <ActionForm action attr:id=id>
            <input type="hidden" name="offer" value=offer />
            <input type="hidden" name="from" value=from />
            <input type="hidden" name="to" value=to />
            {fields.collect_view()}
            <button type="submit" class="secondary">{label}</button>
        </ActionForm>
    }
}

/// The calendar page's script, a lazy island that draws nothing: a click on a night in the grid picks the first
/// night of a range, the next click its last one, and the range form is filled in (its dates can still be typed);
/// a chosen `.ics` file is read into the paste box (the server receives text either way).
#[island(lazy)]
fn CalendarScript() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    calendar_script::start();
}

#[cfg(feature = "hydrate")]
mod calendar_script {
    use chrono::{Days, NaiveDate};
    use leptos::ev;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

    fn input(id: &str) -> Option<HtmlInputElement> {
        document().get_element_by_id(id)?.dyn_into().ok()
    }

    /// Marks the nights of the range in the form's fields as selected in the grid.
    fn show_range() {
        let (Some(from), Some(to)) = (input("from"), input("to")) else { return };
        let (from, to) = (from.value(), to.value());
        let Ok(nights) = document().query_selector_all("#calendar-grid li[data-night]") else { return };
        for i in 0..nights.length() {
            let Some(li) = nights.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            let night = li.get_attribute("data-night").unwrap_or_default();
            let inside = !from.is_empty() && night >= from && night < to;
            li.class_list().toggle_with_force("selected", inside).ok();
        }
    }

    pub fn start() {
        let anchor = StoredValue::new(None::<NaiveDate>);
        let on_click = move |ev: ev::MouseEvent| {
            let Some(li) = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.closest("#calendar-grid li[data-night]").ok().flatten())
            else {
                return;
            };
            let Some(date) = li.get_attribute("data-night").and_then(|d| d.parse::<NaiveDate>().ok()) else { return };
            let (Some(from), Some(to)) = (input("from"), input("to")) else { return };
            let after = |d: NaiveDate| d.checked_add_days(Days::new(1)).unwrap_or(d).to_string();
            match anchor.get_value() {
                None => {
                    from.set_value(&date.to_string());
                    to.set_value(&after(date));
                    anchor.set_value(Some(date));
                }
                Some(first) => {
                    let (start, end) = if date >= first { (first, date) } else { (date, first) };
                    from.set_value(&start.to_string());
                    to.set_value(&after(end));
                    anchor.set_value(None);
                }
            }
            show_range();
        };
        let on_input = |ev: ev::Event| {
            let id = ev.target().and_then(|t| t.dyn_into::<Element>().ok()).map(|e| e.id()).unwrap_or_default();
            if id == "from" || id == "to" {
                show_range();
            }
        };
        let on_change = |ev: ev::Event| {
            let Some(chooser) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            if chooser.id() != "ics-file" {
                return;
            }
            let Some(file) = chooser.files().and_then(|files| files.get(0)) else { return };
            let promise = file.text();
            leptos::task::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(promise).await
                    && let (Some(text), Some(area)) = (text.as_string(), document().get_element_by_id("ics"))
                    && let Ok(area) = area.dyn_into::<HtmlTextAreaElement>()
                {
                    area.set_value(&text);
                }
            });
        };
        window_event_listener(ev::click, on_click);
        window_event_listener(ev::input, on_input);
        window_event_listener(ev::change, on_change);
    }
}
