//! Notifications as the pages and the e-mails show them. A notice holds the facts of what happened (who did it,
//! their note, the stay or the network it concerns); the same functions word it in the reader's language for the
//! notifications page, the e-mail and the daily digest.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::notice::{Audience, EmailMode, Topic, kind, reference};
use crate::domain::{StayRequestId, StayStatus};
use crate::i18n::{Locale, td_string};

/// The stay a notice is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeStay {
    pub id: StayRequestId,
    pub offer_title: String,
    pub host_coop_name: String,
    pub traveller_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub guests: i32,
}

/// A network or a co-op a notice is about: its address part and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeNamed {
    pub slug: String,
    pub name: String,
}

/// What happened, for one reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// A stay's new status, or one of `domain::notice::kind`.
    pub kind: String,
    pub audience: Audience,
    /// Who did it (a name, possibly a deleted account's marker); none when the system did.
    pub who: Option<String>,
    /// Their note or message, in their own words.
    pub note: String,
    pub stay: Option<NoticeStay>,
    pub network: Option<NoticeNamed>,
    pub coop: Option<NoticeNamed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub notice: Notice,
    pub unread: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsView {
    pub unread: i64,
    pub items: Vec<NotificationView>,
    /// How each topic is e-mailed, in `Topic::CHOSEN` order.
    pub email: Vec<(Topic, EmailMode)>,
}

/// A person's name as it is shown: a deleted account's marker becomes "a former member" in the reader's language.
pub fn person(locale: Locale, name: &str) -> String {
    if name == crate::domain::account::FORMER_MEMBER {
        td_string!(locale, auth.former_member).to_owned()
    } else {
        name.to_owned()
    }
}

/// A day as the reader writes it ("7 mar 2027"), by ICU.
pub fn day(locale: Locale, date: NaiveDate) -> String {
    match icu_date(date) {
        Some(date) => td_string!(locale, common.day, date = date).to_string(),
        None => date.to_string(),
    }
}

/// A day written out ("10 de marzo de 2027"), for letters.
pub fn long_day(locale: Locale, date: NaiveDate) -> String {
    match icu_date(date) {
        Some(date) => td_string!(locale, common.long_day, date = date).to_string(),
        None => date.to_string(),
    }
}

/// A moment as the reader writes it, to the minute, in their zone (UTC when it is not known), which is named.
pub fn moment(locale: Locale, at: DateTime<Utc>, zone: Option<chrono_tz::Tz>) -> String {
    use chrono::Timelike;
    use leptos_i18n::reexports::icu::datetime::input::{DateTime as IcuDateTime, Time};
    let zone = zone.unwrap_or(chrono_tz::Tz::UTC);
    let local = at.with_timezone(&zone).naive_local();
    let time = u8::try_from(local.hour()).ok().zip(u8::try_from(local.minute()).ok());
    let icu = icu_date(local.date()).zip(time.and_then(|(h, m)| Time::try_new(h, m, 0, 0).ok()));
    let name = zone.name().replace('_', " ");
    match icu {
        Some((date, time)) => td_string!(locale, common.when, at = IcuDateTime { date, time }, zone = name).to_string(),
        None => format!("{} ({name})", local.format("%Y-%m-%d %H:%M")),
    }
}

fn icu_date(
    date: NaiveDate,
) -> Option<leptos_i18n::reexports::icu::calendar::Date<leptos_i18n::reexports::icu::calendar::Iso>> {
    use chrono::Datelike;
    let (month, day) = (u8::try_from(date.month()).ok()?, u8::try_from(date.day()).ok()?);
    leptos_i18n::reexports::icu::calendar::Date::try_new_iso(date.year(), month, day).ok()
}

/// "1 night", "3 nights", with the reader's plural rules.
pub fn nights(locale: Locale, count: i64) -> String {
    td_string!(locale, notices.nights, count = count).to_string()
}

impl Notice {
    fn who(&self, locale: Locale) -> String {
        match &self.who {
            Some(name) => person(locale, name),
            None => td_string!(locale, notices.someone).to_owned(),
        }
    }

