//! What the linter claims, checked on generated policies and pages.
//!
//! `unreachable-rule`, `duplicate-rule` and `contradictory-rules` say that
//! a rule (or one selector of its list) never decides anything; their fix
//! removes it. Here each such fix is applied to a generated policy, and the
//! policies before and after must decide every channel of every element of
//! generated pages the same way, as the oracle (the literal reading of the
//! resolution order) reads them, on pages inside and outside the policy's
//! page scopes, with and without consent. An `on page` pattern that
//! `page-pattern-never-matches` reports must be in force on no recorded
//! page, among URLs of every shape. The linter must also never panic,
//! give the same findings twice, and every fix of every rule must leave a
//! policy that compiles, and a suppression comment at the end of the
//! line where a finding starts must silence it.

use proptest::prelude::*;
use scrim_compiler::{NoFiles, compile};
use scrim_oracle::{Channel, Context, HTML, NodeId, Oracle, Tree};

const TAGS: &[&str] = &["div", "p", "span", "input", "section"];
const CLASSES: &[&str] = &["a", "b", "c"];

/// A compound selector: an optional tag and up to two classes.
fn compound() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(TAGS)),
        prop::sample::subsequence(CLASSES, 0..=2),
    )
        .prop_map(|(tag, classes)| {
            let mut out = tag.unwrap_or("").to_string();
            for class in classes {
                out.push('.');
                out.push_str(class);
            }
            if out.is_empty() {
                out.push('*');
            }
            out
        })
}

/// A complex selector of one to three compounds.
fn complex() -> impl Strategy<Value = String> {
    (
        compound(),
        prop::collection::vec((prop::bool::ANY, compound()), 0..=2),
    )
        .prop_map(|(first, rest)| {
            let mut out = first;
            for (child, compound) in rest {
                out.push_str(if child { " > " } else { " " });
                out.push_str(&compound);
            }
            out
        })
}

/// A few selectors that many policies share, so that rules meet: the same
/// selector twice, one selecting inside another.
const COMMON: &[&str] = &[".a", "div", ".a .b", "div.a", "p.b", "*"];

fn selector_list() -> impl Strategy<Value = String> {
    let one = prop_oneof![
        complex(),
        prop::sample::select(COMMON).prop_map(str::to_string)
    ];
    prop::collection::vec(one, 1..=2).prop_map(|list| list.join(", "))
}

fn channels() -> impl Strategy<Value = String> {
    prop::sample::subsequence(&["text", "value", "attributes", "attr:title"][..], 1..=2)
        .prop_map(|list| list.join(", "))
}

/// One statement that can stand in any scope.
fn statement() -> impl Strategy<Value = String> {
    prop_oneof![
        selector_list().prop_map(|s| format!("block \"{s}\"")),
        (channels(), selector_list()).prop_map(|(c, s)| format!("mask {c} \"{s}\"")),
        (channels(), selector_list()).prop_map(|(c, s)| format!("mask sealed {c} \"{s}\"")),
        (channels(), selector_list()).prop_map(|(c, s)| format!("mask {c} \"{s}\" with \"#\"")),
        (channels(), selector_list()).prop_map(|(c, s)| format!("allow {c} \"{s}\"")),
        (channels(), selector_list()).prop_map(|(c, s)| format!("allow {c} \"{s}\"")),
        selector_list().prop_map(|s| format!("ignore events \"{s}\"")),
        selector_list().prop_map(|s| format!("allow events \"{s}\"")),
        (
            prop::sample::select(&["text", "value", "attributes", "attr:title"][..]),
            prop::bool::ANY
        )
            .prop_map(|(c, capture)| format!(
                "default {c} {}",
                if capture { "capture" } else { "mask" }
            )),
    ]
}

/// A statement again, as it is or with the other verb (`mask` for
/// `allow`, `allow` for `mask`): repeated and contradictory rules.
fn echo(statement: &str, flip: bool) -> String {
    if !flip {
        return statement.to_string();
    }
    if let Some(rest) = statement.strip_prefix("allow ") {
        format!("mask {rest}")
    } else if let Some(rest) = statement.strip_prefix("mask ") {
        format!(
            "allow {}",
            rest.trim_start_matches("sealed ")
                .split(" with ")
                .next()
                .unwrap_or(rest)
        )
    } else {
        statement.to_string()
    }
}

