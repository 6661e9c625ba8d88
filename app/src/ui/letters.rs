//! Invitation letters: the section of a stay's page (issue, download, withdraw) and the public verification page
//! `/letters/{token}`.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_i18n::Locale as _;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;

use crate::api::letters::{IssueLetter, WithdrawLetter, check_letter};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ActionError, FormDone, LoadError};
use crate::ui::layout::PageTitle;
use crate::ui::{person_name, purpose_label};
use crate::views::letters::{LANGUAGES, LetterState, StayLetters};
use crate::views::notifications::{day, nights};

type I18n = leptos_i18n::I18nContext<crate::i18n::Locale>;

/// A letter language's name in the reader's language.
fn language_name(i18n: I18n, code: &str) -> &'static str {
    match code {
        "es" => t_string!(i18n, letters.lang_es),
        "pt" => t_string!(i18n, letters.lang_pt),
        _ => t_string!(i18n, letters.lang_en),
    }
}

fn state_label(i18n: I18n, state: LetterState) -> &'static str {
    match state {
        LetterState::Valid => t_string!(i18n, letters.state_valid),
        LetterState::Withdrawn => t_string!(i18n, letters.state_withdrawn),
        LetterState::StayCancelled => t_string!(i18n, letters.state_cancelled),
    }
}

