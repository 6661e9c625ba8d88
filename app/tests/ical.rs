//! The iCalendar import and export (`app::server::ical`): exports of real calendar programs (hand-written in their
//! style, under `fixtures/ical/`), broken and hostile files, the feed's format, a round trip and fuzzing.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

use std::collections::BTreeSet;
use std::time::Instant;

use app::server::ical::{Busy, FeedEvent, IcalError, MAX_IMPORT_BYTES, busy_nights, feed, ranges};
use chrono::{Days, NaiveDate};
use icalendar::{Calendar, Component as _, DatePerhapsTime};
use proptest::prelude::*;

const GOOGLE: &str = include_str!("fixtures/ical/google.ics");
const OUTLOOK: &str = include_str!("fixtures/ical/outlook.ics");
const THUNDERBIRD: &str = include_str!("fixtures/ical/thunderbird.ics");
const APPLE: &str = include_str!("fixtures/ical/apple.ics");
const AIRBNB: &str = include_str!("fixtures/ical/airbnb.ics");
const CRLF: &str = include_str!("fixtures/ical/crlf.ics");
const LF: &str = include_str!("fixtures/ical/lf.ics");
const BROKEN_NO_END: &str = include_str!("fixtures/ical/broken_no_end.ics");
const BROKEN_GARBAGE: &str = include_str!("fixtures/ical/broken_garbage.ics");
const BROKEN_EVENTS: &str = include_str!("fixtures/ical/broken_events.ics");
const HUGE_RRULE: &str = include_str!("fixtures/ical/huge_rrule.ics");
const BINARY: &[u8] = include_bytes!("fixtures/ical/binary.ics");

const FIXTURES: [&str; 11] =
    [GOOGLE, OUTLOOK, THUNDERBIRD, APPLE, AIRBNB, CRLF, LF, BROKEN_NO_END, BROKEN_GARBAGE, BROKEN_EVENTS, HUGE_RRULE];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// What the import is called with: about 18 months.
const FROM: (i32, u32, u32) = (2025, 9, 1);
const UNTIL: (i32, u32, u32) = (2027, 3, 1);

fn read(ics: &str) -> Busy {
    busy_nights(ics, d(FROM.0, FROM.1, FROM.2), d(UNTIL.0, UNTIL.1, UNTIL.2)).unwrap()
}

fn refused(ics: &str) -> IcalError {
    busy_nights(ics, d(FROM.0, FROM.1, FROM.2), d(UNTIL.0, UNTIL.1, UNTIL.2)).unwrap_err()
}

/// The nights `[first, end)`.
fn stay(first: NaiveDate, end: NaiveDate) -> BTreeSet<NaiveDate> {
    first.iter_days().take_while(|n| *n < end).collect()
}

fn set(nights: &[NaiveDate]) -> BTreeSet<NaiveDate> {
    nights.iter().copied().collect()
}

fn union(parts: &[BTreeSet<NaiveDate>]) -> BTreeSet<NaiveDate> {
    parts.iter().flatten().copied().collect()
}

#[test]
fn google_calendar_export() {
    let busy = read(GOOGLE);
    let expected = union(&[
        // Weekly on Mondays at 19:00 Buenos Aires, without the EXDATE'd 20 October. UNTIL is 21:59:59 UTC on
        // 10 November, 18:59:59 there: the 19:00 meeting that day is not in.
        set(&[d(2025, 10, 6), d(2025, 10, 13), d(2025, 10, 27), d(2025, 11, 3)]),
        // A one-off in UTC (Google's way), 01:30–03:30 UTC on the 15th: 22:30–00:30 in the calendar's
        // X-WR-TIMEZONE, so two nights.
        set(&[d(2025, 11, 14), d(2025, 11, 15)]),
        // All-day, DTEND exclusive.
        stay(d(2025, 12, 22), d(2025, 12, 29)),
        // Thursdays ×3: the 13th moved to Sunday 16th by a RECURRENCE-ID event, the 20th cancelled by another.
        set(&[d(2025, 11, 6), d(2025, 11, 16)]),
    ]);
    assert_eq!(busy.nights, expected);
    assert!(!busy.nights.contains(&d(2025, 11, 10)), "UNTIL compared in UTC");
    assert!(!busy.nights.contains(&d(2025, 11, 13)), "the moved instance");
    assert!(!busy.nights.contains(&d(2025, 11, 20)), "the cancelled instance");
    // A yearly birthday marked free (TRANSP:TRANSPARENT) and the cancelled instance are skipped; last year's
    // reservation is read but outside the window.
    assert_eq!((busy.events, busy.skipped), (8, 2));
}

