//! iCalendar (RFC 5545) in and out: busy nights from an imported `.ics`, and feeds of stays and blocks.
//!
//! A hospitality *night* is the date it starts: a stay from the 3rd to the 5th takes the nights of the 3rd and
//! the 4th.
//!
//! # Import ([`busy_nights`])
//!
//! The file is split into content lines and components by the `icalendar` crate's parser; what the events mean
//! is worked out here, because the crate's own helpers anchor floating and all-day times to the server's local
//! time zone, and a host's calendar must not depend on where the server runs.
//!
//! Supported:
//! - all-day events (`VALUE=DATE`): the nights `[DTSTART, DTEND)`, one night without `DTEND`, or `DURATION`;
//! - timed events: every date from the start's date to the date of one second before the end, in local time:
//!   a `TZID` time is taken in that zone, a UTC time (`…Z`) in the calendar's `X-WR-TIMEZONE` when it names a
//!   known zone (Google exports most one-off events in UTC with that header) and else in UTC, a floating time
//!   as written. A `DTEND` in another zone is converted into the start's zone (with the real offsets, so across
//!   DST changes too). Without `DTEND`, `DURATION`; without either, the start's date only;
//! - `TZID`s: IANA names, Windows names (Outlook/Exchange, e.g. `Romance Standard Time`, mapped with the CLDR
//!   table), a `VTIMEZONE`'s `X-LIC-LOCATION` (Thunderbird, Evolution), prefixed paths such as
//!   `/mozilla.org/20070129_1/Europe/Berlin`, and Outlook's display names such as
//!   `(UTC+01:00) Brussels, Copenhagen, Madrid, Paris` (by the first city in it that is a zone name);
//! - `RRULE` (through the `rrule` crate), `EXDATE` (date-time, `TZID`, UTC and `VALUE=DATE` forms), `RDATE`
//!   (date, date-time and `PERIOD`), and modified instances (`RECURRENCE-ID`: the master's original instance
//!   is dropped, the modified one counts on its own, or not at all when cancelled);
//! - several `VCALENDAR`s in one file (some tools concatenate them), a byte order mark, CRLF, LF or CR line
//!   endings, folded lines, lower-case names;
//! - skipped and counted in [`Busy::skipped`]: `STATUS:CANCELLED`, `TRANSP:TRANSPARENT` (and Outlook's
//!   `X-MICROSOFT-CDO-BUSYSTATUS:FREE`), an unreadable or missing `DTSTART`, an unreadable `DTEND`/`DURATION`,
//!   an end before the start, an `RRULE` that does not parse, and a recurring event whose expansion was cut
//!   short by the limits below (the nights found before the cut are still returned).
//!
//! Knowingly not supported:
//! - the rules inside a `VTIMEZONE`: a `TZID` that cannot be resolved to a known zone is read as floating
//!   (wall-clock) time. The event's own nights are still exact, because they depend only on the wall clock it
//!   was written in; only comparisons with UTC times (a UTC `EXDATE` or `UNTIL`) may be off by the zone's
//!   offset, and then they use the calendar's zone;
//! - `EXRULE` (deprecated by RFC 5545), `RANGE=THISANDFUTURE` on `RECURRENCE-ID`, `VFREEBUSY`, `VTODO`;
//! - more than [`MAX_OCCURRENCES_PER_EVENT`] occurrences of one event before the end of the window, or more
//!   than [`MAX_OCCURRENCES_PER_FILE`] in one file. Daily, weekly and sub-daily rules without `COUNT` are
//!   fast-forwarded to the window, so an old daily rule still works; a `COUNT`ed rule or a sub-daily one that
//!   runs into the limit is cut (and counted as skipped). This is what keeps `FREQ=SECONDLY` from hanging.
//!
//! A file that cannot be parsed as a whole is refused ([`IcalError::Invalid`]) rather than half read: an
//! import replaces the previous one, and a truncated download must not silently free nights.
//!
//! # Export ([`feed`], [`ranges`])
//!
//! Written here rather than with the crate's builder, to control exactly what is emitted: all-day events only,
//! stable UIDs, escaped text, CRLF and lines folded at 75 octets.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Instant;

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone as _, Utc};
use icalendar::parser::{self, Component, Property};
use icalendar::rrule::{Frequency, RRule, RRuleSet, Tz, Unvalidated};

/// Why an .ics file was refused. Display texts must be clear, user-facing English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IcalError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max_kib} KiB")]
    TooLarge { max_kib: usize },
    #[error("this is not a valid iCalendar file: {0}")]
    Invalid(String),
}

impl From<IcalError> for crate::error::Refusal {
    fn from(error: IcalError) -> Self {
        use crate::error::Refusal;
        match error {
            IcalError::Empty => Refusal::CalendarEmpty,
            IcalError::TooLarge { max_kib } => Refusal::CalendarTooLarge { max_kib },
            IcalError::Invalid(detail) => Refusal::CalendarUnreadable { detail },
        }
    }
}