/// The letters of a stay on its page: the host admins issue one in a language and withdraw it; the traveller,
/// the host admins and the coordinators download those that stand and open their verification pages.
#[component]
pub fn StayLettersSection(id: i64, letters: StayLetters, is_traveller: bool) -> impl IntoView {
    let i18n = use_i18n();
    let issue = ServerAction::<IssueLetter>::new();
    let withdraw = ServerAction::<WithdrawLetter>::new();
    if letters.letters.is_empty() && !letters.may_issue && !is_traveller {
        return ().into_any();
    }
    let intro =
        if letters.may_issue { t_string!(i18n, letters.intro_host) } else { t_string!(i18n, letters.intro_traveller) };
    let none_yet =
        (letters.letters.is_empty() && !letters.may_issue).then(|| view! { <p>{t!(i18n, letters.none_yet)}</p> });
    let locale = i18n.get_locale_untracked();
    let may_issue = letters.may_issue;
    let items = letters.letters.clone();
    let list = (!items.is_empty()).then(move || {
        view! {
            <ul class="letters" id="stay-letters">
                {items
                    .into_iter()
                    .map(|letter| {
                        let issued = t_string!(i18n, letters.issued_in, day = day(locale, letter.issued_at.date_naive()), language = language_name(i18n, &letter.language)).to_string();
                        let valid = letter.state == LetterState::Valid;
                        let pdf = format!("/stays/{id}/letters/{}.pdf", letter.token);
                        let check = format!("/letters/{}", letter.token);
                        let note = (!letter.revoked_note.is_empty()).then(|| view! { <p class="notice-note">{letter.revoked_note.clone()}</p> });
                        view! {
                            <li data-state=if valid { "valid" } else { "void" } data-language=letter.language.clone()>
                                <p>
                                    {issued} " · " <span class="badge">{state_label(i18n, letter.state)}</span>
                                </p>
                                {note}
                                <p class="letter-links">
                                    {valid.then(|| view! { <a href=pdf.clone() download class="button-link">{t!(i18n, letters.download)}</a> " " })}
                                    <a href=check>{t!(i18n, letters.verify_page)}</a>
                                </p>
                                {(valid && may_issue).then(|| view! {
                                    <details class="letter-withdraw">
                                        <summary>{t!(i18n, letters.withdraw)}</summary>
                                        <ActionForm action=withdraw attr:class="stacked-form">
                                            <input type="hidden" name="id" value=id.to_string() />
                                            <input type="hidden" name="token" value=letter.token.clone() />
                                            <label for=format!("withdraw-note-{}", letter.token)>{t!(i18n, letters.withdraw_note)}</label>
                                            <input type="text" id=format!("withdraw-note-{}", letter.token) name="note" maxlength="500" />
                                            <button type="submit" class="danger">{t!(i18n, letters.withdraw)}</button>
                                        </ActionForm>
                                    </details>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let form = letters.may_issue.then(|| {
        let chosen = letters.traveller_language.clone();
        view! {
            <ActionForm action=issue attr:class="stacked-form" attr:id="letter-form">
                <input type="hidden" name="id" value=id.to_string() />
                <label for="letter-language">{t!(i18n, letters.language)}</label>
                <select id="letter-language" name="language">
                    {LANGUAGES
                        .iter()
                        .map(|code| view! { <option value=*code selected=*code == chosen>{language_name(i18n, code)}</option> })
                        .collect_view()}
                </select>
                <ActionError value=issue.value() />
                <button type="submit">{t!(i18n, letters.issue)}</button>
            </ActionForm>
        }
    });
    view! {
        <section aria-labelledby="letters-heading" id="letters">
            <h2 id="letters-heading">{t!(i18n, letters.heading)}</h2>
            <p class="hint">{intro}</p>
            <FormDone action=IssueLetter::PATH>{t!(i18n, letters.issued_done)}</FormDone>
            <FormDone action=WithdrawLetter::PATH>{t!(i18n, letters.withdrawn_done)}</FormDone>
            <ActionError value=withdraw.value() />
            {none_yet}
            {list}
            {form}
        </section>
    }
    .into_any()
}

/// `/letters/{token}`: public. Whether the letter is genuine and stands, with only what the letter says.
#[component]
pub fn LetterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let letter = Resource::new(move || token.get(), check_letter);
    view! {
        <PageTitle title=t_string!(i18n, letters.page_title) />
        // A letter's address is for its holders, not for search engines.
        <Meta name="robots" content="noindex" />
        <h1>{t!(i18n, letters.page_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let check = match letter.await {
                    Ok(check) => check,
                    Err(AppError::NotFound) => {
                        #[cfg(feature = "ssr")]
                        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                            response.set_status(http::StatusCode::NOT_FOUND);
                        }
                        return view! { <p class="notice" role="alert" id="letter-state" data-state="unknown">{t!(i18n, letters.not_found)}</p> }.into_any();
                    }
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let locale = i18n.get_locale_untracked();
                let f = check.facts;
                let (state, class) = match check.state {
                    LetterState::Valid => (t_string!(i18n, letters.valid).to_owned(), "form-done letter-valid"),
                    LetterState::Withdrawn => {
                        let on = check.revoked_at.map(|at| day(locale, at.date_naive())).unwrap_or_default();
                        (t_string!(i18n, letters.withdrawn, host = &f.host_coop, day = on).to_string(), "notice letter-void")
                    }
                    LetterState::StayCancelled => (t_string!(i18n, letters.stay_cancelled).to_owned(), "notice letter-void"),
                };
                let data_state = if check.state == LetterState::Valid { "valid" } else { "void" };
                let place = if f.host_city.is_empty() {
                    f.host_country.name(locale.as_str()).to_owned()
                } else {
                    format!("{}, {}", f.host_city, f.host_country.name(locale.as_str()))
                };
                let dates = format!("{} → {} ({})", day(locale, f.check_in), day(locale, f.check_out), nights(locale, f.nights));
                let signer = if f.signer_name.is_empty() { t_string!(i18n, auth.former_member).to_owned() } else { person_name(i18n, &f.signer_name) };
                view! {
                    <p class=class role="status" id="letter-state" data-state=data_state>{state}</p>
                    <dl class="facts" id="letter-facts">
                        <dt>{t!(i18n, letters.fact_traveller)}</dt><dd>{f.traveller_name.clone()} " (" {f.traveller_coop.clone()} ")"</dd>
                        <dt>{t!(i18n, letters.fact_dates)}</dt><dd>{dates}</dd>
                        <dt>{t!(i18n, letters.fact_host)}</dt><dd>{f.host_coop.clone()} ", " {place}</dd>
                        {f.address.clone().map(|address| view! { <dt>{t!(i18n, letters.fact_address)}</dt><dd>{address}</dd> })}
                        <dt>{t!(i18n, letters.fact_network)}</dt><dd>{f.network_name.clone()}</dd>
                        <dt>{t!(i18n, letters.fact_purpose)}</dt><dd>{purpose_label(i18n, f.purpose)}</dd>
                        <dt>{t!(i18n, letters.fact_signed_by)}</dt><dd>{signer}</dd>
                        <dt>{t!(i18n, letters.fact_issued)}</dt><dd>{day(locale, f.issued_at.date_naive())}</dd>
                        <dt>{t!(i18n, letters.fact_language)}</dt><dd>{language_name(i18n, &f.language)}</dd>
                        <dt>{t!(i18n, letters.fact_reference)}</dt><dd><code>{check.reference.clone()}</code></dd>
                    </dl>
                    <p class="hint">{t!(i18n, letters.shows_only)}</p>
                }
                .into_any()
            })}
        </Suspense>
    }
}