#[test]
fn outlook_exchange_export() {
    let busy = read(OUTLOOK);
    let expected = union(&[
        // Weekdays 20–31 October in "Romance Standard Time" (Paris), without the EXDATE'd 22nd. UNTIL is 08:00 UTC
        // on the 31st: 09:00 in Paris after the DST change, so the 31st is in.
        set(&[
            d(2025, 10, 20),
            d(2025, 10, 21),
            d(2025, 10, 23),
            d(2025, 10, 24),
            d(2025, 10, 27),
            d(2025, 10, 28),
            d(2025, 10, 29),
            d(2025, 10, 30),
            d(2025, 10, 31),
        ]),
        // "Customized Time Zone" is not a zone name: read as wall-clock time, 22:00 → 02:00.
        set(&[d(2025, 11, 5), d(2025, 11, 6)]),
        // All-day (X-MICROSOFT-CDO-ALLDAYEVENT), out of office.
        stay(d(2025, 11, 10), d(2025, 11, 12)),
        // An Outlook display name resolves to a real zone: 21:00 there to 23:30 UTC, which is 00:30 the next day.
        set(&[d(2025, 11, 21), d(2025, 11, 22)]),
    ]);
    assert_eq!(busy.nights, expected);
    // A free reminder (BUSYSTATUS FREE, TRANSPARENT) and a cancelled meeting.
    assert_eq!((busy.events, busy.skipped), (6, 2));
}

#[test]
fn thunderbird_export() {
    let busy = read(THUNDERBIRD);
    let expected = union(&[
        set(&[d(2025, 10, 3)]),
        stay(d(2025, 10, 10), d(2025, 10, 13)),
        // All-day without DTEND: one night.
        set(&[d(2025, 10, 20)]),
        // All-day with DURATION:P2D.
        set(&[d(2025, 10, 25), d(2025, 10, 26)]),
        // Yearly all-day since 1999.
        set(&[d(2026, 2, 14), d(2027, 2, 14)]),
        set(&[d(2025, 11, 1)]),
        // Weekly all-day ×4 from Monday 8 December, EXDATE;VALUE=DATE the 15th, RDATE;VALUE=DATE the 10th.
        set(&[d(2025, 12, 8), d(2025, 12, 10), d(2025, 12, 22), d(2025, 12, 29)]),
        // Old Lightning TZID path `/mozilla.org/20070129_1/Europe/Berlin`: 22:30 there to 23:30 UTC (00:30 there).
        set(&[d(2025, 11, 5), d(2025, 11, 6)]),
        // A custom TZID resolved through its VTIMEZONE's X-LIC-LOCATION (Azores, UTC−1): ends 23:30 that day.
        set(&[d(2025, 11, 7)]),
        // Weekly at 18:00 ×3 from 6 January 2026, with an EXDATE;VALUE=DATE for the 13th.
        set(&[d(2026, 1, 6), d(2026, 1, 20)]),
    ]);
    assert_eq!(busy.nights, expected);
    assert!(!busy.nights.contains(&d(2025, 12, 1)), "the free (TRANSPARENT) holiday");
    assert_eq!((busy.events, busy.skipped), (11, 1));
}