/// Largest accepted import, in bytes (1 MiB).
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// Occurrences of one recurring event looked at, at most (from its start, or from where it was fast-forwarded to).
pub const MAX_OCCURRENCES_PER_EVENT: usize = 5_000;

/// Occurrences of all recurring events of one file looked at, at most.
pub const MAX_OCCURRENCES_PER_FILE: usize = 100_000;

/// Recurring rules of one file expanded, at most: a real calendar has a few hundred; the rest are skipped (and
/// counted). With the time bound below, this caps what one import can cost, whatever it holds.
pub const MAX_RULES_PER_FILE: usize = 1_000;

/// Time spent expanding the rules of one file, at most. A rule no date satisfies (`FREQ=YEARLY;BYMONTH=2;
/// BYMONTHDAY=30`) costs the `rrule` crate 100 000 empty rounds (about 10 ms optimised, 100 ms in a debug build)
/// before it gives up, and a megabyte holds ten thousand of them; this bounds such a file without guessing which
/// rules are satisfiable. Real calendars take milliseconds.
const MAX_EXPANSION_TIME: std::time::Duration = std::time::Duration::from_secs(1);

/// The parser recurses once per nesting level; real calendars nest three deep (`VCALENDAR` > `VTIMEZONE` >
/// `STANDARD`), and a file of a million `BEGIN:` lines must not overflow the stack.
const MAX_NESTING: usize = 16;

/// The outcome of reading an import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Busy {
    /// Every night (the date the night starts) touched by a busy event, within [from, until).
    pub nights: BTreeSet<NaiveDate>,
    /// How many VEVENTs were read, and how many were skipped (cancelled, transparent/free, unreadable dates).
    pub events: usize,
    /// Also counts a recurring event cut short by the limits on occurrences; the nights found before the cut are
    /// in `nights`.
    pub skipped: usize,
}

/// Reads `ics` and returns the busy nights in [from, until). Never panics on any input.
pub fn busy_nights(ics: &str, from: NaiveDate, until: NaiveDate) -> Result<Busy, IcalError> {
    if ics.len() > MAX_IMPORT_BYTES {
        return Err(IcalError::TooLarge { max_kib: MAX_IMPORT_BYTES / 1024 });
    }
    let ics = ics.strip_prefix('\u{feff}').unwrap_or(ics);
    if ics.trim().is_empty() {
        return Err(IcalError::Empty);
    }
    // Classic Mac OS line endings: without this the whole file would be one line.
    let ics = if ics.contains('\n') { ics.to_owned() } else { ics.replace('\r', "\n") };
    let text = parser::unfold(&ics);
    let mut calendars = Vec::new();
    let blocks = calendar_blocks(&text)?;
    for block in &blocks {
        let components = parser::read_calendar_simple(&block.text).map_err(|e| invalid(&describe(block, e.input)))?;
        calendars.extend(components);
    }
    let mut reader = Reader {
        from,
        until,
        budget: MAX_OCCURRENCES_PER_FILE,
        rules_left: MAX_RULES_PER_FILE,
        started: Instant::now(),
        busy: Busy::default(),
    };
    for calendar in calendars.iter().filter(|c| is(c.name.as_str(), "VCALENDAR")) {
        reader.calendar(calendar);
    }
    Ok(reader.busy)
}

fn invalid(reason: &str) -> IcalError {
    IcalError::Invalid(reason.to_owned())
}

/// One `BEGIN:VCALENDAR` … `END:VCALENDAR` block, normalised for the parser: CRLF line endings (it reads a value
/// up to the next CRLF if there is one anywhere further on, so LF lines make it quadratic, and mixed endings make
/// it read across lines), `BEGIN`/`END` lines upper-case and without trailing blanks (it matches `END:` names
/// exactly), no blank lines.
struct Block {
    text: String,
    /// Whether its `END:VCALENDAR` was found.
    complete: bool,
}

/// The calendars of the (unfolded) text, checking the nesting depth on the way. Text after a calendar is ignored
/// (a web page's footer, another calendar's debris); text before the first is not.
fn calendar_blocks(text: &str) -> Result<Vec<Block>, IcalError> {
    const NOT_A_CALENDAR: &str = "it does not begin with BEGIN:VCALENDAR";
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let begin = strip_prefix_ci(line, "BEGIN:").map(str::trim);
        let end = strip_prefix_ci(line, "END:").map(str::trim);
        if let Some(name) = begin {
            if depth == 0 {
                if !is(name, "VCALENDAR") {
                    if blocks.is_empty() {
                        return Err(invalid(NOT_A_CALENDAR));
                    }
                    continue;
                }
                current = Some(String::new());
            }
            depth += 1;
            if depth > MAX_NESTING {
                return Err(invalid("its components are nested too deeply"));
            }
        } else if end.is_some() {
            if depth == 0 {
                continue;
            }
            depth -= 1;
        } else if depth == 0 {
            if blocks.is_empty() {
                return Err(invalid(NOT_A_CALENDAR));
            }
            continue;
        } else if !has_value(line) {
            return Err(invalid(&format!("cannot read the line \"{}\"", snippet(line))));
        }
        let Some(block) = current.as_mut() else { continue };
        match (begin, end) {
            (Some(name), _) => block.push_str(&format!("BEGIN:{}", name.to_ascii_uppercase())),
            (_, Some(name)) => block.push_str(&format!("END:{}", name.to_ascii_uppercase())),
            _ => block.push_str(line),
        }
        block.push_str("\r\n");
        if depth == 0
            && let Some(text) = current.take()
        {
            blocks.push(Block { text, complete: true });
        }
    }
    // An unterminated calendar still goes to the parser: a broken component inside is the better explanation.
    if let Some(text) = current {
        blocks.push(Block { text, complete: false });
    }
    if blocks.is_empty() {
        return Err(invalid(NOT_A_CALENDAR));
    }
    Ok(blocks)
}