/// A policy: statements at the top level, in a page scope and in a consent
/// scope, some of them said again. Selectors come from a small vocabulary,
/// so that rules meet often.
fn policy() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(statement(), 1..=6),
        prop::collection::vec(statement(), 0..=3),
        prop::collection::vec(statement(), 0..=2),
        prop::collection::vec((any::<usize>(), prop::bool::ANY, 0..3usize), 0..=2),
    )
        .prop_map(|(mut top, mut page, mut consent, echoes)| {
            for (which, flip, into) in echoes {
                let again = echo(&top[which % top.len()], flip);
                match into {
                    0 => top.push(again),
                    1 => page.push(again),
                    _ => consent.push(again),
                }
            }
            let mut out = String::from("scrim 1\n\n");
            for s in top {
                out.push_str(&s);
                out.push('\n');
            }
            if !page.is_empty() {
                out.push_str("\non page \"/x/*\" {\n");
                for s in page {
                    out.push_str("  ");
                    out.push_str(&s);
                    out.push('\n');
                }
                out.push_str("}\n");
            }
            if !consent.is_empty() {
                out.push_str("\nwhen consent m {\n");
                for s in consent {
                    out.push_str("  ");
                    out.push_str(&s);
                    out.push('\n');
                }
                out.push_str("}\n");
            }
            out
        })
}

/// An element: tag, classes, whether it has a `title`.
type Element = (&'static str, Vec<&'static str>, bool);

fn element() -> impl Strategy<Value = Element> {
    (
        prop::sample::select(TAGS),
        prop::sample::subsequence(CLASSES, 0..=2),
        prop::bool::ANY,
    )
}

/// A page: each element's parent is one of the elements before it.
fn page() -> impl Strategy<Value = Vec<(usize, Element)>> {
    prop::collection::vec((any::<usize>(), element()), 1..=9)
}

fn tree(spec: &[(usize, Element)]) -> Tree {
    let mut tree = Tree::new();
    let mut ids: Vec<NodeId> = Vec::new();
    for (i, (parent, (tag, classes, title))) in spec.iter().enumerate() {
        let class = classes.join(" ");
        let mut attributes: Vec<(&str, &str)> = Vec::new();
        if !class.is_empty() {
            attributes.push(("class", &class));
        }
        if *title {
            attributes.push(("title", "Jane"));
        }
        let parent = (i > 0).then(|| ids[parent % i]);
        let id = tree.add(parent, HTML, tag, &attributes);
        tree.node_mut(id).text = "Jane Doe".to_string();
        ids.push(id);
    }
    tree
}

/// Every decision of every page under every context, as text.
fn decisions(text: &str, pages: &[Tree]) -> Vec<String> {
    let compilation = compile("policy.scrim", text, &NoFiles);
    let artifact = compilation.artifact.as_ref().expect("compiles");
    let mut out = Vec::new();
    for url in ["https://e.com/x/1", "https://e.com/y"] {
        for consent in [vec![], vec!["m".to_string()]] {
            let context = Context {
                url: url.to_string(),
                consent,
                region: None,
            };
            let oracle = Oracle::new(artifact, &context).expect("the oracle reads it");
            for (p, tree) in pages.iter().enumerate() {
                for (id, _) in tree.preorder() {
                    for channel in [
                        Channel::Text,
                        Channel::Value,
                        Channel::Attr("title"),
                        Channel::Attr("class"),
                        Channel::Media,
                        Channel::Events,
                    ] {
                        let decided = oracle.explain(tree, id, channel);
                        out.push(format!(
                            "{url} {:?} page {p} element {} {channel:?}: {:?} {:?}",
                            context.consent, id.0, decided.status, decided.outcome
                        ));
                    }
                }
            }
        }
    }
    out
}

const NEVER_DECIDES: &[&str] = &["unreachable-rule", "duplicate-rule", "contradictory-rules"];