    fn offer(&self) -> &str {
        self.stay.as_ref().map_or("", |s| s.offer_title.as_str())
    }

    fn network(&self) -> &str {
        self.network.as_ref().map_or("", |n| n.name.as_str())
    }

    fn coop(&self) -> &str {
        self.coop.as_ref().map_or("", |c| c.name.as_str())
    }

    /// What happened, in one line: also the e-mail's subject.
    pub fn headline(&self, locale: Locale) -> String {
        let who = self.who(locale);
        let offer = self.offer();
        let (network, coop) = (self.network(), self.coop());
        match self.kind.as_str() {
            kind::MESSAGE => td_string!(locale, notices.message, who = who, offer = offer).to_string(),
            kind::MEMBERSHIP_REQUESTED => {
                td_string!(locale, notices.membership_requested, coop = coop, network = network).to_string()
            }
            kind::MEMBERSHIP_VERIFIED => {
                td_string!(locale, notices.membership_verified, coop = coop, network = network).to_string()
            }
            kind::MEMBERSHIP_REVOKED => {
                td_string!(locale, notices.membership_revoked, coop = coop, network = network).to_string()
            }
            kind::COORDINATOR_APPOINTED => {
                td_string!(locale, notices.coordinator_appointed, who = who, network = network).to_string()
            }
            kind::LETTER_ISSUED => td_string!(locale, notices.letter_issued, who = who, offer = offer).to_string(),
            kind::REPORT_FILED => td_string!(locale, notices.report_filed).to_owned(),
            kind::REPORT_HANDLED => td_string!(locale, notices.report_handled).to_owned(),
            kind::WARNED => td_string!(locale, notices.warned).to_owned(),
            reference::WRITTEN => td_string!(locale, notices.reference_written, who = who, offer = offer).to_string(),
            reference::SHOWN => td_string!(locale, notices.references_shown, who = who, offer = offer).to_string(),
            reference::NOT_RECOMMENDED => {
                td_string!(locale, notices.reference_not_recommended, who = who, offer = offer).to_string()
            }
            reference::NOTE => td_string!(locale, notices.reference_note, who = who, offer = offer).to_string(),
            other => match StayStatus::parse(other) {
                Ok(status) => stay_headline(locale, status, &who, offer, self.who.is_some()),
                Err(_) => self.note.clone(),
            },
        }
    }

    /// The stay's offer, host, dates and nights; nothing when it is not about a stay.
    pub fn details(&self, locale: Locale) -> Option<String> {
        let stay = self.stay.as_ref()?;
        let traveller = person(locale, &stay.traveller_name);
        Some(
            td_string!(
                locale,
                notices.stay_details,
                offer = &stay.offer_title,
                coop = &stay.host_coop_name,
                traveller = traveller,
                check_in = day(locale, stay.check_in),
                check_out = day(locale, stay.check_out),
                nights = nights(locale, (stay.check_out - stay.check_in).num_days())
            )
            .to_string(),
        )
    }

    /// "Ana wrote:", when there is a note or a message to quote.
    pub fn note_intro(&self, locale: Locale) -> Option<String> {
        if self.note.trim().is_empty() {
            None
        } else if self.who.is_none() {
            Some(td_string!(locale, notices.system_note).to_owned())
        } else {
            Some(td_string!(locale, notices.wrote, who = self.who(locale)).to_string())
        }
    }

