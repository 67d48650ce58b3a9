//! What `scrim mask` writes for each element of a test's page, for the
//! `written` expectations: the page is masked by `scrim_html::mask_document`
//! (what `scrim mask` runs), the output is parsed again as a replay would
//! parse it, and its elements are paired with the page's in document order.
//!
//! The page's elements that are not written (inside a placeholder, inside
//! a script, in an `srcdoc` document that is not captured) are skipped, as
//! are, in the output, the documents of `srcdoc` attributes written masked.
//! Everything else is written in order, one element for one element, so
//! the pairing is exact; should the output ever not line up (a tree that
//! no markup written element by element expresses, see docs/html.md), the
//! elements from there on are left unpaired and their expectations fail
//! saying so rather than compare with the wrong element.

use scrim_html::{Content, Document, ElementRef, Form, explain_element, mask_document};
use scrim_matcher::{Element, Page, Status};
use std::collections::{HashMap, HashSet};

/// The masked page, parsed again, and which of its elements each of the
/// page's elements became.
pub(super) struct Replay {
    pub masked: String,
    doc: Document,
    /// Page element index → output element index.
    pairs: HashMap<usize, usize>,
}

impl Replay {
    pub(super) fn of(doc: &Document, page: &Page<'_>) -> Replay {
        let masked = mask_document(doc, page);
        let replay = Document::parse(&masked);
        let pairs = pair(doc, page, &replay);
        Replay {
            masked,
            doc: replay,
            pairs,
        }
    }

    /// The element `el` of the page became in the output, if it is
    /// written.
    pub(super) fn written(&self, el: ElementRef<'_>) -> Option<ElementRef<'_>> {
        self.pairs
            .get(&el.index())
            .and_then(|&i| self.doc.element(i))
    }

    /// What the output's `<body>` holds (the whole output when it has no
    /// `<body>` start tag), for `written_body`.
    pub(super) fn body(&self) -> &str {
        // The writer escapes `<` and `>` in text and attribute values and
        // never writes `<body` inside a style sheet, so the first `<body`
        // is the element's start tag and the first `>` after it ends it.
        let Some(start) = self.masked.find("<body") else {
            return &self.masked;
        };
        let Some(open_end) = self.masked[start..].find('>') else {
            return &self.masked;
        };
        let inner = &self.masked[start + open_end + 1..];
        match inner.rfind("</body>") {
            Some(end) => &inner[..end],
            None => inner,
        }
    }
}

fn is_inside(el: ElementRef<'_>, roots: &HashSet<usize>) -> bool {
    let mut cur = Some(el);
    while let Some(e) = cur {
        if roots.contains(&e.index()) {
            return true;
        }
        cur = e.parent();
    }
    false
}

fn pair(doc: &Document, page: &Page<'_>, replay: &Document) -> HashMap<usize, usize> {
    let mut pairs = HashMap::new();
    let mut written = replay.elements();
    let mut skipped = HashSet::new();
    let mut replay_skipped = HashSet::new();
    for el in doc.elements() {
        if is_inside(el, &skipped) {
            continue;
        }
        let x = explain_element(page, el);
        if matches!(x.status, Status::Hidden | Status::PageOff) {
            skipped.insert(el.index());
            continue;
        }
        let Some(out) = written.find(|out| !is_inside(*out, &replay_skipped)) else {
            break;
        };
        if out.local_name() != el.local_name() {
            break;
        }
        pairs.insert(el.index(), out.index());
        if x.status == Status::Placeholder {
            skipped.insert(el.index());
            replay_skipped.insert(out.index());
            continue;
        }
        // An `srcdoc` written masked is text, not the document it was: the
        // output's parse of it pairs with nothing.
        let srcdoc_written = x.contents.iter().any(|c| {
            matches!(c.content, Content::Attr { name: "srcdoc", .. })
                && c.routing.is_some_and(|r| r.form == Form::Srcdoc)
                && c.decided.as_ref().is_some_and(|d| d.outcome.is_capture())
        });
        if el.local_name() == "iframe" && el.attr("srcdoc").is_some() && !srcdoc_written {
            replay_skipped.insert(out.index());
        }
    }
    pairs
}

/// An element's content as written in the output: its own text, its form
/// value (a textarea's text, else its `value` attribute) or an attribute.
/// `None` when it is not written.
pub(super) fn content(out: ElementRef<'_>, channel: &super::suite::Channel) -> Option<String> {
    use super::suite::Channel;
    match channel {
        Channel::Text => Some(out.own_text()),
        Channel::Value if out.local_name() == "textarea" => Some(out.own_text()),
        Channel::Value => out.attr("value").map(str::to_string),
        Channel::Attr(name) => out.attr(name).map(str::to_string),
        Channel::Element | Channel::Media | Channel::Events => None,
    }
}

/// Text as a reader sees it: runs of whitespace as one space, none at
/// either end.
pub(super) fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