#[test]
fn apple_calendar_export_across_the_october_dst_change() {
    let busy = read(APPLE);
    let expected = union(&[
        // Saturdays 23:30–00:30 in Madrid: two nights each. The 1 November one is removed by an EXDATE written in
        // UTC (22:30Z is 23:30 in Madrid only with the winter offset); UNTIL, also UTC, keeps 8 November.
        set(&[d(2025, 10, 18), d(2025, 10, 19), d(2025, 10, 25), d(2025, 10, 26), d(2025, 11, 8), d(2025, 11, 9)]),
        // 26 October 18:00 (after the change) to 23:00 UTC = midnight in Madrid: that night only. (A folded DTSTART.)
        set(&[d(2025, 10, 26)]),
        stay(d(2025, 12, 1), d(2025, 12, 5)),
        // 02:30 on the night clocks jump from 02:00 to 03:00: a time that does not exist still has its night.
        set(&[d(2026, 3, 29)]),
        // A flight from Madrid at 16:00 landing in Buenos Aires at 23:30 there, 03:30 the next day in Madrid: the
        // end is read in the start's zone.
        set(&[d(2025, 11, 20), d(2025, 11, 21)]),
    ]);
    assert_eq!(busy.nights, expected);
    assert!(!busy.nights.contains(&d(2025, 11, 1)) && !busy.nights.contains(&d(2025, 11, 2)));
    assert!(!busy.nights.contains(&d(2025, 10, 27)), "23:00 UTC is midnight in Madrid in winter");
    assert_eq!((busy.events, busy.skipped), (5, 0));
}

#[test]
fn airbnb_style_feed() {
    let busy = read(AIRBNB);
    let expected = union(&[
        // A reservation that started before the window: only its nights inside it.
        stay(d(2025, 9, 1), d(2025, 9, 3)),
        // Back-to-back reservations: check-out day 14 is the next check-in.
        stay(d(2025, 10, 10), d(2025, 10, 17)),
        stay(d(2025, 10, 20), d(2025, 11, 1)),
        // Blocked past the end of the window.
        stay(d(2027, 2, 25), d(2027, 3, 1)),
    ]);
    assert_eq!(busy.nights, expected);
    assert_eq!((busy.events, busy.skipped), (5, 0));
}

#[test]
fn crlf_and_lf_files_read_the_same() {
    assert!(CRLF.contains("\r\n"), "the CRLF fixture must keep its line endings (see .gitattributes)");
    assert!(!LF.contains('\r'));
    let expected = union(&[
        stay(d(2025, 11, 3), d(2025, 11, 5)),
        // Floating 15:00 → 10:00 the next morning touches two dates, and both count.
        set(&[d(2025, 11, 10), d(2025, 11, 11)]),
        // An instant (no DTEND, no DURATION): its date.
        set(&[d(2025, 11, 20)]),
        // 22:00 + PT4H: past midnight, two nights.
        set(&[d(2025, 11, 24), d(2025, 11, 25)]),
        // All-day with DTEND equal to DTSTART (some producers): still its day.
        set(&[d(2025, 12, 1)]),
    ]);
    for ics in [CRLF, LF] {
        let busy = read(ics);
        assert_eq!(busy.nights, expected);
        assert_eq!((busy.events, busy.skipped), (5, 0));
    }
    // And with classic Mac line endings, or mixed ones.
    assert_eq!(read(&LF.replace('\n', "\r")).nights, expected);
    let mixed: String =
        LF.lines().enumerate().map(|(i, l)| format!("{l}{}", if i % 2 == 0 { "\r\n" } else { "\n" })).collect();
    assert_eq!(read(&mixed).nights, expected);
}

#[test]
fn concatenated_calendars_lower_case_names_and_a_trailing_footer() {
    let both = format!("{AIRBNB}{GOOGLE}\r\n<!-- generated by a web server -->\r\n");
    let busy = read(&both);
    assert_eq!(busy.nights, union(&[read(AIRBNB).nights, read(GOOGLE).nights]));
    assert_eq!(busy.events, 5 + 8);
    assert_eq!(read(&LF.to_lowercase()).nights, read(LF).nights);
}

