//! `scrim disclose`: a plain-language section for a privacy notice,
//! generated from a compiled policy. It says which pages are recorded and
//! which never are, under which consent and in which regions, what is
//! always hidden, what is never recorded, what is recorded as shown and
//! where, which kinds of personal data are found and hidden, which parts of
//! web addresses are removed, and that all of it happens in the visitor's
//! browser.
//!
//! Every sentence carries the policy lines it summarises (or says that it
//! describes what scrim always does). The wording comes from
//! [`Templates`], a data file per language, so that a team can translate
//! it. The crate does no IO: it takes the artifact and the source files a
//! compilation returns, and returns a [`Disclosure`] that [`render`] writes
//! as Markdown, HTML or JSON.

mod build;
mod render;
mod templates;
mod written;

use serde::Serialize;

pub use build::disclose;
pub use render::{Format, render};
pub use templates::{ENGLISH, Key, Part, TemplateError, Templates};
pub use written::PolicyLine;

/// The notice section: a title and its sections, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    /// The language of the text (a BCP 47 tag, from the templates).
    pub language: String,
    pub title: String,
    pub sections: Vec<Section>,
}

/// One topic of the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// A stable identifier: `about`, `pages`, `never_recorded`, `hidden`,
    /// `shown`, `interactions`, `markup`, `detectors`, `addresses`.
    pub id: &'static str,
    pub heading: String,
    pub sentences: Vec<Sentence>,
}

/// A sentence, and the list it introduces when it lists parts of pages or
/// kinds of data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// The template it was written from (`pages.record_only`).
    pub template: &'static str,
    /// The sentence as plain text.
    pub text: String,
    /// The same, in pieces: words, and code (selectors, URL patterns,
    /// names) to be shown as such.
    pub parts: Vec<Part>,
    /// What the sentence itself summarises: its statement, the blocks it
    /// holds in, or nothing when it only introduces `items`.
    pub sources: Vec<Source>,
    pub items: Vec<Item>,
}

/// An entry of a sentence's list: a part of pages a rule names, or a kind
/// of personal data a detector finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub text: String,
    pub parts: Vec<Part>,
    pub sources: Vec<Source>,
}

/// Where a sentence comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A line of the policy.
    Policy(PolicyLine),
    /// What scrim does whatever a policy says (the floors, scripts never
    /// recorded, masking in the browser).
    BuiltIn,
    /// What scrim does where the policy says nothing: a built-in default
    /// (text masked, no consent required, every page recordable).
    BuiltInDefault,
}

impl Disclosure {
    /// Every source of every sentence and item.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.sections
            .iter()
            .flat_map(|section| &section.sentences)
            .flat_map(|sentence| {
                sentence
                    .sources
                    .iter()
                    .chain(sentence.items.iter().flat_map(|item| &item.sources))
            })
    }
}

/// The parts as plain text.
fn plain(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) | Part::Code(text) => text.as_str(),
        })
        .collect()
}
