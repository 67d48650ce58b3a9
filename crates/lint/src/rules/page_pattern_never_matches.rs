//! A page pattern that can never match a recorded page: a `never record`
//! hides every page it matches, `record only` lets none of them through,
//! or no URL matches it at all.
//!
//! ## What it catches
//!
//! - An `on page` or `record only` pattern whose every page a `never
//!   record` pattern in force there also matches.
//! - An `on page` pattern that no `record only` pattern of the policy can
//!   match together with it: the pages it names are never recorded.
//! - A pattern that matches no URL at all.
//!
//! URL patterns are compared exactly, component by component (scheme,
//! host, port, path, query, fragment), on the regular expressions they
//! compile to, over the characters a parsed URL can hold (no spaces, no
//! line breaks: the URL parser encodes them).
//!
//! ## Why it matters
//!
//! The rules in an `on page` block that can never apply look like
//! protections, or like exceptions, for pages that are in fact never
//! recorded: a reviewer reads them as in force. More often the pattern is
//! a typo (`/acount/*`), a path written where the `never record` list
//! already covers it, or a host that the allow-list does not include, and
//! the page the author meant is decided by something else.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! never record "/account/*"
//!
//! on page "/account/settings/*" {
//! #       ^^^^^^^^^^^^^^^^^^^^^ page-pattern-never-matches
//!   allow text "h1"
//! }
//! ```
//!
//! ```scrim bad
//! scrim 1
//!
//! record only "https://shop.example.com/*"
//!
//! on page "https://blog.example.com/*" {
//! #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ page-pattern-never-matches
//!   default text capture
//! }
//! ```
//!
//! Scope rules to pages that are recorded:
//!
//! ```scrim
//! scrim 1
//!
//! record only "https://shop.example.com/*"
//! never record "/account/*"
//!
//! on page "/checkout/*" {
//!   default text capture
//! }
//! ```

use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::regexes::{Language, included, intersects};
use crate::registry::{Category, Check, Rule};
use scrim_artifact::{self as art, PageRuleKind, UrlPattern};
use scrim_syntax::ast::{self, ItemKind, LintLevel};
use scrim_syntax::{Code, Loc};
use std::collections::HashMap;

pub(crate) static RULE: Rule = Rule {
    id: "page-pattern-never-matches",
    category: Category::Correctness,
    default_level: LintLevel::Warn,
    code: Code::LintPagePatternNeverMatches,
    source: include_str!("page_pattern_never_matches.rs"),
    check: Check::Policy(check),
};

/// A pattern as written, with the languages of its components.
struct Site<'c, 'l> {
    pattern: &'c UrlPattern,
    /// `None` when a component's automaton was too large to build.
    components: Option<Vec<&'l Language>>,
    scope: u32,
    loc: Option<Loc>,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    OnPage,
    RecordOnly,
    NeverRecord,
}

fn components(pattern: &UrlPattern) -> [&str; 8] {
    [
        &pattern.protocol,
        &pattern.username,
        &pattern.password,
        &pattern.hostname,
        &pattern.port,
        &pattern.pathname,
        &pattern.search,
        &pattern.hash,
    ]
}

/// The language of every component expression of the policy's patterns,
/// each built once: most components (`.*`, a scheme, a host) repeat from
/// pattern to pattern, and building an automaton is the costly part.
type Languages<'c> = HashMap<&'c str, Option<Language>>;

fn languages<'c>(model: &Model<'c>) -> Languages<'c> {
    let mut out = Languages::new();
    let patterns = model
        .artifact
        .scopes
        .iter()
        .flat_map(|scope| &scope.conditions)
        .flat_map(|condition| match condition {
            art::Condition::Page { patterns } => patterns.as_slice(),
            _ => &[],
        })
        .chain(
            model
                .artifact
                .page_rules
                .iter()
                .flat_map(|rule| match &rule.kind {
                    PageRuleKind::RecordOnly { patterns }
                    | PageRuleKind::NeverRecord { patterns } => patterns.as_slice(),
                    PageRuleKind::RequireConsent { .. } => &[],
                }),
        );
    for pattern in patterns {
        for regex in components(pattern) {
            out.entry(regex).or_insert_with(|| Language::whole(regex));
        }
    }
    out
}