/// Applies every fix of every finding of `text`: each must leave a policy
/// that compiles, and the fixes of the rules that say something never
/// decides must change no decision on `pages`.
fn check_fixes(text: &str, pages: &[Vec<(usize, Element)>]) -> Result<(), TestCaseError> {
    let compilation = compile("policy.scrim", text, &NoFiles);
    prop_assume!(!compilation.has_errors());
    let found = scrim_lint::lint(&compilation);
    prop_assert_eq!(
        &found,
        &scrim_lint::lint(&compilation),
        "linting twice differs"
    );

    let trees: Vec<Tree> = pages.iter().map(|p| tree(p)).collect();
    let mut before: Option<Vec<String>> = None;
    for diagnostic in &found {
        for fix in &diagnostic.fixes {
            let after = fix.apply(text).expect("a fix applies to its own text");
            let fixed = compile("policy.scrim", &after, &NoFiles);
            prop_assert!(
                !fixed.has_errors(),
                "`{}` of `{}` leaves errors:\n{}\n{:?}",
                fix.title,
                diagnostic.code,
                after,
                fixed.diagnostics
            );
            let rule = diagnostic.code.lint_rule().unwrap_or_default();
            if !NEVER_DECIDES.contains(&rule) {
                continue;
            }
            let before = before.get_or_insert_with(|| decisions(text, &trees));
            let now = decisions(&after, &trees);
            let changed: Vec<(&String, &String)> = before
                .iter()
                .zip(&now)
                .filter(|(a, b)| a != b)
                .take(3)
                .collect();
            prop_assert!(
                changed.is_empty(),
                "{} said `{}` never decides, but `{}` changes decisions:\n--- before\n{}\n--- after\n{}\n{:#?}\npages: {:?}",
                rule,
                diagnostic.loc.source.text()[diagnostic.loc.span.start..diagnostic.loc.span.end]
                    .to_string(),
                fix.title,
                text,
                after,
                changed,
                pages
            );
        }
    }
    Ok(())
}

/// Cases the property found, kept by name.
#[test]
fn known_cases() {
    let cases: &[(&str, &[(usize, Element)])] = &[
        // A mask with stars under a mask with another strategy is not what
        // the default says: it picks the strategy.
        (
            "scrim 1\n\nmask attributes \"input\" with \"#\"\nmask attr:title \"*\"\n",
            &[(0, ("input", vec![], false)), (0, ("div", vec![], false))],
        ),
        // A default in a scope is not the default where the scope does not
        // apply: there the built-in one is.
        (
            "scrim 1\n\nallow value \"*\"\n\nwhen consent m {\n  default value capture\n}\n",
            &[(0, ("input", vec![], false))],
        ),
        // `attributes` is each attribute of the set, and one of them can
        // have a default of its own.
        (
            "scrim 1\n\ndefault attr:title capture\nmask attributes \"*\"\n",
            &[(0, ("div", vec![], true))],
        ),
    ];
    for (text, page) in cases {
        if let Err(error) = check_fixes(text, &[page.to_vec()]) {
            panic!("{error}");
        }
    }
}

/// A `# scrim: allow RULE` comment at the end of the line where each
/// finding starts silences it, and is not itself reported as unused.
fn check_suppressions(text: &str) -> Result<(), TestCaseError> {
    let compilation = compile("policy.scrim", text, &NoFiles);
    prop_assume!(!compilation.has_errors());
    for finding in scrim_lint::lint(&compilation) {
        let rule = finding.code.lint_rule().expect("a lint finding");
        let line_end = text[finding.loc.span.start..]
            .find('\n')
            .map_or(text.len(), |i| finding.loc.span.start + i);
        let suppressed = format!(
            "{}  # scrim: allow {rule}{}",
            &text[..line_end],
            &text[line_end..]
        );
        let line = finding.loc.start_line_column().0;
        let compilation = compile("policy.scrim", &suppressed, &NoFiles);
        let left: Vec<_> = scrim_lint::lint(&compilation)
            .into_iter()
            .filter(|d| {
                d.loc.start_line_column().0 == line
                    && matches!(d.code.lint_rule(), Some(r) if r == rule || r == "unused-suppression")
            })
            .collect();
        prop_assert!(
            left.is_empty(),
            "a suppression of `{}` on line {} leaves {:?}:\n{}",
            rule,
            line,
            left,
            suppressed
        );
    }
    Ok(())
}