/// A short reason for a parse error at `rest` (a suffix of `block`): the offending line, or the missing end.
fn describe(block: &Block, rest: &str) -> String {
    let text = block.text.as_str();
    let at = text.len().saturating_sub(rest.len());
    let head = text.get(..at).unwrap_or_default();
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or_default().split("\r\n").next().unwrap_or_default();
    if !block.complete && (line.is_empty() || strip_prefix_ci(line, "BEGIN:").is_some()) {
        return "the file ends too early (END:VCALENDAR is missing)".to_owned();
    }
    let snippet = snippet(line);
    if strip_prefix_ci(line, "END:").is_some() {
        format!("\"{snippet}\" does not close the component that is open (is an END line missing?)")
    } else {
        format!("cannot read the line \"{snippet}\"")
    }
}

/// Whether a content line has its `:` (outside quoted parameter values). The parser would look for it, or for a
/// closing quote, through the rest of the file, line after line: quadratic on a hostile file.
fn has_value(line: &str) -> bool {
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The start of a line, printable, to quote in an error.
fn snippet(line: &str) -> String {
    let mut out: String =
        line.chars().take(60).map(|c| if c.is_control() || c == '\u{fffd}' { '?' } else { c }).collect();
    if line.chars().count() > 60 {
        out.push('…');
    }
    out
}

fn strip_prefix_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) { line.get(prefix.len()..) } else { None }
}

fn is(name: &str, expected: &str) -> bool {
    name.eq_ignore_ascii_case(expected)
}

/// The first property called `name`.
fn property<'c, 'a>(component: &'c Component<'a>, name: &str) -> Option<&'c Property<'a>> {
    component.properties.iter().find(|p| is(p.name.as_str(), name))
}

/// Every property called `name`.
fn properties<'c, 'a>(component: &'c Component<'a>, name: &'c str) -> impl Iterator<Item = &'c Property<'a>> {
    component.properties.iter().filter(move |p| is(p.name.as_str(), name))
}

fn value<'c>(component: &'c Component<'_>, name: &str) -> Option<&'c str> {
    property(component, name).map(|p| p.val.as_str().trim())
}

fn param<'p>(property: &'p Property<'_>, key: &str) -> Option<&'p str> {
    property.params.iter().find(|p| is(p.key.as_str(), key)).and_then(|p| p.val.as_ref()).map(|v| v.as_str())
}

/// A DATE or DATE-TIME value as written.
#[derive(Debug, Clone, Copy)]
struct Moment {
    /// Midnight for a date.
    naive: NaiveDateTime,
    zone: Zone,
    date_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    /// No zone, or a `TZID` that could not be resolved: wall-clock time.
    Floating,
    /// A trailing `Z`.
    Utc,
    Named(Tz),
}

/// Time zones of one calendar: how its `TZID`s resolve, and the zone UTC times are shown in.
struct Zones {
    /// `VTIMEZONE` `TZID` → `X-LIC-LOCATION`.
    locations: HashMap<String, String>,
    resolved: HashMap<String, Option<Tz>>,
    /// `X-WR-TIMEZONE` when known, else UTC.
    default: Tz,
}

impl Zones {
    fn new(calendar: &Component<'_>) -> Zones {
        let locations = calendar
            .components
            .iter()
            .filter(|c| is(c.name.as_str(), "VTIMEZONE"))
            .filter_map(|c| Some((value(c, "TZID")?.to_owned(), value(c, "X-LIC-LOCATION")?.to_owned())))
            .collect();
        let mut zones = Zones { locations, resolved: HashMap::new(), default: Tz::UTC };
        if let Some(tz) = value(calendar, "X-WR-TIMEZONE").and_then(|name| zones.resolve(name)) {
            zones.default = tz;
        }
        zones
    }

    fn resolve(&mut self, tzid: &str) -> Option<Tz> {
        if let Some(known) = self.resolved.get(tzid) {
            return *known;
        }
        let name = tzid.trim().trim_matches('"').trim();
        let tz = known_zone(name)
            .or_else(|| self.locations.get(tzid).and_then(|location| known_zone(location.trim())))
            .or_else(|| display_name_zone(name));
        self.resolved.insert(tzid.to_owned(), tz);
        tz
    }