fn sites<'c, 'l>(model: &Model<'c>, languages: &'l Languages<'c>) -> Vec<Site<'c, 'l>> {
    let of = |pattern: &UrlPattern| -> Option<Vec<&'l Language>> {
        components(pattern)
            .into_iter()
            .map(|regex| languages.get(regex).and_then(Option::as_ref))
            .collect()
    };
    let mut out = Vec::new();
    let mut add = |patterns: &'c [UrlPattern],
                   written: Option<&'c [ast::Str]>,
                   file: usize,
                   scope: u32,
                   kind: Kind| {
        for (i, pattern) in patterns.iter().enumerate() {
            let loc = (model.is_user(file))
                .then(|| {
                    written
                        .and_then(|w| w.get(i))
                        .map(|s| model.loc(file, s.span))
                })
                .flatten();
            out.push(Site {
                pattern,
                components: of(pattern),
                scope,
                loc,
                kind,
            });
        }
    };
    for (index, scope) in model.artifact.scopes.iter().enumerate() {
        let Some(loc) = &scope.loc else { continue };
        for condition in &scope.conditions {
            if let art::Condition::Page { patterns } = condition {
                let written = match model.item(loc).map(|i| &i.kind) {
                    Some(ItemKind::OnPage { patterns, .. }) => Some(patterns.as_slice()),
                    _ => None,
                };
                add(
                    patterns,
                    written,
                    loc.file as usize,
                    index as u32,
                    Kind::OnPage,
                );
            }
        }
    }
    for rule in &model.artifact.page_rules {
        let (patterns, kind) = match &rule.kind {
            PageRuleKind::RecordOnly { patterns } => (patterns, Kind::RecordOnly),
            PageRuleKind::NeverRecord { patterns } => (patterns, Kind::NeverRecord),
            PageRuleKind::RequireConsent { .. } => continue,
        };
        let written = match model.item(&rule.loc).map(|i| &i.kind) {
            Some(ItemKind::RecordOnly { patterns } | ItemKind::NeverRecord { patterns }) => {
                Some(patterns.as_slice())
            }
            _ => None,
        };
        add(patterns, written, rule.loc.file as usize, rule.scope, kind);
    }
    out
}

/// `Some(true)` when every URL `a` matches, `b` matches. Inclusions of
/// components already decided come from `known` (most components repeat).
fn within(
    a: &[&Language],
    b: &[&Language],
    known: &mut HashMap<(*const Language, *const Language), Option<bool>>,
) -> Option<bool> {
    let mut all = true;
    for (a, b) in a.iter().zip(b) {
        let key = (std::ptr::from_ref(*a), std::ptr::from_ref(*b));
        all &= (*known.entry(key).or_insert_with(|| included(a, b)))?;
    }
    Some(all)
}

/// `Some(true)` when no URL matches both.
fn apart(a: &[&Language], b: &[&Language]) -> Option<bool> {
    let mut any_apart = false;
    for (a, b) in a.iter().zip(b) {
        any_apart |= !intersects(a, b)?;
    }
    Some(any_apart)
}

fn check(model: &Model<'_>, out: &mut Findings) {
    let component_languages = languages(model);
    let sites = sites(model, &component_languages);
    let mut known = HashMap::new();
    let mut empty: HashMap<*const Language, bool> = HashMap::new();
    let record_only: Vec<&Site<'_, '_>> = sites
        .iter()
        .filter(|s| s.kind == Kind::RecordOnly)
        .collect();
    for site in &sites {
        let (Some(loc), Some(languages)) = (&site.loc, &site.components) else {
            continue;
        };
        let source = &site.pattern.source;
        if languages.iter().any(|l| {
            *empty
                .entry(std::ptr::from_ref(*l))
                .or_insert_with(|| l.is_empty() == Some(true))
        }) {
            out.add(
                Finding::new(
                    RULE.id,
                    loc.clone(),
                    format!("URL pattern `{source}` matches no URL"),
                )
                .label("never matches")
                .help("check the pattern's `(…)` groups and its parts"),
            );
            continue;
        }
        if site.kind == Kind::NeverRecord {
            continue;
        }
        let hider = sites.iter().find(|never| {
            never.kind == Kind::NeverRecord
                && model.in_force_with(never.scope, site.scope)
                && never
                    .components
                    .as_ref()
                    .is_some_and(|n| within(languages, n, &mut known) == Some(true))
        });
        if let Some(never) = hider {
            let mut finding = Finding::new(
                RULE.id,
                loc.clone(),
                format!(
                    "every page `{source}` matches is never recorded: `never record \"{}\"` matches it too",
                    never.pattern.source
                ),
            )
            .label("hidden by `never record`")
            .help("remove this pattern, or narrow the `never record` pattern if these pages should be recorded");
            if let Some(never_loc) = &never.loc {
                finding = finding.related(never_loc.clone(), "never recorded here");
            }
            out.add(finding);
            continue;
        }
        let limited = record_only
            .iter()
            .any(|r| model.in_force_with(r.scope, site.scope));
        if site.kind == Kind::OnPage
            && limited
            && record_only.iter().all(|r| {
                r.components
                    .as_ref()
                    .is_some_and(|c| apart(languages, c) == Some(true))
            })
        {
            out.add(
                Finding::new(
                    RULE.id,
                    loc.clone(),
                    format!("`{source}` matches no page that `record only` lets through"),
                )
                .label("these pages are never recorded")
                .help(
                    "fix the pattern, or add its pages to `record only` if they should be recorded",
                ),
            );
        }
    }
}
