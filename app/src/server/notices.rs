//! Notifications worded for their reader. A notification row holds facts (who, their note, the stay or the
//! network); `notice` turns it into the `Notice` that the notifications page and the e-mails word in the reader's
//! language, and `single` / `digest` write the e-mails: a plain-text part and an HTML part saying the same.

use crate::domain::notice::Audience;
use crate::i18n::{Locale, td_string};
use crate::server::store::notifications::NoticeRow;
use crate::views::notifications::{Notice, NoticeNamed, NoticeStay};
use leptos_i18n::Locale as _;

/// The facts of a notification row.
pub fn notice(row: &NoticeRow) -> Notice {
    let stay = match (row.stay_request_id, row.check_in, row.check_out) {
        (Some(id), Some(check_in), Some(check_out)) => Some(NoticeStay {
            id,
            offer_title: row.offer_title.clone().unwrap_or_default(),
            host_coop_name: row.host_coop_name.clone().unwrap_or_default(),
            traveller_name: row.traveller_name.clone().unwrap_or_default(),
            check_in,
            check_out,
            guests: row.guests.unwrap_or(1),
        }),
        _ => None,
    };
    let named = |slug: &Option<String>, name: &Option<String>| match (slug, name) {
        (Some(slug), Some(name)) => Some(NoticeNamed { slug: slug.clone(), name: name.clone() }),
        _ => None,
    };
    Notice {
        kind: row.kind.clone(),
        audience: Audience::parse(&row.audience).unwrap_or(Audience::Traveller),
        who: row.actor_name.clone(),
        note: row.body.clone(),
        stay,
        network: named(&row.network_slug, &row.network_name),
        coop: named(&row.coop_slug, &row.coop_name),
    }
}

/// An e-mail's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The e-mail about one notification.
pub fn single(locale: Locale, notice: &Notice, site: &str) -> Mail {
    let headline = notice.headline(locale);
    Mail {
        subject: td_string!(locale, notices.subject, headline = &headline).to_string(),
        text: with_footer(locale, site, &text_block(locale, notice, site)),
        html: html_page(locale, site, &html_block(locale, notice, site)),
    }
}

/// The day's e-mail carrying several notifications, oldest first.
pub fn digest(locale: Locale, notices: &[Notice], site: &str) -> Mail {
    let subject = td_string!(locale, notices.digest_subject, count = notices.len()).to_string();
    let intro = td_string!(locale, notices.digest_intro);
    let text = notices.iter().map(|n| text_block(locale, n, site)).collect::<Vec<_>>().join("\n\n* * *\n\n");
    let html = notices.iter().map(|n| html_block(locale, n, site)).collect::<Vec<_>>().join("<hr>\n");
    Mail {
        subject,
        text: with_footer(locale, site, &format!("{intro}\n\n{text}")),
        html: html_page(locale, site, &format!("<p>{}</p>\n{html}", escape(intro))),
    }
}

/// Account mail (a link, a notice about the account), already written in its reader's language.
pub fn account(locale: Locale, subject: &str, text: &str, site: &str) -> Mail {
    let paragraphs: String = text.split("\n\n").map(|p| format!("<p>{}</p>\n", linked(p))).collect();
    Mail {
        subject: subject.to_owned(),
        text: with_footer(locale, site, text),
        html: html_page(locale, site, &paragraphs),
    }
}

fn text_block(locale: Locale, notice: &Notice, site: &str) -> String {
    let mut lines = vec![notice.headline(locale)];
    if let Some(details) = notice.details(locale) {
        lines.push(details);
    }
    if let Some(intro) = notice.note_intro(locale) {
        let quoted: Vec<String> = notice.note.lines().map(|l| format!("> {l}")).collect();
        lines.push(format!("{intro}\n{}", quoted.join("\n")));
    }
    if let Some(step) = notice.next_step(locale) {
        lines.push(step);
    }
    lines.push(format!("{}: {site}{}", notice.link_label(locale), notice.path()));
    lines.join("\n\n")
}