    /// The zone a value is in: its `TZID` (resolved), UTC, or floating.
    fn zone_of(&mut self, property: &Property<'_>) -> Zone {
        match param(property, "TZID") {
            Some(tzid) => self.resolve(tzid).map_or(Zone::Floating, Zone::Named),
            None => Zone::Floating,
        }
    }

    /// The zone an event's times are read in: its start's, with UTC starts shown in the calendar's zone.
    fn frame(&self, start: &Moment) -> Option<Tz> {
        match start.zone {
            Zone::Floating => None,
            Zone::Utc => Some(self.default),
            Zone::Named(tz) => Some(tz),
        }
    }

    /// `moment` as wall-clock time in `frame` (`None`: floating, where absolute times use the calendar's zone).
    fn to_frame(&self, moment: &Moment, frame: Option<Tz>) -> NaiveDateTime {
        let target = frame.unwrap_or(self.default);
        match moment.zone {
            Zone::Floating => moment.naive,
            Zone::Utc => target.from_utc_datetime(&moment.naive).naive_local(),
            Zone::Named(tz) if Some(tz) == frame => moment.naive,
            Zone::Named(tz) => target.from_utc_datetime(&local_to_utc(tz, moment.naive)).naive_local(),
        }
    }
}

/// An IANA name, a Windows name, or an IANA name at the end of a path (`/mozilla.org/20070129_1/Europe/Berlin`).
fn known_zone(name: &str) -> Option<Tz> {
    if name.is_empty() {
        return None;
    }
    let iana = |n: &str| n.parse().ok().map(Tz::Tz);
    iana(name)
        .or_else(|| iana(&name.replace(' ', "_")))
        .or_else(|| {
            WINDOWS_ZONES.iter().find(|(windows, _)| windows.eq_ignore_ascii_case(name)).and_then(|(_, i)| iana(i))
        })
        .or_else(|| name.match_indices('/').find_map(|(i, _)| name.get(i + 1..).and_then(iana)))
}

/// Outlook's display names, e.g. `(UTC+01:00) Brussels, Copenhagen, Madrid, Paris`: the first city (of up to three
/// words) that is a zone in a continent or ocean. Not `US/…`, `Etc/…` or a compass point, where `Central`,
/// `Universal` or `West` (`Australia/West`) would match words of names like `(UTC+01:00) West Central Africa`. Only
/// used when nothing else resolves, and then only to convert between zones: an event's own nights come from its
/// wall-clock times.
fn display_name_zone(name: &str) -> Option<Tz> {
    const AREAS: [&str; 9] =
        ["Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian", "America/Argentina"];
    // Display names are short; a long TZID is not one, and each word costs a dozen look-ups.
    if name.len() > 120 {
        return None;
    }
    let words: Vec<&str> = name.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
    let mut candidates = Vec::new();
    for i in 0..words.len() {
        for len in (1..=3).rev() {
            if let Some(group) = words.get(i..i + len) {
                candidates.push(group.join("_"));
            }
        }
    }
    candidates
        .iter()
        .filter(|c| c.len() >= 4 && !["North", "South", "East", "West"].iter().any(|p| p.eq_ignore_ascii_case(c)))
        .find_map(|city| AREAS.iter().find_map(|area| format!("{area}/{city}").parse().ok().map(Tz::Tz)))
}

/// The UTC time of a wall-clock time in `tz`: the earlier one when it happens twice, an hour later when it does
/// not happen (a spring-forward gap), as written if even that fails.
fn local_to_utc(tz: Tz, naive: NaiveDateTime) -> NaiveDateTime {
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| naive.checked_add_signed(TimeDelta::hours(1)).and_then(|n| tz.from_local_datetime(&n).earliest()))
        .map_or(naive, |t| t.naive_utc())
}

/// A DATE (`20251024`) or DATE-TIME (`20251024T100000`, `…Z`) value.
fn parse_moment(text: &str, zone: Zone) -> Option<Moment> {
    let text = text.trim();
    let digits = |range: std::ops::Range<usize>| {
        text.get(range).filter(|s| s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse::<u32>().ok())
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(4..6)?, digits(6..8)?)?;
    let rest = text.get(8..)?;
    if rest.is_empty() {
        return Some(Moment { naive: date.and_time(NaiveTime::MIN), zone: Zone::Floating, date_only: true });
    }
    let time = rest.strip_prefix(['T', 't'])?;
    let (time, utc) = match time.strip_suffix(['Z', 'z']) {
        Some(time) => (time, true),
        None => (time, false),
    };
    if time.len() != 6 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| time.get(range).and_then(|s| s.parse::<u32>().ok());
    // A leap second (`60`) is real in UTC; a night does not care about it.
    let time = NaiveTime::from_hms_opt(number(0..2)?, number(2..4)?, number(4..6)?.min(59))?;
    Some(Moment { naive: date.and_time(time), zone: if utc { Zone::Utc } else { zone }, date_only: false })
}

