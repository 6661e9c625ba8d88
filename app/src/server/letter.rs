//! Invitation letters as PDF files (krilla), set in Noto Sans (the `notosans` crate: the font comes from the
//! registry with the code and is subset into each letter), and their words in the letter's language. One A4 page;
//! lines are broken at spaces to the width of the column, measured with the font's own advances (skrifa); the
//! verification address is printed, linked and drawn as a QR code (qrcode).

use krilla::Document;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::domain::Purpose;
use crate::i18n::{Locale, td_string};
use crate::views::letters::LetterFacts;
use crate::views::notifications::{long_day, nights, person};
use leptos_i18n::Locale as _;

/// The words of `facts`' letter in its language, with its verification address `url` and reference `token`.
pub fn words(facts: &LetterFacts, url: &str, token: &str) -> LetterWords {
    use chrono::{Datelike, Timelike};
    let l: Locale = facts.language.parse().unwrap_or_default();
    let lang = l.as_str();
    let country = facts.host_country.name(lang);
    let host = facts.host_coop.as_str();
    let traveller = facts.traveller_name.as_str();
    let network = facts.network_name.as_str();
    let place = if facts.host_city.is_empty() { country.to_owned() } else { format!("{}, {country}", facts.host_city) };
    let issued_on = long_day(l, facts.issued_at.date_naive());
    let (check_in, check_out) = (long_day(l, facts.check_in), long_day(l, facts.check_out));
    let purpose = match facts.purpose {
        Purpose::Intercooperation => td_string!(l, stays.purpose_intercooperation),
        Purpose::Project => td_string!(l, stays.purpose_project),
        Purpose::Learning => td_string!(l, stays.purpose_learning),
        Purpose::Visit => td_string!(l, stays.purpose_visit),
        Purpose::Other => td_string!(l, stays.purpose_other),
    };
    let signer = if facts.signer_name.is_empty() {
        td_string!(l, auth.former_member).to_owned()
    } else {
        person(l, &facts.signer_name)
    };
    let mut facts_list = vec![
        (td_string!(l, letters.fact_traveller).to_owned(), format!("{traveller} ({})", facts.traveller_coop)),
        (
            td_string!(l, letters.fact_dates).to_owned(),
            td_string!(
                l,
                letters.dates,
                check_in = &check_in,
                check_out = &check_out,
                nights = nights(l, facts.nights)
            )
            .to_string(),
        ),
        (td_string!(l, letters.fact_host).to_owned(), format!("{host}, {place}")),
    ];
    if let Some(address) = &facts.address {
        facts_list.push((td_string!(l, letters.fact_address).to_owned(), address.clone()));
    }
    facts_list.push((td_string!(l, letters.fact_network).to_owned(), network.to_owned()));
    facts_list.push((td_string!(l, letters.fact_purpose).to_owned(), purpose.to_owned()));
    let city = if facts.host_city.is_empty() { country } else { facts.host_city.as_str() };
    LetterWords {
        language: lang.to_owned(),
        letterhead: host.to_owned(),
        letterhead_place: td_string!(l, letters.letterhead_place, place = &place, network = network).to_string(),
        place_and_date: format!("{city}, {issued_on}"),
        title: td_string!(l, letters.title).to_owned(),
        salutation: td_string!(l, letters.salutation).to_owned(),
        paragraphs: vec![
            td_string!(
                l,
                letters.invites,
                host = host,
                place = &place,
                network = network,
                traveller = traveller,
                traveller_coop = &facts.traveller_coop,
                check_in = &check_in,
                check_out = &check_out
            )
            .to_string(),
            td_string!(l, letters.agreed, network = network).to_string(),
        ],
        facts: facts_list,
        after_facts: vec![td_string!(l, letters.questions).to_owned()],
        closing: td_string!(l, letters.closing).to_owned(),
        signer,
        signer_role: td_string!(l, letters.signer_role, host = host).to_string(),
        verify_intro: td_string!(l, letters.verify_intro).to_owned(),
        verify_url: url.to_owned(),
        reference: td_string!(l, letters.reference, reference = grouped(token)).to_string(),
        issued: (
            u16::try_from(facts.issued_at.year()).unwrap_or(2000),
            u8::try_from(facts.issued_at.month()).unwrap_or(1),
            u8::try_from(facts.issued_at.day()).unwrap_or(1),
            u8::try_from(facts.issued_at.hour()).unwrap_or(0),
            u8::try_from(facts.issued_at.minute()).unwrap_or(0),
        ),
    }
}