fn html_block(locale: Locale, notice: &Notice, site: &str) -> String {
    let mut html = format!("<h2 style=\"font-size:1.1em\">{}</h2>\n", escape(&notice.headline(locale)));
    if let Some(details) = notice.details(locale) {
        html.push_str(&format!("<p>{}</p>\n", escape(&details)));
    }
    if let Some(intro) = notice.note_intro(locale) {
        let note = notice.note.lines().map(escape).collect::<Vec<_>>().join("<br>");
        html.push_str(&format!(
            "<p>{}</p>\n<blockquote style=\"border-left:3px solid #999;margin:0;padding-left:1em\">{note}</blockquote>\n",
            escape(&intro)
        ));
    }
    if let Some(step) = notice.next_step(locale) {
        html.push_str(&format!("<p><strong>{}</strong></p>\n", escape(&step)));
    }
    let href = format!("{site}{}", notice.path());
    html.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>\n",
        html_escape::encode_double_quoted_attribute(&href),
        escape(notice.link_label(locale))
    ));
    html
}

fn footer(locale: Locale, site: &str) -> String {
    td_string!(locale, mail.footer, link = format!("{site}/notifications")).to_string()
}

fn with_footer(locale: Locale, site: &str, text: &str) -> String {
    format!("{text}\n\n-- \n{}\n", footer(locale, site))
}

fn html_page(locale: Locale, site: &str, body: &str) -> String {
    let lang = locale.as_str();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family:sans-serif;line-height:1.5;max-width:40em\">\n{body}\
         <p style=\"color:#555;font-size:0.9em\">{}</p>\n</body></html>\n",
        escape(&footer(locale, site))
    )
}

