//! `AppError`: what a server function answers when it fails. Opaque to the client: a stable code and a message a
//! person can act on; the cause of an unexpected failure is logged on the server under a reference, never sent.
//!
//! A refused input or a broken rule is a [`Refusal`]: the rule by name with what it needs to be said (a night, a
//! limit), never a sentence. The page says it in the reader's language ([`Refusal::text`], from the locale files);
//! logs, the command line and `Display` say it in English.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::domain::DomainError;
use crate::i18n::{Locale, td_string};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The input was refused: which field and why.
    #[error("{0}")]
    Validation(#[serde(serialize_with = "with_sentence")] Refusal),
    /// The thing asked for does not exist (or the caller may not know it exists).
    #[error("not found")]
    NotFound,
    /// Log in first.
    #[error("you need to log in")]
    Unauthorized,
    /// Logged in, but not allowed to do this.
    #[error("you are not allowed to do this")]
    Forbidden,
    /// The request clashes with the current state (a taken email, a night no longer free…).
    #[error("{0}")]
    Conflict(#[serde(serialize_with = "with_sentence")] Refusal),
    /// Too many attempts; the refusal says when to try again.
    #[error("{0}")]
    RateLimited(#[serde(serialize_with = "with_sentence")] Refusal),
    /// The server has too much to do right now: try again in a few seconds (503 with `Retry-After`).
    #[error("{0}")]
    Busy(String),
    /// Something broke on our side; the reference finds the cause in the server log.
    #[error("something went wrong (ref {0})")]
    Internal(String),
    /// The request never reached our code in one piece (network, encoding).
    #[error("the request failed: {0}")]
    Transport(String),
}

/// A refusal on the wire: its rule and what it names, and the English sentence for API clients and logs
/// (`"message"`; pages say it in their own language from the rule, and reading it back ignores the sentence).
fn with_sentence<S: serde::Serializer>(refusal: &Refusal, serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Said<'a> {
        #[serde(flatten)]
        refusal: &'a Refusal,
        message: String,
    }
    Said { refusal, message: refusal.to_string() }.serialize(serializer)
}

impl AppError {
    /// A stable machine-readable code, for the UI and for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation",
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Conflict(_) => "conflict",
            AppError::RateLimited(_) => "rate_limited",
            AppError::Busy(_) => "busy",
            AppError::Internal(_) => "internal",
            AppError::Transport(_) => "transport",
        }
    }
}

impl From<DomainError> for AppError {
    fn from(error: DomainError) -> Self {
        AppError::Validation(error.into())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Arguments the server cannot decode are the caller's mistake: a 400 that says what was wrong (on the
    /// server this runs inside the server function's response scope, so the status is set here). Anything else
    /// is the transport failing.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(cause) => AppError::Validation(Refusal::UnreadableParameters { cause }),
            ServerFnErrorErr::MissingArg(name) => AppError::Validation(Refusal::MissingParameter { name }),
            other => AppError::Transport(other.to_string()),
        };
        #[cfg(feature = "ssr")]
        if matches!(error, AppError::Validation(_)) {
            crate::api::set_error_status(&error);
        }
        error
    }
}