/// A token in groups of four, easier to read aloud or type: `k7qm-x2ab-…`.
pub fn grouped(token: &str) -> String {
    token.as_bytes().chunks(4).map(|chunk| String::from_utf8_lossy(chunk).into_owned()).collect::<Vec<_>>().join("-")
}

/// The words of a letter, already in its language.
#[derive(Debug, Clone, Default)]
pub struct LetterWords {
    pub language: String,
    pub letterhead: String,
    pub letterhead_place: String,
    pub place_and_date: String,
    pub title: String,
    pub salutation: String,
    pub paragraphs: Vec<String>,
    /// The stay at a glance: label and value.
    pub facts: Vec<(String, String)>,
    pub after_facts: Vec<String>,
    pub closing: String,
    pub signer: String,
    pub signer_role: String,
    pub verify_intro: String,
    pub verify_url: String,
    pub reference: String,
    /// When it was issued, for the document's metadata.
    pub issued: (u16, u8, u8, u8, u8),
}

const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 64.0;
const COLUMN: f32 = WIDTH - 2.0 * MARGIN;
const BODY: f32 = 10.5;
const LEADING: f32 = 1.45;
const QR_SIZE: f32 = 84.0;
/// The width of the facts' labels.
const LABELS: f32 = 150.0;

struct Face {
    font: Font,
    bytes: &'static [u8],
}

impl Face {
    fn new(bytes: &'static [u8]) -> Option<Self> {
        Some(Face { font: Font::new(bytes.into(), 0)?, bytes })
    }

    /// The width of `text` at `size`, from the font's advances (kerning aside: lines come out a hair shorter).
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = FontRef::new(self.bytes) else { return 0.0 };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars().filter_map(|c| charmap.map(c)).filter_map(|glyph| metrics.advance_width(glyph)).sum()
    }

    /// `text` broken at spaces into lines no wider than `width`; a word wider than a line stands alone.
    fn lines(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph_line in text.lines() {
            let mut line = String::new();
            for word in paragraph_line.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if !line.is_empty() && self.width(&candidate, size) > width {
                    lines.push(std::mem::replace(&mut line, word.to_owned()));
                } else {
                    line = candidate;
                }
            }
            lines.push(line);
        }
        lines
    }
}

fn fill(r: u8, g: u8, b: u8) -> Fill {
    Fill { paint: rgb::Color::new(r, g, b).into(), opacity: NormalizedF32::ONE, rule: Default::default() }
}

const INK: (u8, u8, u8) = (0x1f, 0x29, 0x33);
const GREY: (u8, u8, u8) = (0x5b, 0x67, 0x70);
const ACCENT: (u8, u8, u8) = (0x1d, 0x6b, 0x52);

/// Draws text from the top of the page down.
struct Pen<'a, 'b> {
    surface: &'a mut Surface<'b>,
    y: f32,
}

impl Pen<'_, '_> {
    fn colour(&mut self, (r, g, b): (u8, u8, u8)) {
        self.surface.set_fill(Some(fill(r, g, b)));
    }

    fn text(&mut self, face: &Face, size: f32, x: f32, text: &str) {
        self.surface.draw_text(Point::from_xy(x, self.y), face.font.clone(), size, text, false, TextDirection::Auto);
    }

    /// A paragraph, wrapped to `width` from `x`; the pen ends below it.
    fn paragraph(&mut self, face: &Face, size: f32, x: f32, width: f32, text: &str) {
        for line in face.lines(text, size, width) {
            self.y += size * LEADING;
            self.text(face, size, x, &line);
        }
    }