/// An RFC 5545 DURATION (`P3D`, `PT1H30M`, `P1W`, `-P1D`), nominal: days are calendar days.
fn parse_duration(text: &str) -> Option<TimeDelta> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let text = text.strip_prefix(['P', 'p'])?;
    let mut total = TimeDelta::zero();
    let mut number: Option<i64> = None;
    let mut in_time = false;
    let mut any = false;
    for c in text.chars() {
        if let Some(digit) = c.to_digit(10) {
            number = Some(number.unwrap_or(0).checked_mul(10)?.checked_add(i64::from(digit))?);
            continue;
        }
        if c.eq_ignore_ascii_case(&'T') {
            if number.is_some() || in_time {
                return None;
            }
            in_time = true;
            continue;
        }
        let n = number.take()?;
        let part = match (c.to_ascii_uppercase(), in_time) {
            ('W', false) => TimeDelta::try_weeks(n)?,
            ('D', false) => TimeDelta::try_days(n)?,
            ('H', true) => TimeDelta::try_hours(n)?,
            ('M', true) => TimeDelta::try_minutes(n)?,
            ('S', true) => TimeDelta::try_seconds(n)?,
            _ => return None,
        };
        total = total.checked_add(&part)?;
        any = true;
    }
    if number.is_some() || !any {
        return None;
    }
    Some(if negative { -total } else { total })
}

/// Why an event adds nothing (counted in [`Busy::skipped`]).
struct Skip;

/// Instances a recurring event does not have: its `EXDATE`s, and the instances moved by `RECURRENCE-ID` events.
#[derive(Default)]
struct Exclusions {
    at: HashSet<NaiveDateTime>,
    /// `VALUE=DATE` exclusions: every instance starting that day.
    on: HashSet<NaiveDate>,
}

impl Exclusions {
    fn add(&mut self, moment: &Moment, in_frame: NaiveDateTime) {
        if moment.date_only {
            self.on.insert(in_frame.date());
        }
        self.at.insert(in_frame);
    }

    fn excludes(&self, start: NaiveDateTime) -> bool {
        self.at.contains(&start) || self.on.contains(&start.date())
    }
}

struct Reader {
    from: NaiveDate,
    until: NaiveDate,
    /// Occurrences still allowed in this file.
    budget: usize,
    /// Recurring rules still allowed in this file.
    rules_left: usize,
    started: Instant,
    busy: Busy,
}

impl Reader {
    fn calendar(&mut self, calendar: &Component<'_>) {
        let mut zones = Zones::new(calendar);
        let events: Vec<&Component<'_>> =
            calendar.components.iter().filter(|c| is(c.name.as_str(), "VEVENT")).collect();
        // Modified instances (same UID, with RECURRENCE-ID) replace the master's original ones.
        let mut moved: HashMap<&str, Vec<&Property<'_>>> = HashMap::new();
        for event in &events {
            if let (Some(uid), Some(id)) = (value(event, "UID"), property(event, "RECURRENCE-ID")) {
                moved.entry(uid).or_default().push(id);
            }
        }
        for event in events {
            self.busy.events += 1;
            let moved = match (value(event, "UID"), property(event, "RECURRENCE-ID")) {
                (Some(uid), None) => moved.get(uid).map(Vec::as_slice).unwrap_or_default(),
                _ => &[],
            };
            if self.event(event, &mut zones, moved).is_err() {
                self.busy.skipped += 1;
            }
        }
    }