#[test]
fn a_truncated_file_is_refused() {
    let error = refused(BROKEN_NO_END);
    assert_eq!(error, IcalError::Invalid("the file ends too early (END:VCALENDAR is missing)".into()));
    assert_eq!(
        error.to_string(),
        "this is not a valid iCalendar file: the file ends too early (END:VCALENDAR is missing)"
    );
}

#[test]
fn garbage_and_binary_data_are_refused() {
    assert_eq!(refused(BROKEN_GARBAGE), IcalError::Invalid("it does not begin with BEGIN:VCALENDAR".into()));
    assert_eq!(
        refused(&String::from_utf8_lossy(BINARY)),
        IcalError::Invalid("it does not begin with BEGIN:VCALENDAR".into())
    );
    let junk = format!("BEGIN:VCALENDAR\r\n{}\r\nEND:VCALENDAR\r\n", String::from_utf8_lossy(&BINARY[16..80]));
    let IcalError::Invalid(reason) = refused(&junk) else { panic!("not refused as invalid") };
    assert!(reason.starts_with("cannot read the line \""), "{reason}");
    assert!(!reason.chars().any(char::is_control), "{reason:?}");
    let unclosed = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20251001\r\nEND:VCALENDAR\r\n";
    assert_eq!(
        refused(unclosed),
        IcalError::Invalid(
            "\"END:VCALENDAR\" does not close the component that is open (is an END line missing?)".into()
        )
    );
    let nested = format!("BEGIN:VCALENDAR\r\n{}", "BEGIN:X\r\n".repeat(100_000));
    assert_eq!(refused(&nested), IcalError::Invalid("its components are nested too deeply".into()));
}

#[test]
fn empty_and_too_large_files() {
    assert_eq!(refused(""), IcalError::Empty);
    assert_eq!(refused(" \r\n\t\n"), IcalError::Empty);
    assert_eq!(refused("\u{feff}"), IcalError::Empty);
    assert_eq!(IcalError::Empty.to_string(), "the file is empty");
    let large = format!("BEGIN:VCALENDAR\r\nX-PADDING:{}\r\nEND:VCALENDAR\r\n", "x".repeat(MAX_IMPORT_BYTES));
    assert_eq!(refused(&large), IcalError::TooLarge { max_kib: 1024 });
    assert_eq!(refused(&large).to_string(), "the file is larger than 1024 KiB");
    // A calendar without events is a valid (empty) import; a byte order mark is fine.
    assert_eq!(read("\u{feff}BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"), Busy::default());
}

#[test]
fn broken_events_are_skipped_not_fatal() {
    let busy = read(BROKEN_EVENTS);
    // Only the good event's night: DTEND before DTSTART (all-day and timed), an unreadable DTSTART, none at all,
    // month 13, an unreadable or negative DURATION, an RRULE or UNTIL that does not parse, a non-ASCII rule and
    // INTERVAL=0 are each skipped, and none of them adds its DTSTART's night.
    assert_eq!(busy.nights, set(&[d(2025, 10, 2)]));
    assert_eq!((busy.events, busy.skipped), (12, 11));
    assert!(!busy.nights.contains(&d(2025, 10, 23)), "INTERVAL=0 is not a rule");
}