/// A rule an input or a request broke, by name, with what saying it needs. Serialized with its name as `rule`
/// (`{"rule":"night_not_open","night":"2027-03-04"}`): the stable code API clients read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Refusal {
    // Reading the request.
    UnreadableParameters {
        cause: String,
    },
    MissingParameter {
        name: String,
    },
    TooLarge {
        max_kib: usize,
    },
    WrongMethod {
        path: String,
        allow: String,
        method: String,
    },
    NotFormEncoded,
    UnknownParameter {
        path: String,
        name: String,
        known: String,
    },
    ControlCharacterInRequest,
    // Fields. `field` is the field's English name, which the page translates (`field_name`).
    NotADate {
        field: String,
    },
    NotANumber {
        field: String,
    },
    WholeNumber {
        field: String,
        min: i64,
        max: i64,
    },
    Length {
        field: String,
        min: usize,
        max: usize,
    },
    ControlCharacters {
        field: String,
    },
    UnknownValue {
        field: String,
        value: String,
    },
    DateOutOfRange,
    EmptyDateRange,
    InvalidCountry {
        value: String,
    },
    InvalidCoordinates,
    InvalidEmail,
    InvalidSlug {
        value: String,
    },
    InvalidWebsite,
    InvalidLanguages,
    NotATrip {
        value: String,
    },
    // Accounts.
    PasswordTooShort,
    PasswordTooLong,
    PasswordTooCommon,
    WrongCredentials,
    WrongPassword,
    ConfirmFirst,
    LinkUnusable,
    ResetLinkUnusable,
    SameAddress,
    AddressTaken,
    HandOverFirst {
        coops: String,
    },
    StaysInProgress,
    ConfirmDeletion,
    TooManyAttempts {
        seconds: i64,
    },
    // Search.
    PastCheckIn {
        check_in: NaiveDate,
        today: NaiveDate,
    },
    SearchTooManyNights {
        max: i64,
    },
    RadiusRange {
        max: i64,
    },
    GuestsRange,
    OneLanguage,
    // Calendars.
    EditTooManyNights {
        max: i64,
    },
    CapacityRange,
    UnknownCalendarAction {
        value: String,
    },
    BelowReserved {
        nights: String,
    },
    CalendarEmpty,
    CalendarTooLarge {
        max_kib: usize,
    },
    CalendarUnreadable {
        detail: String,
    },
    // Offers.
    MaxBelowMin,
    OfferInUse,
    // Stays.
    TransitionNotAllowed {
        from: String,
        action: String,
    },
    GuestsForOffer {
        max: i32,
    },
    NightsForOffer {
        min: i32,
        max: i32,
    },
    Notice {
        days: i32,
        earliest: NaiveDate,
    },
    NightNotOpen {
        night: NaiveDate,
    },
    NightFewPlaces {
        night: NaiveDate,
        free: i32,
    },
    NightsTaken,
    OwnCoop,
    NoSharedNetwork,
    OverlappingRequest,
    NoLongerVerified,
    TravellerLeftCoop,
    RequestChanged,
    SuggestBothDates,
    SuggestedDatesPast,
    NoSuggestion,
    // References.
    ReferenceAfterStay,
    ReferenceWindowClosed {
        last_day: NaiveDate,
    },
    ReferenceWritten,
    // Invitation letters.
    LetterNeedsConfirmedStay,
    LetterLanguage {
        value: String,
    },
    // Co-ops and networks.
    PlaceNotListed {
        city: String,
        country: String,
    },
    SlugTaken {
        slug: String,
    },
    InviteUnusable,
    AlreadyMember,
    LastHostAdmin,
    NoSuchAccount,
    AlreadyCoordinator,
    AlreadyVerified,
    AlreadyAsked,
    UnknownDecision {
        value: String,
    },
    UnknownTimeZone {
        value: String,
    },
    NotAskedToJoin,
    MembershipAlready {
        status: String,
    },
    // Safety.
    Blocked,
    Unreachable,
    BlockSelf,
    NewAccountLimit {
        per_day: i64,
        days: i64,
    },
    NewAccountLink {
        days: i64,
    },
    SuspendedUntil {
        until: NaiveDate,
    },
    SuspendedForGood,
    ReportHandled,
    NothingToHide,
    NoOneToModerate,
    NotSuspended,
    HiddenByModerators,
    /// Said only on the command line (making the first administrator), never to a page: English as it is.
    Console {
        text: String,
    },
}