    fn event(&mut self, event: &Component<'_>, zones: &mut Zones, moved: &[&Property<'_>]) -> Result<(), Skip> {
        let says = |name: &str, what: &str| value(event, name).is_some_and(|v| is(v, what));
        if says("STATUS", "CANCELLED") || says("TRANSP", "TRANSPARENT") || says("X-MICROSOFT-CDO-BUSYSTATUS", "FREE") {
            return Err(Skip);
        }
        let dtstart = property(event, "DTSTART").ok_or(Skip)?;
        let start = parse_moment(dtstart.val.as_str(), zones.zone_of(dtstart)).ok_or(Skip)?;
        let frame = zones.frame(&start);
        let start_at = zones.to_frame(&start, frame);
        let end_at = if let Some(dtend) = property(event, "DTEND") {
            let end = parse_moment(dtend.val.as_str(), zones.zone_of(dtend)).ok_or(Skip)?;
            zones.to_frame(&end, frame)
        } else if let Some(duration) = value(event, "DURATION") {
            start_at.checked_add_signed(parse_duration(duration).ok_or(Skip)?).ok_or(Skip)?
        } else if start.date_only {
            start_at.checked_add_days(Days::new(1)).ok_or(Skip)?
        } else {
            start_at
        };
        if end_at < start_at {
            return Err(Skip);
        }
        // Some producers write an all-day event's DTEND equal to its DTSTART; it still takes its day.
        let end_at = if start.date_only && end_at == start_at {
            start_at.checked_add_days(Days::new(1)).ok_or(Skip)?
        } else {
            end_at
        };
        let span = end_at - start_at;

        let rdates: Vec<&Property<'_>> = properties(event, "RDATE").collect();
        // A modified instance is one instance, whatever rule it still carries.
        let instance = property(event, "RECURRENCE-ID").is_some();
        let mut rules = Vec::new();
        for rule in properties(event, "RRULE").filter(|_| !instance) {
            // All before any night is added: an event with a rule that cannot be read adds nothing.
            rules.extend(self.prepare(rule.val.as_str(), start_at, span, frame, zones)?);
        }
        if instance || (rules.is_empty() && rdates.is_empty() && property(event, "RRULE").is_none()) {
            self.add(start_at, end_at);
            return Ok(());
        }

        let mut excluded = Exclusions::default();
        for exdate in properties(event, "EXDATE").chain(moved.iter().copied()) {
            let zone = zones.zone_of(exdate);
            // An unreadable exclusion is dropped, not the event: a busy night too many is the safe side.
            for moment in exdate.val.as_str().split(',').filter_map(|v| parse_moment(v, zone)) {
                let at = zones.to_frame(&moment, frame);
                excluded.add(&moment, at);
            }
        }
        // DTSTART is the first instance (RFC 5545 3.8.5.3), whether or not the rule would produce it.
        if !excluded.excludes(start_at) {
            self.add(start_at, end_at);
        }
        let mut complete = true;
        for rdate in rdates {
            let zone = zones.zone_of(rdate);
            for item in rdate.val.as_str().split(',') {
                if self.budget == 0 {
                    complete = false;
                    break;
                }
                self.budget -= 1;
                let (first, period_end) = item.split_once('/').map_or((item, None), |(a, b)| (a, Some(b)));
                let Some(moment) = parse_moment(first, zone) else { continue };
                let at = zones.to_frame(&moment, frame);
                // A date on a timed event keeps the event's time of day.
                let at = if moment.date_only { at.date().and_time(start_at.time()) } else { at };
                if excluded.excludes(at) {
                    continue;
                }
                let end = match period_end {
                    Some(end) => match parse_moment(end, zone) {
                        Some(end) => Some(zones.to_frame(&end, frame)),
                        None => parse_duration(end).and_then(|d| at.checked_add_signed(d)),
                    },
                    None => at.checked_add_signed(span),
                };
                if let Some(end) = end.filter(|end| *end >= at) {
                    self.add(at, end);
                }
            }
        }
        for (set, last) in rules {
            complete &= self.expand(set, last, span, &excluded);
        }
        if complete { Ok(()) } else { Err(Skip) }
    }

    /// One RRULE ready to run: its set from where the window can be reached, and the last instance start that
    /// counts (its UNTIL or the window's end). `None`: no instance can reach the window.
    fn prepare(
        &self,
        rule: &str,
        start_at: NaiveDateTime,
        span: TimeDelta,
        frame: Option<Tz>,
        zones: &Zones,
    ) -> Result<Option<(RRuleSet, NaiveDateTime)>, Skip> {
        // The rrule crate slices strings by byte offsets in places; a rule only ever needs ASCII.
        if !rule.is_ascii() {
            return Err(Skip);
        }
        // UNTIL is applied here, because the crate insists that its form match DTSTART's (RFC 5545 says it must,
        // producers do not always obey) and because here it can be compared in the event's own zone.
        let mut until = None;
        let mut parts = Vec::new();
        for part in rule.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                Some((key, value)) if is(key.trim(), "UNTIL") => {
                    let moment = parse_moment(value, Zone::Floating).ok_or(Skip)?;
                    let at = zones.to_frame(&moment, frame);
                    // A date UNTIL includes its whole day.
                    until = Some(if moment.date_only { at.date().and_hms_opt(23, 59, 59).unwrap_or(at) } else { at });
                }
                _ => parts.push(part),
            }
        }
        let rule: RRule<Unvalidated> = parts.join(";").parse().map_err(|_| Skip)?;
        // RFC 5545 wants a positive INTERVAL; the crate accepts 0 and then yields nothing.
        if rule.get_interval() == 0 {
            return Err(Skip);
        }
        let window_start = self.from.and_time(NaiveTime::MIN);
        let Some(window_last) = self.until.and_time(NaiveTime::MIN).checked_sub_signed(TimeDelta::seconds(1)) else {
            return Ok(None);
        };
        let last = until.map_or(window_last, |until| until.min(window_last));
        let anchor = fast_forward(&rule, start_at, span, window_start);
        // The rule runs on wall-clock time (UTC has no DST), so a weekly 10:00 stays at 10:00 in its zone, as RFC
        // 5545 wants, and nothing here depends on the server's zone.
        let set = rule.build(Tz::UTC.from_utc_datetime(&anchor)).map_err(|_| Skip)?;
        Ok((last >= anchor).then_some((set, last)))
    }

    /// Adds the instances of a prepared RRULE to the nights. `false`: cut short by a limit.
    fn expand(&mut self, set: RRuleSet, last: NaiveDateTime, span: TimeDelta, excluded: &Exclusions) -> bool {
        if self.rules_left == 0 || self.started.elapsed() > MAX_EXPANSION_TIME {
            return false;
        }
        self.rules_left -= 1;
        let limit = u16::try_from(MAX_OCCURRENCES_PER_EVENT.min(self.budget)).unwrap_or(u16::MAX);
        let found = set.before(Tz::UTC.from_utc_datetime(&last)).all(limit);
        self.budget = self.budget.saturating_sub(found.dates.len());
        for instance in &found.dates {
            let at = instance.naive_utc();
            if excluded.excludes(at) {
                continue;
            }
            if let Some(end) = at.checked_add_signed(span) {
                self.add(at, end);
            }
        }
        !found.limited
    }

    /// The nights of one instance: its start's date to the date of one second before its end (its start's date
    /// for an instant), within the window.
    fn add(&mut self, start: NaiveDateTime, end: NaiveDateTime) {
        // Once every night is busy nothing can be added, however long the events of a hostile file are.
        if self.busy.nights.len() as i64 >= (self.until - self.from).num_days() {
            return;
        }
        let first = start.date();
        let last = if end > start { (end - TimeDelta::seconds(1)).date() } else { first };
        let mut night = first.max(self.from);
        while night <= last && night < self.until {
            self.busy.nights.insert(night);
            let Some(next) = night.succ_opt() else { break };
            night = next;
        }
    }
}