    /// What the reader can do next, if anything.
    pub fn next_step(&self, locale: Locale) -> Option<String> {
        use Audience::{Coordinator, Host, Member, Traveller};
        let step = match (self.kind.as_str(), self.audience) {
            (kind::MESSAGE, _) => td_string!(locale, notices.next_answer),
            (kind::MEMBERSHIP_REQUESTED, Coordinator) => td_string!(locale, notices.next_decide_membership),
            (kind::MEMBERSHIP_VERIFIED, Member) => td_string!(locale, notices.next_verified),
            (kind::MEMBERSHIP_REVOKED, Member) => td_string!(locale, notices.next_revoked),
            (kind::COORDINATOR_APPOINTED, _) => td_string!(locale, notices.next_coordinate),
            (kind::LETTER_ISSUED, _) => td_string!(locale, notices.next_download_letter),
            (kind::REPORT_FILED, _) => td_string!(locale, notices.next_moderate),
            (kind::WARNED, _) => td_string!(locale, notices.next_mind_rules),
            (reference::WRITTEN, _) => td_string!(locale, notices.next_write_reference),
            (reference::SHOWN, _) => td_string!(locale, notices.next_read_references),
            (reference::NOT_RECOMMENDED | reference::NOTE, _) => td_string!(locale, notices.next_reference_note),
            (other, audience) => match (StayStatus::parse(other).ok()?, audience) {
                (StayStatus::Requested, Host) => td_string!(locale, notices.next_reply),
                (StayStatus::Suggested, Traveller) => td_string!(locale, notices.next_rebook),
                (StayStatus::Accepted, Coordinator) => td_string!(locale, notices.next_approve),
                (StayStatus::Accepted, _) => td_string!(locale, notices.next_wait_approval),
                (StayStatus::Confirmed, Traveller) => td_string!(locale, notices.next_travel),
                (StayStatus::Confirmed, _) => td_string!(locale, notices.next_welcome),
                (StayStatus::Declined | StayStatus::Rejected | StayStatus::Expired, Traveller) => {
                    td_string!(locale, notices.next_search)
                }
                (StayStatus::Cancelled, Traveller) => td_string!(locale, notices.next_search),
                (StayStatus::Withdrawn | StayStatus::Cancelled | StayStatus::Rejected, Host) => {
                    td_string!(locale, notices.next_nights_free)
                }
                _ => return None,
            },
        };
        Some(step.to_owned())
    }

    /// The page to go to, on this site.
    pub fn path(&self) -> String {
        if self.kind == kind::REPORT_FILED {
            return "/moderation".to_owned();
        }
        if let Some(stay) = &self.stay {
            return format!("/stays/{}", stay.id);
        }
        match &self.network {
            Some(network) => format!("/networks/{}", network.slug),
            None => "/notifications".to_owned(),
        }
    }

    /// The link's words.
    pub fn link_label(&self, locale: Locale) -> &'static str {
        if self.kind == kind::REPORT_FILED {
            td_string!(locale, notices.open_moderation)
        } else if self.stay.is_some() {
            td_string!(locale, notices.open_request)
        } else if self.network.is_some() {
            td_string!(locale, notices.open_network)
        } else {
            td_string!(locale, notices.open_notifications)
        }
    }
}

fn stay_headline(locale: Locale, status: StayStatus, who: &str, offer: &str, by_someone: bool) -> String {
    match status {
        StayStatus::Requested => td_string!(locale, notices.requested, who = who, offer = offer).to_string(),
        StayStatus::Suggested => td_string!(locale, notices.suggested, who = who, offer = offer).to_string(),
        StayStatus::Accepted => td_string!(locale, notices.accepted, who = who, offer = offer).to_string(),
        StayStatus::Confirmed if by_someone => {
            td_string!(locale, notices.approved, who = who, offer = offer).to_string()
        }
        StayStatus::Confirmed => td_string!(locale, notices.confirmed, offer = offer).to_string(),
        StayStatus::Declined => td_string!(locale, notices.declined, who = who, offer = offer).to_string(),
        StayStatus::Rejected => td_string!(locale, notices.rejected, who = who, offer = offer).to_string(),
        StayStatus::Withdrawn => td_string!(locale, notices.withdrawn, who = who, offer = offer).to_string(),
        StayStatus::Cancelled => td_string!(locale, notices.cancelled, who = who, offer = offer).to_string(),
        StayStatus::Completed => td_string!(locale, notices.completed, offer = offer).to_string(),
        StayStatus::Expired => td_string!(locale, notices.expired, offer = offer).to_string(),
    }
}