/// A paragraph of account mail in HTML: its lines kept, its addresses made links.
fn linked(paragraph: &str) -> String {
    paragraph
        .lines()
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    if word.starts_with("https://") || word.starts_with("http://") {
                        let href = html_escape::encode_double_quoted_attribute(word);
                        format!("<a href=\"{href}\">{}</a>", escape(word))
                    } else {
                        escape(word)
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::StayRequestId;
    use chrono::NaiveDate;

    fn declined() -> Notice {
        Notice {
            kind: "declined".into(),
            audience: Audience::Traveller,
            who: Some("Rosa <Host>".into()),
            note: "Sorry, we are full that week.\nTry June?".into(),
            stay: Some(NoticeStay {
                id: StayRequestId(7),
                offer_title: "Guest room".into(),
                host_coop_name: "Telar Sur".into(),
                traveller_name: "Ana".into(),
                check_in: NaiveDate::from_ymd_opt(2027, 3, 10).unwrap(),
                check_out: NaiveDate::from_ymd_opt(2027, 3, 12).unwrap(),
                guests: 1,
            }),
            network: None,
            coop: None,
        }
    }

    #[test]
    fn a_decline_says_who_their_note_the_next_step_and_the_link_in_the_readers_language() {
        let mail = single(Locale::es, &declined(), "https://travel.example");
        assert_eq!(mail.subject, "Co-op & Travel: Rosa <Host> rechazó la solicitud para Guest room");
        assert!(
            mail.text.contains("Rosa <Host> escribió:\n> Sorry, we are full that week.\n> Try June?"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("del 10 mar 2027 al 12 mar 2027 (2 noches)"), "{}", mail.text);
        let one = Notice {
            stay: declined().stay.map(|s| NoticeStay { check_out: s.check_in.succ_opt().unwrap(), ..s }),
            ..declined()
        };
        assert!(single(Locale::pt, &one, "https://t.example").text.contains("(1 noite)"));
        assert!(single(Locale::en, &one, "https://t.example").text.contains("Mar 10, 2027 to Mar 11, 2027 (1 night)"));
        assert!(mail.text.contains("Buscá otra oferta"), "{}", mail.text);
        assert!(mail.text.contains("Abrir la solicitud: https://travel.example/stays/7"), "{}", mail.text);
        assert!(mail.html.contains("Rosa &lt;Host&gt;"), "names are escaped in HTML: {}", mail.html);
        assert!(mail.html.contains("<a href=\"https://travel.example/stays/7\">"), "{}", mail.html);
        assert!(mail.html.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
    }

    #[test]
    fn account_mail_links_its_addresses_in_html() {
        let mail =
            account(Locale::en, "Hi", "Open this:\n\nhttps://t.example/verify?token=a&b <x>", "https://t.example");
        assert!(mail.html.contains("<p><a href=\"https://t.example/verify?token=a&amp;b\">"), "{}", mail.html);
        assert!(mail.html.contains("&lt;x&gt;"), "{}", mail.html);
        assert!(mail.text.starts_with("Open this:\n\nhttps://t.example/verify?token=a&b <x>\n\n-- \n"));
    }

    /// Every notice, for every part, in Spanish and Portuguese, holds none of the English wording (phrases of two
    /// words or more from the English locale file's notices and mail footer).
    #[test]
    fn no_english_phrase_reaches_a_spanish_or_portuguese_mail() {
        use crate::domain::StayStatus;
        use crate::domain::notice::kind;
        let english: serde_json::Value = serde_json::from_str(include_str!("../../locales/en.json")).unwrap();
        let mut phrases = Vec::new();
        let mut sources: Vec<&serde_json::Value> = english["notices"].as_object().unwrap().values().collect();
        sources.push(&english["mail"]["footer"]);
        sources.push(&english["auth"]["former_member"]);
        for text in sources.into_iter().filter_map(|v| v.as_str()) {
            for fragment in text.split("{{").flat_map(|part| part.split("}}").last()) {
                let fragment = fragment.trim_matches(|c: char| !c.is_alphabetic());
                if fragment.split_whitespace().count() >= 2 && !fragment.contains("Co-op & Travel") {
                    phrases.push(fragment.to_owned());
                }
            }
        }
        assert!(phrases.len() > 30, "{phrases:?}");
        let kinds: Vec<&str> = StayStatus::ALL
            .iter()
            .map(|s| s.as_str())
            .chain([kind::MESSAGE, kind::MEMBERSHIP_REQUESTED, kind::MEMBERSHIP_VERIFIED])
            .chain([kind::MEMBERSHIP_REVOKED, kind::COORDINATOR_APPOINTED])
            .collect();
        let network = Some(NoticeNamed { slug: "red".into(), name: "Red".into() });
        for locale in [Locale::es, Locale::pt] {
            for kind in &kinds {
                for audience in Audience::ALL {
                    for who in [Some("Rosa".to_owned()), Some(crate::domain::account::FORMER_MEMBER.to_owned()), None] {
                        let stay = if kind.starts_with("membership") || *kind == kind::COORDINATOR_APPOINTED {
                            None
                        } else {
                            declined().stay
                        };
                        let notice = Notice {
                            kind: (*kind).to_owned(),
                            audience: *audience,
                            who,
                            stay,
                            network: network.clone(),
                            coop: network.clone(),
                            note: "Nota".into(),
                        };
                        let mail = single(locale, &notice, "https://t.example");
                        let digest = digest(locale, &[notice.clone(), notice], "https://t.example");
                        for text in [&mail.subject, &mail.text, &mail.html, &digest.subject, &digest.text] {
                            for phrase in &phrases {
                                assert!(
                                    !text.contains(phrase.as_str()),
                                    "{locale:?} {kind} {audience:?}: {phrase:?} in {text}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_digest_counts_its_notifications() {
        let mail = digest(Locale::pt, &[declined(), declined()], "https://t.example");
        assert_eq!(mail.subject, "Co-op & Travel: 2 notificações de hoje");
        assert_eq!(mail.text.matches("recusou o pedido").count(), 2);
    }
}