/// Where a rule without COUNT can start instead of DTSTART and produce the same instances from the window on:
/// DTSTART moved by whole periods (so weekdays, times and INTERVAL phases stay), to one period before the earliest
/// start that could still reach the window. Only for periods of fixed length; months and years are few anyway.
fn fast_forward(
    rule: &RRule<Unvalidated>,
    start: NaiveDateTime,
    span: TimeDelta,
    window_start: NaiveDateTime,
) -> NaiveDateTime {
    if rule.get_count().is_some() {
        return start;
    }
    let unit = match rule.get_freq() {
        Frequency::Weekly => 7 * 86_400,
        Frequency::Daily => 86_400,
        Frequency::Hourly => 3_600,
        Frequency::Minutely => 60,
        Frequency::Secondly => 1,
        Frequency::Monthly | Frequency::Yearly => return start,
    };
    let period = unit * i64::from(rule.get_interval());
    let Some(target) =
        window_start.checked_sub_signed(span).and_then(|t| t.checked_sub_signed(TimeDelta::seconds(period)))
    else {
        return start;
    };
    let behind = (target - start).num_seconds();
    if behind <= 0 {
        return start;
    }
    start.checked_add_signed(TimeDelta::seconds(behind / period * period)).unwrap_or(start)
}

/// One event of an exported feed: an all-day range [start, end) (end exclusive, like a stay's check-out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// An RFC 5545 calendar (PRODID "-//coop-travel//EN", VERSION 2.0, CALSCALE GREGORIAN, X-WR-CALNAME = name) with
/// one all-day VEVENT per event: DTSTART;VALUE=DATE / DTEND;VALUE=DATE, UID as given (stable), DTSTAMP, SUMMARY and
/// DESCRIPTION with user text correctly escaped (commas, semicolons, backslashes, newlines), CRLF line endings,
/// lines folded at 75 octets.
///
/// An event whose end is not after its start has no nights and is left out; an empty SUMMARY or DESCRIPTION is
/// left out too.
pub fn feed(name: &str, events: &[FeedEvent]) -> String {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::with_capacity(256 + events.len() * 256);
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//coop-travel//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for event in events.iter().filter(|e| e.end > e.start) {
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", escape(&event.uid)));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", event.start.format("%Y%m%d")));
        push_line(&mut out, &format!("DTEND;VALUE=DATE:{}", event.end.format("%Y%m%d")));
        if !event.summary.is_empty() {
            push_line(&mut out, &format!("SUMMARY:{}", escape(&event.summary)));
        }
        if !event.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&event.description)));
        }
        push_line(&mut out, "TRANSP:OPAQUE");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// A TEXT value (RFC 5545 3.3.11). Line breaks of any kind become `\n`; other control characters are not allowed