impl From<DomainError> for Refusal {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::InvalidCountry(value) => Refusal::InvalidCountry { value },
            DomainError::InvalidCoordinates => Refusal::InvalidCoordinates,
            DomainError::EmptyDateRange => Refusal::EmptyDateRange,
            DomainError::UnknownValue { field, value } => Refusal::UnknownValue { field: field.into(), value },
            DomainError::InvalidEmail => Refusal::InvalidEmail,
            DomainError::PasswordTooShort => Refusal::PasswordTooShort,
            DomainError::PasswordTooLong => Refusal::PasswordTooLong,
            DomainError::PasswordTooCommon => Refusal::PasswordTooCommon,
            DomainError::InvalidSlug(value) => Refusal::InvalidSlug { value },
            DomainError::Length { field, min, max } => Refusal::Length { field: field.into(), min, max },
            DomainError::ControlCharacters(field) => Refusal::ControlCharacters { field: field.into() },
            DomainError::InvalidWebsite => Refusal::InvalidWebsite,
            DomainError::InvalidLanguages => Refusal::InvalidLanguages,
            DomainError::TransitionNotAllowed { from, action } => {
                Refusal::TransitionNotAllowed { from: from.into(), action: action.into() }
            }
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Locale::en))
    }
}

impl Refusal {
    /// The refusal as a sentence in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        let l = locale;
        let field = |name: &str| field_name(l, name);
        match self {
            Refusal::UnreadableParameters { cause } => td_string!(l, refusals.unreadable_parameters, cause).to_string(),
            Refusal::MissingParameter { name } => td_string!(l, refusals.missing_parameter, name).to_string(),
            Refusal::TooLarge { max_kib } => td_string!(l, refusals.too_large, max_kib).to_string(),
            Refusal::WrongMethod { path, allow, method } => {
                td_string!(l, refusals.wrong_method, path, allow, method).to_string()
            }
            Refusal::NotFormEncoded => td_string!(l, refusals.not_form_encoded).to_string(),
            Refusal::UnknownParameter { path, name, known } if known.is_empty() => {
                td_string!(l, refusals.no_parameters, path, name).to_string()
            }
            Refusal::UnknownParameter { path, name, known } => {
                td_string!(l, refusals.unknown_parameter, path, name, known).to_string()
            }
            Refusal::ControlCharacterInRequest => td_string!(l, refusals.control_character_in_request).to_string(),
            Refusal::NotADate { field: f } => td_string!(l, refusals.not_a_date, field = field(f)).to_string(),
            Refusal::NotANumber { field: f } => td_string!(l, refusals.not_a_number, field = field(f)).to_string(),
            Refusal::WholeNumber { field: f, min, max } => {
                td_string!(l, refusals.whole_number, field = field(f), min, max).to_string()
            }
            Refusal::Length { field: f, min, max } => {
                td_string!(l, refusals.length, field = field(f), min, max).to_string()
            }
            Refusal::ControlCharacters { field: f } => {
                td_string!(l, refusals.control_characters, field = field(f)).to_string()
            }
            Refusal::UnknownValue { field: f, value } => {
                td_string!(l, refusals.unknown_value, field = field(f), value).to_string()
            }
            Refusal::DateOutOfRange => td_string!(l, refusals.date_out_of_range).to_string(),
            Refusal::EmptyDateRange => td_string!(l, refusals.empty_date_range).to_string(),
            Refusal::InvalidCountry { value } => td_string!(l, refusals.invalid_country, value).to_string(),
            Refusal::InvalidCoordinates => td_string!(l, refusals.invalid_coordinates).to_string(),
            Refusal::InvalidEmail => td_string!(l, refusals.invalid_email).to_string(),
            Refusal::InvalidSlug { value } => td_string!(l, refusals.invalid_slug, value).to_string(),
            Refusal::InvalidWebsite => td_string!(l, refusals.invalid_website).to_string(),
            Refusal::InvalidLanguages => td_string!(l, refusals.invalid_languages).to_string(),
            Refusal::NotATrip { value } => td_string!(l, refusals.not_a_trip, value).to_string(),
            Refusal::PasswordTooShort => td_string!(l, refusals.password_too_short).to_string(),
            Refusal::PasswordTooLong => td_string!(l, refusals.password_too_long).to_string(),
            Refusal::PasswordTooCommon => td_string!(l, refusals.password_too_common).to_string(),
            Refusal::WrongCredentials => td_string!(l, refusals.wrong_credentials).to_string(),
            Refusal::WrongPassword => td_string!(l, refusals.wrong_password).to_string(),
            Refusal::ConfirmFirst => td_string!(l, refusals.confirm_first).to_string(),
            Refusal::LinkUnusable => td_string!(l, refusals.link_unusable).to_string(),
            Refusal::ResetLinkUnusable => td_string!(l, refusals.reset_link_unusable).to_string(),
            Refusal::SameAddress => td_string!(l, refusals.same_address).to_string(),
            Refusal::AddressTaken => td_string!(l, refusals.address_taken).to_string(),
            Refusal::HandOverFirst { coops } => td_string!(l, refusals.hand_over_first, coops).to_string(),
            Refusal::StaysInProgress => td_string!(l, refusals.stays_in_progress).to_string(),
            Refusal::ConfirmDeletion => td_string!(l, refusals.confirm_deletion).to_string(),
            Refusal::TooManyAttempts { seconds } if *seconds == 1 => {
                td_string!(l, refusals.too_many_attempts_second).to_string()
            }
            Refusal::TooManyAttempts { seconds } => td_string!(l, refusals.too_many_attempts, seconds).to_string(),
            Refusal::PastCheckIn { check_in, today } => {
                td_string!(l, refusals.past_check_in, check_in, today).to_string()
            }
            Refusal::SearchTooManyNights { max } => td_string!(l, refusals.search_too_many_nights, max).to_string(),
            Refusal::RadiusRange { max } => td_string!(l, refusals.radius_range, max).to_string(),
            Refusal::GuestsRange => td_string!(l, refusals.guests_range).to_string(),
            Refusal::OneLanguage => td_string!(l, refusals.one_language).to_string(),
            Refusal::EditTooManyNights { max } => td_string!(l, refusals.edit_too_many_nights, max).to_string(),
            Refusal::CapacityRange => td_string!(l, refusals.capacity_range).to_string(),
            Refusal::UnknownCalendarAction { value } => {
                td_string!(l, refusals.unknown_calendar_action, value).to_string()
            }
            Refusal::BelowReserved { nights } => td_string!(l, refusals.below_reserved, nights).to_string(),
            Refusal::CalendarEmpty => td_string!(l, refusals.calendar_empty).to_string(),
            Refusal::CalendarTooLarge { max_kib } => td_string!(l, refusals.calendar_too_large, max_kib).to_string(),
            Refusal::CalendarUnreadable { detail } => td_string!(l, refusals.calendar_unreadable, detail).to_string(),
            Refusal::MaxBelowMin => td_string!(l, refusals.max_below_min).to_string(),
            Refusal::OfferInUse => td_string!(l, refusals.offer_in_use).to_string(),
            Refusal::TransitionNotAllowed { from, action } => td_string!(
                l,
                refusals.transition_not_allowed,
                from = status_name(l, from),
                action = action_name(l, action)
            )
            .to_string(),
            Refusal::GuestsForOffer { max } => td_string!(l, refusals.guests_for_offer, max).to_string(),
            Refusal::NightsForOffer { min, max } => td_string!(l, refusals.nights_for_offer, min, max).to_string(),
            Refusal::Notice { days, earliest } => td_string!(l, refusals.notice, days, earliest).to_string(),
            Refusal::NightNotOpen { night } => td_string!(l, refusals.night_not_open, night).to_string(),
            Refusal::NightFewPlaces { night, free } => {
                td_string!(l, refusals.night_few_places, night, free).to_string()
            }
            Refusal::NightsTaken => td_string!(l, refusals.nights_taken).to_string(),
            Refusal::OwnCoop => td_string!(l, refusals.own_coop).to_string(),
            Refusal::NoSharedNetwork => td_string!(l, refusals.no_shared_network).to_string(),
            Refusal::OverlappingRequest => td_string!(l, refusals.overlapping_request).to_string(),
            Refusal::NoLongerVerified => td_string!(l, refusals.no_longer_verified).to_string(),
            Refusal::TravellerLeftCoop => td_string!(l, refusals.traveller_left_coop).to_string(),
            Refusal::RequestChanged => td_string!(l, refusals.request_changed).to_string(),
            Refusal::SuggestBothDates => td_string!(l, refusals.suggest_both_dates).to_string(),
            Refusal::SuggestedDatesPast => td_string!(l, refusals.suggested_dates_past).to_string(),
            Refusal::NoSuggestion => td_string!(l, refusals.no_suggestion).to_string(),
            Refusal::ReferenceAfterStay => td_string!(l, refusals.reference_after_stay).to_string(),
            Refusal::ReferenceWindowClosed { last_day } => {
                td_string!(l, refusals.reference_window_closed, last_day).to_string()
            }
            Refusal::ReferenceWritten => td_string!(l, refusals.reference_written).to_string(),
            Refusal::LetterNeedsConfirmedStay => td_string!(l, refusals.letter_needs_confirmed_stay).to_string(),
            Refusal::LetterLanguage { value } => td_string!(l, refusals.letter_language, value).to_string(),
            Refusal::PlaceNotListed { city, country } => {
                td_string!(l, refusals.place_not_listed, city, country).to_string()
            }
            Refusal::SlugTaken { slug } => td_string!(l, refusals.slug_taken, slug).to_string(),
            Refusal::InviteUnusable => td_string!(l, refusals.invite_unusable).to_string(),
            Refusal::AlreadyMember => td_string!(l, refusals.already_member).to_string(),
            Refusal::LastHostAdmin => td_string!(l, refusals.last_host_admin).to_string(),
            Refusal::NoSuchAccount => td_string!(l, refusals.no_such_account).to_string(),
            Refusal::AlreadyCoordinator => td_string!(l, refusals.already_coordinator).to_string(),
            Refusal::AlreadyVerified => td_string!(l, refusals.already_verified).to_string(),
            Refusal::AlreadyAsked => td_string!(l, refusals.already_asked).to_string(),
            Refusal::UnknownDecision { value } => td_string!(l, refusals.unknown_decision, value).to_string(),
            Refusal::UnknownTimeZone { value } => td_string!(l, refusals.unknown_time_zone, value).to_string(),
            Refusal::NotAskedToJoin => td_string!(l, refusals.not_asked_to_join).to_string(),
            Refusal::MembershipAlready { status } => {
                td_string!(l, refusals.membership_already, status = status_name(l, status)).to_string()
            }
            Refusal::Blocked => td_string!(l, refusals.blocked).to_string(),
            Refusal::Unreachable => td_string!(l, refusals.unreachable).to_string(),
            Refusal::BlockSelf => td_string!(l, refusals.block_self).to_string(),
            Refusal::NewAccountLimit { per_day, days } => {
                td_string!(l, refusals.new_account_limit, per_day, days).to_string()
            }
            Refusal::NewAccountLink { days } => td_string!(l, refusals.new_account_link, days).to_string(),
            Refusal::SuspendedUntil { until } => td_string!(l, refusals.suspended_until, until).to_string(),
            Refusal::SuspendedForGood => td_string!(l, refusals.suspended_for_good).to_string(),
            Refusal::ReportHandled => td_string!(l, refusals.report_handled).to_string(),
            Refusal::NothingToHide => td_string!(l, refusals.nothing_to_hide).to_string(),
            Refusal::NoOneToModerate => td_string!(l, refusals.no_one_to_moderate).to_string(),
            Refusal::NotSuspended => td_string!(l, refusals.not_suspended).to_string(),
            Refusal::HiddenByModerators => td_string!(l, refusals.hidden_by_moderators).to_string(),
            Refusal::Console { text } => text.clone(),
        }
    }
}

