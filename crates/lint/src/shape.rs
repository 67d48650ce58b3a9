//! The shape of a complex selector, as the rules reason about it: its
//! compounds from the subject leftwards, each a set of simple selectors in
//! canonical CSS, and the combinators between them.
//!
//! [`Shape::covers`] answers "does every element this one matches (or one
//! of its ancestors) match that one?" by embedding one chain of compounds
//! into the other: a compound covers another when its simple selectors are
//! a subset of the other's. It is sound (a `true` is always right) and
//! incomplete (`:is()`, negations and sibling combinators are compared as
//! written), which is the side a linter must err on: silence.

use cssparser::ToCss;
use scrim_selector::{ScrimImpl, Selector};
use selectors::parser::{Combinator, Component};
use std::collections::BTreeSet;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    /// From the subject leftwards. The universal selector is left out: it
    /// adds no condition.
    pub compounds: Vec<BTreeSet<String>>,
    /// `combinators[i]` joins `compounds[i]` (right) to `compounds[i + 1]`.
    pub combinators: Vec<Combinator>,
    /// The whole complex selector in canonical CSS.
    pub css: String,
}

impl Shape {
    pub(crate) fn of(selector: &Selector) -> Shape {
        let mut compounds = Vec::new();
        let mut combinators = Vec::new();
        let mut iter = selector.iter();
        loop {
            let mut compound = BTreeSet::new();
            for component in &mut iter {
                if !is_universal(component) {
                    compound.insert(component.to_css_string());
                }
            }
            compounds.push(compound);
            match iter.next_sequence() {
                Some(combinator) => combinators.push(combinator),
                None => break,
            }
        }
        Shape {
            compounds,
            combinators,
            css: selector.to_css_string(),
        }
    }

    /// Whether every element `other` matches is matched by `self`, or, with
    /// `ancestors`, has itself or an ancestor matched by `self`.
    pub(crate) fn covers(&self, other: &Shape, ancestors: bool) -> bool {
        let mut start = 0;
        loop {
            if embeds(self, 0, other, start) {
                return true;
            }
            if !ancestors
                || start >= other.combinators.len()
                || !is_ancestry(other.combinators[start])
            {
                return false;
            }
            start += 1;
        }
    }

    /// Whether it matches every element, or every element of the document's
    /// root or body and so, by inheritance, the whole page: its compounds
    /// name nothing but `html`, `body`, `:root` and `*`, joined by
    /// descendant or child combinators.
    pub(crate) fn is_everything(&self) -> bool {
        self.combinators.iter().all(|c| is_ancestry(*c))
            && self.compounds.iter().all(|compound| {
                compound
                    .iter()
                    .all(|simple| matches!(simple.as_str(), "html" | "body" | ":root"))
            })
    }

    /// The markup a compound tests that a vendor's annotation is made of:
    /// its classes, ids and attribute selectors.
    pub(crate) fn markup(&self) -> impl Iterator<Item = &str> {
        self.compounds
            .iter()
            .flatten()
            .map(String::as_str)
            .filter(|simple| simple.starts_with(['.', '#', '[']))
    }

    /// The markup of the subject compound.
    pub(crate) fn subject_markup(&self) -> impl Iterator<Item = &str> {
        self.compounds[0]
            .iter()
            .map(String::as_str)
            .filter(|simple| simple.starts_with(['.', '#', '[']))
    }
}

fn is_universal(component: &Component<ScrimImpl>) -> bool {
    matches!(
        component,
        Component::ExplicitUniversalType
            | Component::ExplicitAnyNamespace
            | Component::ExplicitNoNamespace
            | Component::DefaultNamespace(_)
    )
}

fn is_ancestry(combinator: Combinator) -> bool {
    matches!(combinator, Combinator::Child | Combinator::Descendant)
}

/// Whether `b` from compound `i` leftwards embeds into `s` from compound
/// `j` leftwards.
fn embeds(b: &Shape, i: usize, s: &Shape, j: usize) -> bool {
    if !b.compounds[i].is_subset(&s.compounds[j]) {
        return false;
    }
    if i + 1 == b.compounds.len() {
        return true;
    }
    match b.combinators[i] {
        Combinator::Child => {
            j < s.combinators.len()
                && s.combinators[j] == Combinator::Child
                && embeds(b, i + 1, s, j + 1)
        }
        Combinator::Descendant => {
            let mut k = j;
            while k < s.combinators.len() && is_ancestry(s.combinators[k]) {
                k += 1;
                if embeds(b, i + 1, s, k) {
                    return true;
                }
            }
            false
        }
        _ => false,
    }
}

/// The byte ranges of the complex selectors of a selector list as written:
/// split at the commas outside brackets, parentheses and strings, trimmed.
pub(crate) fn split_list(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                out.push(trimmed(text, start..i));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(trimmed(text, start..text.len()));
    out
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    range.start + lead..range.end - trail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(css: &str) -> Shape {
        let list = scrim_selector::parse(css).unwrap();
        Shape::of(&list.slice()[0])
    }

    #[test]
    fn covering_embeds_chains() {
        let covers = |a: &str, b: &str, up: bool| shape(a).covers(&shape(b), up);
        assert!(covers(".a", "div.a.b", false));
        assert!(covers("*", "p", false));
        assert!(!covers(".a", ".b", true));
        assert!(covers(".a", ".a .b", true));
        assert!(!covers(".a", ".a .b", false));
        assert!(covers(".a", ".a > p span", true));
        assert!(covers(".x .a", ".x > .y .a.b", false));
        assert!(!covers(".x > .a", ".x .a", false));
        assert!(covers(".x > .a", ".x > .a", false));
        // A sibling is not an ancestor.
        assert!(!covers(".a", ".a + .b", true));
    }

    #[test]
    fn everything_is_the_root_body_or_star() {
        for css in ["*", "html", "body", ":root", "body *", "html > body"] {
            assert!(shape(css).is_everything(), "{css}");
        }
        for css in ["main", "body > .x", "body + *", "input"] {
            assert!(!shape(css).is_everything(), "{css}");
        }
    }

    #[test]
    fn lists_split_outside_brackets() {
        let text = " a, b[x=','] ,:is(c, d)";
        let pieces: Vec<&str> = split_list(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(pieces, ["a", "b[x=',']", ":is(c, d)"]);
    }
}