#[test]
fn hostile_rules_are_bounded() {
    let started = Instant::now();
    let busy = read(HUGE_RRULE);
    let expected = union(&[
        // COUNT=4294967295 daily from 1 June 2026: every night to the end of the window.
        stay(d(2026, 6, 1), d(2027, 3, 1)),
        // FREQ=SECONDLY: cut after 5000 instances, which all fall on 1 October.
        set(&[d(2025, 10, 1)]),
        // MINUTELY with COUNT=1000000: cut after 5000 minutes (3 days 11 h 20 min).
        stay(d(2025, 12, 24), d(2025, 12, 28)),
        // Every 30 February: only its DTSTART, the first instance whatever the rule says.
        set(&[d(2025, 11, 1)]),
        // Every third Wednesday since 3 January 1900, fast-forwarded to the window without losing its phase.
        d(1900, 1, 3)
            .iter_weeks()
            .step_by(3)
            .skip_while(|n| *n < d(2025, 9, 1))
            .take_while(|n| *n < d(2027, 3, 1))
            .collect(),
        // Every other day since 1980: 8 000 instances before the window, more than one event may have, so only
        // fast-forwarding reaches it.
        d(1980, 1, 1)
            .iter_days()
            .step_by(2)
            .skip_while(|n| *n < d(2025, 9, 1))
            .take_while(|n| *n < d(2027, 3, 1))
            .collect(),
    ]);
    assert_eq!(busy.nights, expected);
    // The two rules cut short by the limits.
    assert_eq!((busy.events, busy.skipped), (6, 2));
    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
}

#[test]
fn only_nights_inside_the_window() {
    let busy = busy_nights(AIRBNB, d(2025, 10, 12), d(2025, 10, 22)).unwrap();
    assert_eq!(busy.nights, union(&[stay(d(2025, 10, 12), d(2025, 10, 17)), stay(d(2025, 10, 20), d(2025, 10, 22))]));
    let busy = busy_nights(GOOGLE, d(2025, 10, 7), d(2025, 10, 27)).unwrap();
    assert_eq!(busy.nights, set(&[d(2025, 10, 13)]));
    // An empty or reversed window reads the file and returns no nights.
    let busy = busy_nights(GOOGLE, d(2025, 10, 7), d(2025, 10, 7)).unwrap();
    assert_eq!((busy.nights.len(), busy.events), (0, 8));
    assert!(busy_nights(GOOGLE, d(2026, 1, 1), d(2025, 1, 1)).unwrap().nights.is_empty());
    assert!(busy_nights(GOOGLE, NaiveDate::MIN, NaiveDate::MIN).unwrap().nights.is_empty());
    assert!(busy_nights(HUGE_RRULE, NaiveDate::MAX, NaiveDate::MAX).unwrap().nights.is_empty());
}

fn stay_event(uid: &str, summary: &str, description: &str, start: NaiveDate, end: NaiveDate) -> FeedEvent {
    FeedEvent { uid: uid.into(), summary: summary.into(), description: description.into(), start, end }
}

fn without_dtstamp(feed: &str) -> String {
    feed.split("\r\n").filter(|l| !l.starts_with("DTSTAMP:")).collect::<Vec<_>>().join("\r\n")
}

#[test]
fn feed_escapes_text_and_round_trips_through_the_icalendar_parser() {
    let tricky = "Teixit; Obert, a \\ b\nnew line";
    let events = [
        stay_event("stay-1@coop-travel", tricky, tricky, d(2025, 11, 3), d(2025, 11, 6)),
        stay_event("block-7-2025-12-01@coop-travel", "Not available", "Casa Teixidora", d(2025, 12, 1), d(2025, 12, 2)),
    ];
    let out = feed("Casa Teixidora", &events);
    let unfolded = icalendar::parser::unfold(&out);
    assert!(unfolded.contains("SUMMARY:Teixit\\; Obert\\, a \\\\ b\\nnew line\r\n"), "{unfolded}");
    assert!(unfolded.contains("DESCRIPTION:Teixit\\; Obert\\, a \\\\ b\\nnew line\r\n"));

    let calendar: Calendar = out.parse().unwrap();
    assert_eq!(calendar.get_name(), Some("Casa Teixidora"));
    let parsed: Vec<_> = calendar.events().collect();
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed[0].get_uid(), Some("stay-1@coop-travel"));
    assert_eq!(parsed[0].get_summary(), Some(tricky));
    assert_eq!(parsed[0].get_description(), Some(tricky));
    assert_eq!(parsed[0].get_start(), Some(DatePerhapsTime::Date(d(2025, 11, 3))));
    assert_eq!(parsed[0].get_end(), Some(DatePerhapsTime::Date(d(2025, 11, 6))));
    assert_eq!(parsed[1].get_uid(), Some("block-7-2025-12-01@coop-travel"));
    assert_eq!(parsed[1].get_summary(), Some("Not available"));

    // And our own import reads it back.
    let busy = read(&out);
    assert_eq!(busy.nights, union(&[stay(d(2025, 11, 3), d(2025, 11, 6)), set(&[d(2025, 12, 1)])]));
}