/// A form field's name (as the services give it, in English) in `locale`; a name without a translation as it is.
fn field_name(locale: Locale, field: &str) -> String {
    let l = locale;
    let name = match field {
        "check-in" => td_string!(l, fields.check_in),
        "check-out" => td_string!(l, fields.check_out),
        "first night" => td_string!(l, fields.first_night),
        "day after the last night" => td_string!(l, fields.day_after_last),
        "month" => td_string!(l, fields.month),
        "latitude" => td_string!(l, fields.latitude),
        "longitude" => td_string!(l, fields.longitude),
        "role" => td_string!(l, fields.role),
        "kind" => td_string!(l, fields.kind),
        "purpose" => td_string!(l, fields.purpose),
        "status" => td_string!(l, fields.status),
        "note" => td_string!(l, fields.note),
        "description" => td_string!(l, fields.description),
        "message" => td_string!(l, fields.message),
        "skills" => td_string!(l, fields.skills),
        "skills wanted" => td_string!(l, fields.skills_wanted),
        "house rules" => td_string!(l, fields.house_rules),
        "amenities" => td_string!(l, fields.amenities),
        "address" => td_string!(l, fields.address),
        "accessibility" => td_string!(l, fields.accessibility),
        "title" => td_string!(l, fields.title),
        "name" => td_string!(l, fields.name),
        "display name" => td_string!(l, fields.display_name),
        "city" => td_string!(l, fields.city),
        "number of guests" => td_string!(l, fields.guests),
        "minimum of nights" => td_string!(l, fields.min_nights),
        "maximum of nights" => td_string!(l, fields.max_nights),
        "days of notice" => td_string!(l, fields.notice_days),
        "reference" => td_string!(l, fields.reference),
        "note to the coordinators" => td_string!(l, fields.private_note),
        "bio" => td_string!(l, fields.bio),
        "skill" => td_string!(l, fields.skill),
        other => return other.to_owned(),
    };
    name.to_owned()
}

