//! What a set of pages shows about a policy, as the caller (the `scrim`
//! command, which parses the pages) measured it: which rules matched an
//! element, and which elements no rule reached. The rules that read it
//! (`rule-matches-nothing`, `default-only-elements`) turn it into findings.

use scrim_syntax::{SourceFile, Span};
use std::sync::Arc;

/// A set of pages, listed in a file.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The list of pages, for locations (each page is one of its lines).
    pub list: Arc<SourceFile>,
    pub pages: Vec<CorpusPage>,
    /// For each rule of the artifact, in its order: on which pages, and by
    /// which of its complex selectors, it matched an element.
    pub rules: Vec<RuleMatches>,
}

/// One page of a [`Corpus`].
#[derive(Debug, Clone)]
pub struct CorpusPage {
    /// Its line in the list.
    pub span: Span,
    /// Its name as the list gives it.
    pub name: String,
    /// Whether the policy records it at all.
    pub recorded: bool,
    /// How many elements it has.
    pub elements: usize,
    /// The paths (`html > body > p.x`) of elements with content (text of
    /// their own, or form state) that no rule reaches: only the defaults
    /// decide them.
    pub default_only: Vec<String>,
}

/// What one rule matched in the corpus.
#[derive(Debug, Clone, Default)]
pub struct RuleMatches {
    /// On how many recorded pages its scope applied.
    pub pages_in_scope: usize,
    /// For each of its complex selectors, whether it matched an element of
    /// such a page.
    pub matched: Vec<bool>,
}