/// in TEXT and are dropped.
fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (a continuation's leading space counts), never inside a character.
fn push_line(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// Merges a set of nights into maximal ranges of consecutive nights, as [start, end) pairs (for exporting blocks).
pub fn ranges(nights: &BTreeSet<NaiveDate>) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &night in nights {
        // The last representable date has no next day to end a range on; it cannot be exported.
        let Some(next) = night.succ_opt() else { continue };
        match out.last_mut() {
            Some((_, end)) if *end == night => *end = next,
            _ => out.push((night, next)),
        }
    }
    out
}

/// Windows time zone names (as Outlook and Exchange write them in `TZID`) to IANA names: CLDR's
/// `windowsZones.xml`, territory `001`.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Alberta Standard Time", "America/Edmonton"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Argentina Standard Time", "America/Buenos_Aires"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Bahia Standard Time", "America/Bahia"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("British Columbia Standard Time", "America/Vancouver"),
    ("Canada Central Standard Time", "America/Regina"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Asia Standard Time", "Asia/Bishkek"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Central Standard Time", "America/Chicago"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Cuba Standard Time", "America/Havana"),
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Eastern Standard Time", "America/New_York"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenland Standard Time", "America/Godthab"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("India Standard Time", "Asia/Calcutta"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Manitoba Standard Time", "America/Winnipeg"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("Mountain Standard Time", "America/Denver"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Myanmar Standard Time", "Asia/Rangoon"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Nepal Standard Time", "Asia/Katmandu"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("US Eastern Standard Time", "America/Indianapolis"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("UTC", "Etc/UTC"),
    ("UTC+12", "Etc/GMT-12"),
    ("UTC+13", "Etc/GMT-13"),
    ("UTC-02", "Etc/GMT+2"),
    ("UTC-08", "Etc/GMT+8"),
    ("UTC-09", "Etc/GMT+9"),
    ("UTC-11", "Etc/GMT+11"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Yukon Standard Time", "America/Whitehorse"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_windows_zone_maps_to_a_known_zone() {
        for (windows, iana) in WINDOWS_ZONES {
            assert!(known_zone(iana).is_some(), "{windows} → {iana}");
            assert!(known_zone(windows).is_some(), "{windows}");
        }
    }

    #[test]
    fn zones_resolve_in_every_form_calendars_write_them() {
        let tz = |name: &str| known_zone(name).or_else(|| display_name_zone(name)).map(|t| t.name().to_owned());
        assert_eq!(tz("Europe/Madrid").as_deref(), Some("Europe/Madrid"));
        assert_eq!(tz("Romance Standard Time").as_deref(), Some("Europe/Paris"));
        assert_eq!(tz("romance standard time").as_deref(), Some("Europe/Paris"));
        assert_eq!(tz("/mozilla.org/20070129_1/Europe/Berlin").as_deref(), Some("Europe/Berlin"));
        assert_eq!(
            tz("/freeassociation.sourceforge.net/Tzfile/America/Argentina/Buenos_Aires").as_deref(),
            Some("America/Argentina/Buenos_Aires")
        );
        assert_eq!(tz("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris").as_deref(), Some("Europe/Brussels"));
        assert_eq!(tz("(UTC-03:00) City of Buenos Aires").as_deref(), Some("America/Buenos_Aires"));
        assert_eq!(tz("(UTC+01:00) West Central Africa"), None);
        assert_eq!(tz("(UTC-05:00) Eastern Time (US & Canada)"), None);
        assert_eq!(tz("Customized Time Zone"), None);
        assert_eq!(tz(""), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("P3D"), Some(TimeDelta::days(3)));
        assert_eq!(parse_duration("PT1H30M"), Some(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("P1W"), Some(TimeDelta::weeks(1)));
        assert_eq!(parse_duration("P1DT12H"), Some(TimeDelta::hours(36)));
        assert_eq!(parse_duration("-P1D"), Some(TimeDelta::days(-1)));
        assert_eq!(parse_duration("+PT0S"), Some(TimeDelta::zero()));
        for bad in ["", "P", "PT", "3D", "P3", "PT3D", "P1H", "P99999999999999999999D", "P1D2", "PTT1H", "PÄ"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn moments() {
        let m = parse_moment("20251024", Zone::Utc).unwrap();
        assert!(m.date_only);
        assert_eq!(m.zone, Zone::Floating);
        let m = parse_moment("20251024T101500Z", Zone::Floating).unwrap();
        assert_eq!(m.zone, Zone::Utc);
        assert_eq!(m.naive, d(2025, 10, 24).and_hms_opt(10, 15, 0).unwrap());
        assert_eq!(parse_moment("20251231T235960", Zone::Floating).unwrap().naive.date(), d(2025, 12, 31));
        for bad in [
            "",
            "2025102",
            "20251324",
            "20250229",
            "+2025101",
            "2025-10-24",
            "20251024T",
            "20251024T1015",
            "20251024T251500",
            "20251024T10150Z",
            "2025102é",
            "20251024X101500",
        ] {
            assert!(parse_moment(bad, Zone::Floating).is_none(), "{bad}");
        }
    }

    #[test]
    fn fast_forward_keeps_the_phase() {
        let rule: RRule<Unvalidated> = "FREQ=WEEKLY;INTERVAL=2".parse().unwrap();
        let start = d(2001, 1, 1).and_hms_opt(10, 0, 0).unwrap();
        let window = d(2025, 6, 1).and_time(NaiveTime::MIN);
        let moved = fast_forward(&rule, start, TimeDelta::hours(1), window);
        assert!(moved < window);
        assert!(window - moved <= TimeDelta::weeks(4));
        assert_eq!((moved - start).num_seconds() % (14 * 86_400), 0);
        let counted: RRule<Unvalidated> = "FREQ=DAILY;COUNT=10".parse().unwrap();
        assert_eq!(fast_forward(&counted, start, TimeDelta::zero(), window), start);
    }

    #[test]
    fn folding_counts_octets_and_keeps_characters_whole() {
        let mut out = String::new();
        push_line(&mut out, &format!("SUMMARY:{}", "ñ".repeat(100)));
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(parser::unfold(&out).trim_end(), format!("SUMMARY:{}", "ñ".repeat(100)));
    }
}