/// A request's or a membership's status (its stable name) in `locale`.
fn status_name(locale: Locale, status: &str) -> String {
    let l = locale;
    let name = match status {
        "requested" => td_string!(l, stays.status_requested),
        "accepted" => td_string!(l, stays.status_accepted),
        "confirmed" => td_string!(l, stays.status_confirmed),
        "declined" => td_string!(l, stays.status_declined),
        "rejected" => td_string!(l, stays.status_rejected),
        "suggested" => td_string!(l, stays.status_suggested),
        "withdrawn" => td_string!(l, stays.status_withdrawn),
        "cancelled" => td_string!(l, stays.status_cancelled),
        "completed" => td_string!(l, stays.status_completed),
        "expired" => td_string!(l, stays.status_expired),
        "pending" => td_string!(l, networks.status_pending),
        "verified" => td_string!(l, networks.status_verified),
        "revoked" => td_string!(l, networks.status_revoked),
        other => return other.to_owned(),
    };
    name.to_owned()
}

/// A step of a request (its stable name) in `locale`, as its button says it.
fn action_name(locale: Locale, action: &str) -> String {
    let l = locale;
    let name = match action {
        "accept" => td_string!(l, stays.action_accept),
        "decline" => td_string!(l, stays.action_decline),
        "suggest" => td_string!(l, stays.action_suggest),
        "approve" => td_string!(l, stays.action_approve),
        "reject" => td_string!(l, stays.action_reject),
        "withdraw" => td_string!(l, stays.action_withdraw),
        "cancel" => td_string!(l, stays.action_cancel),
        other => return other.to_owned(),
    };
    name.to_owned()
}