#[test]
fn feed_format_crlf_folding_header_and_dates() {
    let long = "Estada de la cooperativa tèxtil «Teixit Obert» amb vint-i-dues persones — 二十二人 — i tres gossos";
    let out = feed(
        "Cases de la xarxa, Catalunya; hivern",
        &[stay_event("stay-42@coop-travel", long, long, d(2026, 1, 30), d(2026, 2, 2))],
    );
    assert!(out.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(out.ends_with("END:VCALENDAR\r\n"));
    assert!(!out.replace("\r\n", "").contains(['\r', '\n']), "every line break is CRLF");
    for line in out.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(out.split("\r\n").any(|l| l.starts_with(' ')), "long lines are folded");
    let unfolded = icalendar::parser::unfold(&out);
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    for expected in [
        "VERSION:2.0",
        "PRODID:-//coop-travel//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Cases de la xarxa\\, Catalunya\\; hivern",
        "UID:stay-42@coop-travel",
        "DTSTART;VALUE=DATE:20260130",
        "DTEND;VALUE=DATE:20260202",
    ] {
        assert!(lines.contains(&expected), "{expected} missing in {unfolded}");
    }
    assert!(lines.iter().any(|l| l.len() == "DTSTAMP:20260101T000000Z".len() && l.starts_with("DTSTAMP:2")));
    let calendar: Calendar = out.parse().unwrap();
    assert_eq!(calendar.events().next().unwrap().get_summary(), Some(long));
}

#[test]
fn feed_is_stable_apart_from_dtstamp() {
    let events = [
        stay_event("stay-1@coop-travel", "Stay: Teixit (3)", "Casa · confirmed", d(2025, 11, 3), d(2025, 11, 6)),
        stay_event("block-7-2025-12-01@coop-travel", "Not available", "", d(2025, 12, 1), d(2025, 12, 4)),
    ];
    let first = feed("Casa", &events);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = feed("Casa", &events);
    assert_eq!(without_dtstamp(&first), without_dtstamp(&second));
    assert_eq!(first.matches("UID:stay-1@coop-travel\r\n").count(), 1);
    // An empty description is left out, and so is an event with no nights.
    assert_eq!(first.matches("DESCRIPTION:").count(), 1);
    let empty = feed("Casa", &[stay_event("x", "Nothing", "", d(2025, 11, 3), d(2025, 11, 3))]);
    assert!(!empty.contains("BEGIN:VEVENT"));
    assert_eq!(read(&empty), Busy::default());
}

#[test]
fn ranges_merge_consecutive_nights() {
    assert_eq!(ranges(&BTreeSet::new()), vec![]);
    let nights = set(&[d(2025, 12, 30), d(2025, 12, 31), d(2026, 1, 1), d(2026, 1, 3), d(2026, 2, 28), d(2026, 3, 1)]);
    assert_eq!(
        ranges(&nights),
        vec![(d(2025, 12, 30), d(2026, 1, 2)), (d(2026, 1, 3), d(2026, 1, 4)), (d(2026, 2, 28), d(2026, 3, 2))]
    );
}

/// Small edits of a fixture: delete, insert, duplicate or cut.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, String),
    DuplicateLine(usize),
    Truncate(usize),
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_owned();
    let at = |text: &str, i: usize| {
        let mut i = i % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for mutation in mutations {
        match mutation {
            Mutation::Delete(i, len) => {
                let start = at(&text, *i);
                let end = at(&text, start + len % 40);
                let end = end.max(start);
                text.replace_range(start..end, "");
            }
            Mutation::Insert(i, s) => {
                let i = at(&text, *i);
                text.insert_str(i, s);
            }
            Mutation::DuplicateLine(i) => {
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let line = lines[i % lines.len()].to_owned();
                    let i = at(&text, *i);
                    text.insert_str(i, &line);
                }
            }
            Mutation::Truncate(i) => {
                let i = at(&text, *i);
                text.truncate(i);
            }
        }
    }
    text
}

