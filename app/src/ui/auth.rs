//! Sign up, log in, a forgotten password, and the account page (password, address, sessions, log out).

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{
    AskEmailChange, AskPasswordReset, ChangePassword, ConfirmEmailChange, DeleteAccount, ExportMyData, LogIn, LogOut,
    LogOutElsewhere, ResetPassword, SignUp, VerifyEmail, my_account,
};
use crate::domain::account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ActionError, FormDone, LoadError, refill};
use crate::ui::layout::PageTitle;
use crate::ui::role_label;

/// A field for choosing a password (its `name` is also its id), with the rules the server applies as its hint.
#[component]
fn NewPasswordField(name: &'static str, label: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=name>{label}</label>
        <input
            id=name
            name=name
            type="password"
            autocomplete="new-password"
            required
            minlength=PASSWORD_MIN_CHARS
            maxlength=PASSWORD_MAX_CHARS
            aria-describedby="password-hint"
        />
        <p id="password-hint" class="hint">{t!(i18n, auth.password_hint)}</p>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignUp>::new();
    // Refused (a weak password, say): the address and the name come back as typed; the password never does.
    let typed = Resource::new(|| (), |_| refill(SignUp::PATH));
    view! {
        <PageTitle title=t_string!(i18n, auth.signup_title) />
        <h1>{t!(i18n, auth.signup_title)}</h1>
        <p>{t!(i18n, auth.signup_intro)}</p>
        <Suspense fallback=|| ()>
        {move || Suspend::new(async move {
        let typed = typed.await;
        view! {
        <ActionForm action=action attr:class="stacked-form" attr:id="signup-form">
            <label for="email">{t!(i18n, auth.email)}</label>
            <input id="email" name="email" type="email" autocomplete="email" required value=typed.get("email") />
            <label for="display_name">{t!(i18n, auth.display_name)}</label>
            <input id="display_name" name="display_name" type="text" autocomplete="name" required maxlength="80" value=typed.get("display_name") />
            <NewPasswordField name="password" label=t_string!(i18n, auth.password) />
            <ActionError value=action.value() />
            <button type="submit">{t!(i18n, auth.signup_submit)}</button>
        </ActionForm>
        }
        })}
        </Suspense>
        <p>{t!(i18n, auth.have_account)} " " <a href="/login">{t!(i18n, nav.login)}</a></p>
    }
}

/// After signing up: the same page whether or not the address had an account.
#[component]
pub fn SignUpSentPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle title=t_string!(i18n, auth.sent_title) />
        <h1>{t!(i18n, auth.sent_title)}</h1>
        <p id="signup-sent" role="status">{t!(i18n, auth.sent_body)}</p>
        <p class="hint">{t!(i18n, auth.sent_hint)}</p>
    }
}

/// The page a confirmation link opens. Confirming changes data, so it is a button (a POST), never the GET of the
/// link itself — a mail scanner that follows links confirms nothing.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<VerifyEmail>::new();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <PageTitle title=t_string!(i18n, auth.verify_title) />
        <h1>{t!(i18n, auth.verify_title)}</h1>
        <ActionForm action=action attr:class="stacked-form" attr:id="verify-form">
            <input type="hidden" name="token" value=token />
            <p>{t!(i18n, auth.verify_intro)}</p>
            <ActionError value=action.value() />
            <button type="submit">{t!(i18n, auth.verify_submit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn LogInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LogIn>::new();
    let query = use_query_map();
    // Only ever a path on this site, whatever the link said (the server checks again).
    let next = move || {
        let next = query.read().get("next").unwrap_or_else(|| "/account".to_owned());
        crate::domain::redirect::local_path(&next).to_owned()
    };
    // A refused log-in keeps the address typed (never the password).
    let typed = Resource::new(|| (), |_| refill(LogIn::PATH));
    let changed = query.read_untracked().get("email").is_some_and(|e| e == "changed");
    view! {
        <PageTitle title=t_string!(i18n, auth.login_title) />
        <h1>{t!(i18n, auth.login_title)}</h1>
        {changed.then(|| view! { <p class="form-done" role="status" id="email-changed">{t!(i18n, auth.email_changed_login)}</p> })}
        <Suspense fallback=|| ()>
        {move || Suspend::new(async move {
        let email = typed.await.get("email");
        view! {
        <ActionForm action=action attr:class="stacked-form" attr:id="login-form">
            <input type="hidden" name="next" value=next />
            <label for="email">{t!(i18n, auth.email)}</label>
            <input id="email" name="email" type="email" autocomplete="username" required value=email />
            <label for="password">{t!(i18n, auth.password)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <ActionError value=action.value() />
            <button type="submit">{t!(i18n, auth.login_submit)}</button>
        </ActionForm>
        }
        })}
        </Suspense>
        <p><a href="/forgot" id="forgot-link">{t!(i18n, auth.forgot_link)}</a></p>
        <p>{t!(i18n, auth.no_account)} " " <a href="/signup">{t!(i18n, nav.signup)}</a></p>
    }
}

/// A forgotten password: the address, to which a link is sent.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AskPasswordReset>::new();
    let typed = Resource::new(|| (), |_| refill(AskPasswordReset::PATH));
    view! {
        <PageTitle title=t_string!(i18n, auth.forgot_title) />
        <h1>{t!(i18n, auth.forgot_title)}</h1>
        <p>{t!(i18n, auth.forgot_intro)}</p>
        <Suspense fallback=|| ()>
        {move || Suspend::new(async move {
        let email = typed.await.get("email");
        view! {
        <ActionForm action=action attr:class="stacked-form" attr:id="forgot-form">
            <label for="email">{t!(i18n, auth.email)}</label>
            <input id="email" name="email" type="email" autocomplete="username" required value=email />
            <ActionError value=action.value() />
            <button type="submit">{t!(i18n, auth.forgot_submit)}</button>
        </ActionForm>
        }
        })}
        </Suspense>
    }
}

/// After asking for a reset link: the same page whether or not the address has an account.
#[component]
pub fn ForgotSentPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle title=t_string!(i18n, auth.forgot_sent_title) />
        <h1>{t!(i18n, auth.forgot_sent_title)}</h1>
        <p id="forgot-sent" role="status">{t!(i18n, auth.forgot_sent_body)}</p>
        <p class="hint">{t!(i18n, auth.forgot_sent_hint)}</p>
    }
}