/// A URL pattern from a small vocabulary: absolute or path-only,
/// wildcards, named groups and optional parts.
fn url_pattern() -> impl Strategy<Value = String> {
    let origin = prop::sample::select(
        &[
            "",
            "https://e.com",
            "http{s}?://e.com",
            "https://*.e.com",
            "*://s.e.com",
            "https://e.com:8080",
        ][..],
    );
    let segment = prop::sample::select(&["a", "b", ":id", "*", "x-1", "a{/b}?"][..]);
    (
        origin,
        prop::collection::vec(segment, 0..=3),
        prop::sample::select(&["", "/*", "/", "?q=:v", "#top"][..]),
    )
        .prop_map(|(origin, segments, tail)| {
            let mut out = origin.to_string();
            for segment in segments {
                out.push('/');
                out.push_str(segment);
            }
            out.push_str(tail);
            if out.is_empty() || !out.contains('/') && origin.is_empty() {
                out.insert(0, '/');
            }
            out
        })
}

/// Page statements and `on page` blocks, one pattern each (so that a
/// finding about a pattern is a finding about its block).
fn page_policy() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(url_pattern(), 0..=1),
        prop::collection::vec(url_pattern(), 0..=2),
        prop::collection::vec(url_pattern(), 0..=1),
        prop::collection::vec(url_pattern(), 1..=3),
    )
        .prop_map(|(only, never, never_with_consent, on_page)| {
            let mut out = String::from("scrim 1\n\n");
            for p in only {
                out.push_str(&format!("record only \"{p}\"\n"));
            }
            for p in never {
                out.push_str(&format!("never record \"{p}\"\n"));
            }
            for p in never_with_consent {
                out.push_str(&format!("when consent m {{\n  never record \"{p}\"\n}}\n"));
            }
            for p in on_page {
                out.push_str(&format!("on page \"{p}\" {{\n  allow text \"h1\"\n}}\n"));
            }
            out
        })
}

/// URLs of every shape the patterns above tell apart.
fn urls() -> Vec<String> {
    let mut out = Vec::new();
    for origin in [
        "https://e.com",
        "http://e.com",
        "https://s.e.com",
        "https://e.com:8080",
        "https://x.org",
    ] {
        for path in ["/", "/a", "/a/", "/a/b", "/b", "/a/b/c", "/x-1", "/b/a/b"] {
            for tail in ["", "?q=1", "#top"] {
                out.push(format!("{origin}{path}{tail}"));
            }
        }
    }
    out
}

/// Each `on page` pattern that `page-pattern-never-matches` reports: on
/// no URL is its block in force on a recorded page. Pages are decided by
/// the runtime matcher here (the oracle agrees with it on page decisions,
/// and builds every URL pattern anew for each page, which is slow).
fn check_page_patterns(text: &str) -> Result<(), TestCaseError> {
    let compilation = compile("policy.scrim", text, &NoFiles);
    prop_assume!(!compilation.has_errors());
    let artifact = compilation.artifact.as_ref().expect("compiles");
    let reported: Vec<usize> = scrim_lint::lint(&compilation)
        .iter()
        .filter(|d| d.code.lint_rule() == Some("page-pattern-never-matches"))
        .filter_map(|d| {
            artifact.scopes.iter().position(|scope| {
                scope.loc.as_ref().is_some_and(|loc| {
                    (loc.start as usize..loc.end as usize).contains(&d.loc.span.start)
                })
            })
        })
        .collect();
    if reported.is_empty() {
        return Ok(());
    }
    let policy = scrim_matcher::Policy::from_artifact(artifact.clone()).expect("loads");
    for url in urls() {
        for consent in [vec![], vec!["m".to_string()]] {
            let context = scrim_matcher::Context {
                url: url.clone(),
                consent,
                region: None,
            };
            let page = policy.page(&context);
            let recorded = matches!(page.decision(), scrim_matcher::PageDecision::Record);
            for &scope in &reported {
                prop_assert!(
                    !(recorded && page.scope_applies(scope)),
                    "the pattern of scope {} is said never to match a recorded page, but {} {:?} is recorded and matches it:\n{}",
                    scope,
                    context.url,
                    context.consent,
                    text
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_page_pattern_said_never_to_match_matches_no_recorded_page(text in page_policy()) {
        check_page_patterns(&text)?;
    }

    #[test]
    fn a_comment_on_its_line_suppresses_every_finding(text in policy()) {
        check_suppressions(&text)?;
    }

    #[test]
    fn removing_what_never_decides_changes_no_decision(
        text in policy(),
        pages in prop::collection::vec(page(), 1..=3),
    ) {
        check_fixes(&text, &pages)?;
    }
}