/// Fragments that make mutations land on things the reader cares about.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\r\n".to_owned()),
        Just("\n ".to_owned()),
        Just("BEGIN:VEVENT\r\n".to_owned()),
        Just("END:VEVENT\r\n".to_owned()),
        Just("RRULE:FREQ=SECONDLY\r\n".to_owned()),
        Just("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=-1\r\n".to_owned()),
        Just(";TZID=Europe/Madrid".to_owned()),
        Just("EXDATE;VALUE=DATE:20251020,20251021\r\n".to_owned()),
        Just("RDATE;VALUE=PERIOD:20251001T100000Z/PT99999999H\r\n".to_owned()),
        Just("DURATION:P9999999W\r\n".to_owned()),
        Just("\"".to_owned()),
        Just(":".to_owned()),
        Just(";".to_owned()),
        Just("\u{0}é☃\u{feff}".to_owned()),
        "[A-Z0-9:;=,\"/ TZ+-]{0,30}",
        any::<String>(),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), fragment()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// Every night returned is in the window, and the counts add up.
fn check(ics: &str, from: NaiveDate, until: NaiveDate) {
    if let Ok(busy) = busy_nights(ics, from, until) {
        assert!(busy.nights.iter().all(|n| *n >= from && *n < until));
        assert!(busy.skipped <= busy.events);
    }
}

// 256 cases each; `PROPTEST_CASES=100000 cargo test --release …` fuzzes longer.
proptest! {

    /// Nights → ranges → feed → import gives back the same nights, one event per range.
    #[test]
    fn round_trip(offsets in prop::collection::btree_set(0u64..600, 0..90)) {
        let base = d(2026, 1, 1);
        let nights: BTreeSet<NaiveDate> = offsets.iter().map(|o| base.checked_add_days(Days::new(*o)).unwrap()).collect();
        let merged = ranges(&nights);
        for pair in merged.windows(2) {
            prop_assert!(pair[0].1 < pair[1].0, "ranges must be maximal: {:?}", pair);
        }
        let events: Vec<FeedEvent> = merged
            .iter()
            .map(|(start, end)| stay_event(&format!("block-{start}@coop-travel"), "Not available", "", *start, *end))
            .collect();
        let busy = busy_nights(&feed("Round trip", &events), base, base.checked_add_days(Days::new(600)).unwrap()).unwrap();
        prop_assert_eq!(busy.nights, nights);
        prop_assert_eq!((busy.events, busy.skipped), (merged.len(), 0));
    }

    #[test]
    fn never_panics_on_arbitrary_text(text in any::<String>()) {
        check(&text, d(2025, 9, 1), d(2027, 3, 1));
    }

    #[test]
    fn never_panics_on_calendar_shaped_text(body in prop::collection::vec(fragment(), 0..40)) {
        check(&format!("BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n", body.concat()), d(2025, 9, 1), d(2027, 3, 1));
    }

    #[test]
    fn never_panics_on_mutated_fixtures(
        fixture in 0..FIXTURES.len(),
        mutations in prop::collection::vec(mutation(), 1..6),
        from in 0u64..1200,
        days in 0u64..800,
    ) {
        let text = mutate(FIXTURES[fixture], &mutations);
        let from = d(2024, 1, 1).checked_add_days(Days::new(from)).unwrap();
        check(&text, from, from.checked_add_days(Days::new(days)).unwrap());
    }
}