/// The page a reset link opens: the new password (the token travels in a hidden field; nothing changes on the GET
/// of the link itself).
#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <PageTitle title=t_string!(i18n, auth.reset_title) />
        <h1>{t!(i18n, auth.reset_title)}</h1>
        <ActionForm action=action attr:class="stacked-form" attr:id="reset-form">
            <input type="hidden" name="token" value=token />
            <p>{t!(i18n, auth.reset_intro)}</p>
            <NewPasswordField name="new_password" label=t_string!(i18n, auth.new_password) />
            <ActionError value=action.value() />
            <button type="submit">{t!(i18n, auth.reset_submit)}</button>
        </ActionForm>
    }
}

/// The page the link sent to a new address opens: a button confirms it (a POST, so a mail scanner that follows
/// links changes nothing).
#[component]
pub fn EmailConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <PageTitle title=t_string!(i18n, auth.email_confirm_title) />
        <h1>{t!(i18n, auth.email_confirm_title)}</h1>
        <ActionForm action=action attr:class="stacked-form" attr:id="email-confirm-form">
            <input type="hidden" name="token" value=token />
            <p>{t!(i18n, auth.email_confirm_intro)}</p>
            <ActionError value=action.value() />
            <button type="submit">{t!(i18n, auth.email_confirm_submit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    let change_email = ServerAction::<AskEmailChange>::new();
    let elsewhere = ServerAction::<LogOutElsewhere>::new();
    let log_out = ServerAction::<LogOut>::new();
    let delete = ServerAction::<DeleteAccount>::new();
    let account = Resource::new(|| (), |_| my_account());
    let query = use_query_map();
    let (reset, email_changed) =
        query.with_untracked(|q| (q.get("reset").is_some(), q.get("email").is_some_and(|e| e == "changed")));
    view! {
        <PageTitle title=t_string!(i18n, auth.account_title) />
        <h1>{t!(i18n, auth.account_title)}</h1>
        {reset.then(|| view! { <p class="form-done" role="status" id="reset-done">{t!(i18n, auth.reset_done)}</p> })}
        {email_changed.then(|| view! { <p class="form-done" role="status" id="email-changed">{t!(i18n, auth.email_changed)}</p> })}
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(account) => {
                        let name = account.user.display_name.clone();
                        let email = account.user.email.clone();
                        view! {
                            <p id="account-identity">{name} " · " {email}</p>
                            <crate::ui::trust::ProfileSection id=account.user.id />
                            <section aria-labelledby="my-coops">
                                <h2 id="my-coops">{t!(i18n, auth.my_coops)}</h2>
                                {if account.coops.is_empty() {
                                    view! { <p>{t!(i18n, auth.no_coops)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="link-list">
                                            {account
                                                .coops
                                                .into_iter()
                                                .map(|c| {
                                                    let href = format!("/coops/{}", c.slug);
                                                    let role = view! { <span class="badge">{role_label(i18n, c.role)}</span> };
                                                    view! { <li><a href=href>{c.name}</a> " " {role}</li> }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                                <p><a href="/coops/new" class="button-link">{t!(i18n, coops.create_link)}</a></p>
                            </section>
                            {(!account.networks.is_empty()).then(|| view! {
                                <section aria-labelledby="my-networks">
                                    <h2 id="my-networks">{t!(i18n, auth.my_networks)}</h2>
                                    <ul class="link-list">
                                        {account
                                            .networks
                                            .into_iter()
                                            .map(|n| view! { <li><a href=format!("/networks/{}", n.slug)>{n.name}</a></li> })
                                            .collect_view()}
                                    </ul>
                                </section>
                            })}
                            <section aria-labelledby="change-password">
                                <h2 id="change-password">{t!(i18n, auth.change_password_title)}</h2>
                                <ActionForm action=change attr:class="stacked-form" attr:id="password-form">
                                    <label for="current_password">{t!(i18n, auth.current_password)}</label>
                                    <input id="current_password" name="current_password" type="password" autocomplete="current-password" required />
                                    <NewPasswordField name="new_password" label=t_string!(i18n, auth.new_password) />
                                    <ActionError value=change.value() />
                                    <FormDone action=ChangePassword::PATH>{t!(i18n, auth.password_changed)}</FormDone>
                                    <button type="submit">{t!(i18n, auth.change_password_submit)}</button>
                                </ActionForm>
                            </section>
                            <section aria-labelledby="change-email">
                                <h2 id="change-email">{t!(i18n, auth.change_email_title)}</h2>
                                <p class="hint">{t!(i18n, auth.change_email_intro)}</p>
                                <ActionForm action=change_email attr:class="stacked-form" attr:id="email-form">
                                    <label for="new_email">{t!(i18n, auth.new_email)}</label>
                                    <input id="new_email" name="new_email" type="email" autocomplete="email" required />
                                    <label for="email_current_password">{t!(i18n, auth.current_password)}</label>
                                    <input id="email_current_password" name="current_password" type="password" autocomplete="current-password" required />
                                    <ActionError value=change_email.value() />
                                    <FormDone action=AskEmailChange::PATH>{t!(i18n, auth.change_email_sent)}</FormDone>
                                    <button type="submit">{t!(i18n, auth.change_email_submit)}</button>
                                </ActionForm>
                            </section>
                            <section aria-labelledby="sessions">
                                <h2 id="sessions">{t!(i18n, auth.sessions_title)}</h2>
                                <p class="hint">{t!(i18n, auth.sessions_intro)}</p>
                                <ActionForm action=elsewhere attr:id="logout-elsewhere-form">
                                    <ActionError value=elsewhere.value() />
                                    <FormDone action=LogOutElsewhere::PATH>{t!(i18n, auth.logged_out_elsewhere)}</FormDone>
                                    <button type="submit" class="secondary">{t!(i18n, auth.logout_elsewhere_submit)}</button>
                                </ActionForm>
                            </section>
                            <section aria-labelledby="blocked-heading">
                                <h2 id="blocked-heading">{t!(i18n, safety.blocks_title)}</h2>
                                <p class="hint">{t!(i18n, safety.blocks_intro)}</p>
                                <p><a href="/account/blocks" id="blocks-link">{t!(i18n, safety.see_blocks)}</a></p>
                            </section>
                            <section aria-labelledby="your-data">
                                <h2 id="your-data">{t!(i18n, auth.data_title)}</h2>
                                <p class="hint">{t!(i18n, auth.data_intro)}</p>
                                <p><a href=ExportMyData::PATH download="coop-travel-my-data.json" id="export-link" class="button-link">{t!(i18n, auth.export_link)}</a></p>
                            </section>
                            <ActionForm action=log_out attr:id="logout-form">
                                <button type="submit" class="secondary">{t!(i18n, nav.logout)}</button>
                            </ActionForm>
                            <section aria-labelledby="delete-account">
                                <h2 id="delete-account">{t!(i18n, auth.delete_title)}</h2>
                                <p class="hint">{t!(i18n, auth.delete_intro)}</p>
                                <ActionForm action=delete attr:class="stacked-form" attr:id="delete-form">
                                    <label for="delete_current_password">{t!(i18n, auth.current_password)}</label>
                                    <input id="delete_current_password" name="current_password" type="password" autocomplete="current-password" required />
                                    <label class="checkbox"><input type="checkbox" name="confirm" value="on" required />{t!(i18n, auth.delete_confirm)}</label>
                                    <ActionError value=delete.value() />
                                    <button type="submit" class="danger">{t!(i18n, auth.delete_submit)}</button>
                                </ActionForm>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