    fn rule(&mut self, y: f32) {
        let mut path = PathBuilder::new();
        path.move_to(MARGIN, y);
        path.line_to(WIDTH - MARGIN, y);
        if let Some(path) = path.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(ACCENT.0, ACCENT.1, ACCENT.2).into(),
                width: 1.2,
                ..Default::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    /// The verification address as a QR code, its top left corner at (`x`, `y`).
    fn qr(&mut self, url: &str, x: f32, y: f32) {
        let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else { return };
        let modules = code.width();
        let quiet = 2.0;
        let cell = QR_SIZE / (modules as f32 + 2.0 * quiet);
        let colours = code.to_colors();
        let mut path = PathBuilder::new();
        for (index, colour) in colours.iter().enumerate() {
            if *colour == qrcode::Color::Dark {
                let (col, row) = ((index % modules) as f32, (index / modules) as f32);
                if let Some(rect) = Rect::from_xywh(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell) {
                    path.push_rect(rect);
                }
            }
        }
        if let Some(path) = path.finish() {
            self.colour(INK);
            self.surface.draw_path(&path);
        }
    }
}

/// The letter as PDF bytes.
pub fn render(words: &LetterWords) -> Result<Vec<u8>, String> {
    let regular = Face::new(notosans::REGULAR_TTF).ok_or("the regular font could not be read")?;
    let bold = Face::new(notosans::BOLD_TTF).ok_or("the bold font could not be read")?;
    let mut document = Document::new();
    let (year, month, day, hour, minute) = words.issued;
    document.set_metadata(
        Metadata::new()
            .title(format!("{} — {}", words.title, words.letterhead))
            .language(words.language.clone())
            .authors(vec![words.letterhead.clone()])
            .creator("coop-travel".to_owned())
            .creation_date(DateTime::new(year).month(month).day(day).hour(hour).minute(minute)),
    );
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("bad page size")?;
    let mut page = document.start_page_with(settings);
    let link_box;
    {
        let mut surface = page.surface();
        let mut pen = Pen { surface: &mut surface, y: MARGIN };
        // Letterhead: the host co-op.
        pen.colour(ACCENT);
        pen.y += 18.0;
        pen.text(&bold, 18.0, MARGIN, &words.letterhead);
        pen.colour(GREY);
        pen.y += 15.0;
        pen.text(&regular, 9.5, MARGIN, &words.letterhead_place);
        pen.y += 10.0;
        let rule_at = pen.y;
        pen.rule(rule_at);
        pen.y += 8.0;
        pen.colour(INK);
        let date_width = regular.width(&words.place_and_date, BODY);
        pen.y += BODY * LEADING;
        pen.text(&regular, BODY, WIDTH - MARGIN - date_width, &words.place_and_date);
        pen.y += 22.0;
        pen.text(&bold, 15.0, MARGIN, &words.title);
        pen.y += 8.0;
        pen.paragraph(&regular, BODY, MARGIN, COLUMN, &words.salutation);
        for paragraph in &words.paragraphs {
            pen.y += 7.0;
            pen.paragraph(&regular, BODY, MARGIN, COLUMN, paragraph);
        }
        pen.y += 9.0;
        for (label, value) in &words.facts {
            let top = pen.y;
            pen.colour(GREY);
            pen.paragraph(&regular, BODY, MARGIN + 12.0, LABELS - 12.0, label);
            let below_label = pen.y;
            pen.y = top;
            pen.colour(INK);
            pen.paragraph(&bold, BODY, MARGIN + LABELS, COLUMN - LABELS, value);
            pen.y = pen.y.max(below_label) + 2.0;
        }
        for paragraph in &words.after_facts {
            pen.y += 7.0;
            pen.paragraph(&regular, BODY, MARGIN, COLUMN, paragraph);
        }
        pen.y += 14.0;
        pen.paragraph(&regular, BODY, MARGIN, COLUMN, &words.closing);
        pen.y += 30.0;
        pen.paragraph(&bold, BODY, MARGIN, COLUMN, &words.signer);
        pen.colour(GREY);
        pen.paragraph(&regular, BODY, MARGIN, COLUMN, &words.signer_role);

        // The verification block at the foot of the page: the address, its QR code and the letter's reference.
        let top = HEIGHT - MARGIN - QR_SIZE;
        pen.rule(top - 10.0);
        pen.qr(&words.verify_url, WIDTH - MARGIN - QR_SIZE + 6.0, top);
        let text_width = COLUMN - QR_SIZE - 12.0;
        pen.y = top + 4.0;
        pen.colour(GREY);
        pen.paragraph(&regular, 9.0, MARGIN, text_width, &words.verify_intro);
        pen.colour(ACCENT);
        let url_top = pen.y + 4.0;
        pen.paragraph(&bold, 9.5, MARGIN, text_width, &words.verify_url);
        link_box = Rect::from_ltrb(MARGIN, url_top, MARGIN + text_width, pen.y + 4.0);
        pen.colour(GREY);
        pen.y += 4.0;
        pen.paragraph(&regular, 9.0, MARGIN, text_width, &words.reference);
        surface.finish();
    }
    if let Some(rect) = link_box {
        let target = Target::Action(LinkAction::new(words.verify_url.clone()).into());
        page.add_annotation(Annotation::new_link(LinkAnnotation::new(rect, target), Some(words.verify_url.clone())));
    }
    page.finish();
    document.finish().map_err(|error| format!("{error:?}"))
}
