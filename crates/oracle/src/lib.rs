//! The oracle: an independent, deliberately naive reading of scrim's
//! semantic model (`DESIGN.md`, `docs/language.md`), which the matcher is
//! tested against.
//!
//! It reads a compiled [`Artifact`] and nothing else of scrim: it has its
//! own document [`Tree`], its own selector parser and matcher
//! ([`selector`]), its own reading of every resolution step, and it matches
//! URL patterns with the `urlpattern` crate on each pattern's source as
//! written (so the compiler's lowering of patterns to regular expressions is
//! checked too), page URLs with the `url` crate, and custom detectors and
//! `redact path` with the full `regex` crate. Where it shares nothing with
//! the matcher, a bug in either shows up as a disagreement.
//!
//! ```text
//! Oracle::new(&artifact, &Context { url, consent, region })   the page
//!   .decision()                                    step 1
//!   .explain(&tree, node, Channel::Text)           steps 1 to 6, and why
//!   .scrub(text)                                   step 7
//!   .redact_url(url)                               `redact` statements
//! ```
//!
//! It is slow on purpose (every rule against every ancestor of every
//! element, selectors by exhaustive search) and is a test-support crate: it
//! is never published and no runtime links it.

mod detect;
mod redact;
mod resolve;
pub mod selector;
mod tree;

pub use resolve::{Cause, Channel, Explanation, Lost, Outcome, Status, Step};
pub use tree::{HTML, MATHML, Node, NodeId, Part, SVG, Tree};

use scrim_artifact::{Artifact, Condition, PageRuleKind, Strategy, UrlPattern};
use urlpattern::{UrlPatternInit, UrlPatternMatchInput, UrlPatternOptions};

/// What the recorder knows about a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The page URL, as the recorder reports it.
    pub url: String,
    /// The consent categories the visitor granted.
    pub consent: Vec<String>,
    /// The visitor's region code, if known.
    pub region: Option<String>,
}

/// Step 1: whether the page is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageDecision {
    Record,
    Off {
        reason: OffReason,
        /// The id of the page rule that turned recording off; `None` for an
        /// unreadable URL.
        rule: Option<String>,
    },
}

/// Why a page is off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffReason {
    /// The first category of the first `require consent` in force that the
    /// visitor did not grant.
    MissingConsent(String),
    NeverRecord,
    NotAllowListed,
    UnreadableUrl,
}

/// A policy applied to one page, read literally.
#[derive(Debug)]
pub struct Oracle<'a> {
    artifact: &'a Artifact,
    decision: PageDecision,
    /// Whether each scope of the artifact applies to the page.
    applies: Vec<bool>,
    /// Each rule's selector list.
    selectors: Vec<selector::SelectorList>,
    detectors: detect::Detectors,
    redactions: redact::Redactions,
}

/// The strategy of floors and of defaults that mask.
pub(crate) static STARS: Strategy = Strategy::Stars;

impl<'a> Oracle<'a> {
    /// Reads an artifact for one page. `Err` when something in it is
    /// outside what the oracle reads (a selector, pattern or expression it
    /// cannot parse): a compiled policy never has one.
    pub fn new(artifact: &'a Artifact, context: &Context) -> Result<Oracle<'a>, String> {
        let url = readable_url(&context.url);
        let granted = |category: &str| context.consent.iter().any(|c| c == category);
        let matches_any = |patterns: &[UrlPattern]| -> Result<bool, String> {
            let Some(url) = &url else {
                return Ok(false);
            };
            for p in patterns {
                if pattern_matches(p, url)? {
                    return Ok(true);
                }
            }
            Ok(false)
        };

        // A scope applies when its parent does and every condition holds.
        let mut applies = Vec::with_capacity(artifact.scopes.len());
        for scope in &artifact.scopes {
            let mut holds = scope.parent.is_none_or(|p| applies[p as usize]);
            for condition in &scope.conditions {
                holds &= match condition {
                    Condition::Page { patterns } => matches_any(patterns)?,
                    Condition::Consent { category } => granted(category),
                    Condition::NoConsent { category } => !granted(category),
                    Condition::Region { codes } => context
                        .region
                        .as_ref()
                        .is_some_and(|r| codes.iter().any(|c| c.eq_ignore_ascii_case(r))),
                };
            }
            applies.push(holds);
        }

        // Step 1, in the documented order: a missing consent, an unreadable
        // URL, a `never record` that matches, an allow-list that does not.
        let live: Vec<_> = artifact
            .page_rules
            .iter()
            .filter(|r| applies[r.scope as usize])
            .collect();
        let off = |reason, rule: Option<&scrim_artifact::PageRule>| PageDecision::Off {
            reason,
            rule: rule.map(|r| r.id.clone()),
        };
        let mut decision = PageDecision::Record;
        let missing = live.iter().find_map(|r| match &r.kind {
            PageRuleKind::RequireConsent { categories } => categories
                .iter()
                .find(|c| !granted(c))
                .map(|c| (r, c.clone())),
            _ => None,
        });
        if let Some((rule, category)) = missing {
            decision = off(OffReason::MissingConsent(category), Some(rule));
        } else if url.is_none() {
            decision = off(OffReason::UnreadableUrl, None);
        } else {
            let mut never = None;
            let mut allow_lists = Vec::new();
            for r in &live {
                match &r.kind {
                    PageRuleKind::NeverRecord { patterns } => {
                        if never.is_none() && matches_any(patterns)? {
                            never = Some(*r);
                        }
                    }
                    PageRuleKind::RecordOnly { patterns } => {
                        allow_lists.push((*r, matches_any(patterns)?));
                    }
                    PageRuleKind::RequireConsent { .. } => {}
                }
            }
            if let Some(rule) = never {
                decision = off(OffReason::NeverRecord, Some(rule));
            } else if !allow_lists.is_empty() && !allow_lists.iter().any(|(_, hit)| *hit) {
                decision = off(OffReason::NotAllowListed, Some(allow_lists[0].0));
            }
        }

        let selectors = artifact
            .rules
            .iter()
            .map(|r| {
                selector::parse(&r.selector)
                    .map_err(|e| format!("rule `{}`: selector `{}`: {e}", r.id, r.selector))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let detectors = detect::Detectors::new(artifact, &applies)?;
        let redactions = redact::Redactions::new(artifact, &applies)?;
        Ok(Oracle {
            artifact,
            decision,
            applies,
            selectors,
            detectors,
            redactions,
        })
    }

    /// Step 1.
    pub fn decision(&self) -> &PageDecision {
        &self.decision
    }

    /// Whether scope `i` of the artifact applies to the page.
    pub fn scope_applies(&self, i: usize) -> bool {
        self.applies.get(i).copied().unwrap_or(false)
    }

    /// `text` as a captured text or value is recorded: the spans the
    /// detectors in force find have their non-whitespace characters
    /// replaced by `*` (step 7).
    pub fn scrub(&self, text: &str) -> String {
        self.detectors.scrub(text)
    }

    /// A recorded URL with the `redact` statements in force applied, and
    /// its password redacted whatever they say.
    pub fn redact_url(&self, url: &str) -> String {
        self.redactions.apply(url)
    }
}

/// The page URL, when it is one the policy can be trusted on: an absolute
/// URL by the URL standard, whose host needs no IDNA (no label is, or
/// becomes, `xn--…`), and, for `file:`, with no path segment that starts
/// like a Windows drive letter (`docs/language.md`, "Page decisions").
fn readable_url(text: &str) -> Option<url::Url> {
    let url = url::Url::parse(text).ok()?;
    if let Some(url::Host::Domain(domain)) = url.host()
        && domain
            .split('.')
            .any(|label| label.len() >= 4 && label[..4].eq_ignore_ascii_case("xn--"))
    {
        return None;
    }
    if url.scheme() == "file"
        && url.path_segments().into_iter().flatten().any(|segment| {
            let b = segment.as_bytes();
            b.len() >= 2 && b[0].is_ascii_alphabetic() && matches!(b[1], b':' | b'|')
        })
    {
        return None;
    }
    Some(url)
}

/// Whether a URL pattern, as written in the policy, matches `url`: `*`
/// alone is every URL, a pattern starting with `/` is a path on any
/// origin, anything else a full URL pattern (`docs/language.md`).
fn pattern_matches(pattern: &UrlPattern, url: &url::Url) -> Result<bool, String> {
    let source = pattern.source.as_str();
    let init = if source == "*" {
        UrlPatternInit::default()
    } else if source.starts_with('/') {
        UrlPatternInit {
            pathname: Some(source.to_string()),
            ..UrlPatternInit::default()
        }
    } else {
        UrlPatternInit::parse_constructor_string::<regex::Regex>(source, None)
            .map_err(|e| format!("URL pattern `{source}`: {e}"))?
    };
    let compiled = <urlpattern::UrlPattern>::parse(init, UrlPatternOptions::default())
        .map_err(|e| format!("URL pattern `{source}`: {e}"))?;
    compiled
        .test(UrlPatternMatchInput::Url(url.clone()))
        .map_err(|e| format!("URL pattern `{source}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrim_artifact::{
        DetectorKind, FORMAT, Loc, PageRule, Redaction, RedactionKind, Scope, SensitiveAttributes,
        Source, VERSION,
    };

    fn loc() -> Loc {
        Loc {
            file: 0,
            line: 1,
            column: 1,
            start: 0,
            end: 0,
        }
    }

    fn artifact() -> Artifact {
        Artifact {
            format: FORMAT.into(),
            version: VERSION,
            language: 1,
            sources: vec![Source {
                name: "t.scrim".into(),
            }],
            sensitive_attributes: SensitiveAttributes::builtin(),
            scopes: vec![Scope {
                parent: None,
                conditions: vec![],
                loc: None,
            }],
            page_rules: vec![],
            rules: vec![],
            defaults: vec![],
            detectors: vec![],
            redactions: vec![],
        }
    }

    fn pattern(source: &str) -> UrlPattern {
        // The oracle reads only the source; the lowered forms are the
        // compiler's business.
        UrlPattern {
            source: source.into(),
            protocol: String::new(),
            username: String::new(),
            password: String::new(),
            hostname: String::new(),
            port: String::new(),
            pathname: String::new(),
            search: String::new(),
            hash: String::new(),
        }
    }

    fn page(a: &Artifact, url: &str, consent: &[&str]) -> PageDecision {
        let context = Context {
            url: url.into(),
            consent: consent.iter().map(|c| c.to_string()).collect(),
            region: None,
        };
        Oracle::new(a, &context).unwrap().decision().clone()
    }

    #[test]
    fn pages_are_decided_in_the_documented_order() {
        let mut a = artifact();
        a.page_rules.push(PageRule {
            id: "consent".into(),
            scope: 0,
            kind: PageRuleKind::RequireConsent {
                categories: vec!["replay".into()],
            },
            loc: loc(),
        });
        a.page_rules.push(PageRule {
            id: "never".into(),
            scope: 0,
            kind: PageRuleKind::NeverRecord {
                patterns: vec![pattern("/admin/*")],
            },
            loc: loc(),
        });
        a.page_rules.push(PageRule {
            id: "only".into(),
            scope: 0,
            kind: PageRuleKind::RecordOnly {
                patterns: vec![pattern("https://shop.example/*")],
            },
            loc: loc(),
        });
        let off = |reason, rule: Option<&str>| PageDecision::Off {
            reason,
            rule: rule.map(str::to_string),
        };
        assert_eq!(
            page(&a, "not a url", &[]),
            off(OffReason::MissingConsent("replay".into()), Some("consent"))
        );
        for unreadable in [
            "not a url",
            "https://例え.jp/",
            "https://xn--r8jz45g.jp/",
            "https://shop.example:99999/",
            "file:///C:/x",
        ] {
            assert_eq!(
                page(&a, unreadable, &["replay"]),
                off(OffReason::UnreadableUrl, None),
                "{unreadable}"
            );
        }
        assert_eq!(
            page(&a, "https://shop.example/admin/x", &["replay"]),
            off(OffReason::NeverRecord, Some("never"))
        );
        assert_eq!(
            page(&a, "https://other.example/", &["replay"]),
            off(OffReason::NotAllowListed, Some("only"))
        );
        assert_eq!(
            page(&a, "https://shop.example/a", &["replay"]),
            PageDecision::Record
        );
    }

    #[test]
    fn redaction_follows_the_language_reference() {
        let mut a = artifact();
        for kind in [
            RedactionKind::Query {
                names: vec!["token".into(), "email".into()],
            },
            RedactionKind::PathSegment {
                pattern: r"^\d{6,}$".into(),
            },
        ] {
            a.redactions.push(Redaction {
                scope: 0,
                kind,
                loc: loc(),
            });
        }
        let oracle = Oracle::new(&a, &Context::default()).unwrap();
        for (url, redacted) in [
            (
                "https://h.example/u/1234567/x?token=abc&keep=1#f",
                "https://h.example/u/redacted/x?token=redacted&keep=1#f",
            ),
            ("https://jane:hunter2@host/", "https://jane:redacted@host/"),
            (
                "https:\\\\jane:hunter2@host",
                "https:\\\\jane:redacted@host",
            ),
            ("//jane:hunter2@host/x", "//jane:redacted@host/x"),
            (
                "/a?t%6Fken=1&TOKEN&e",
                "/a?t%6Fken=redacted&TOKEN=redacted&e",
            ),
            (
                "/p#/users/1234567?token=x",
                "/p#/users/redacted?token=redacted",
            ),
            (
                "/cb#access_token=1&token=2",
                "/cb#access_token=1&token=redacted",
            ),
            ("/cb#1234567", "/cb#redacted"),
            ("tel:5551234567", "tel:redacted"),
            (" /a?to\tken ", " /a?to\tken=redacted "),
            ("/u/12\n34567", "/u/redacted"),
        ] {
            assert_eq!(oracle.redact_url(url), redacted, "{url:?}");
        }
    }

    #[test]
    fn detectors_follow_the_language_reference() {
        let mut a = artifact();
        for (id, kind) in [
            ("email", DetectorKind::Email),
            ("card", DetectorKind::Card),
            ("phone", DetectorKind::Phone),
            ("national-id", DetectorKind::NationalId),
            (
                "customer",
                DetectorKind::Pattern {
                    pattern: r"CUST-\d{8}\b".into(),
                },
            ),
        ] {
            a.detectors.push(scrim_artifact::Detector {
                id: id.into(),
                scope: 0,
                kind,
                loc: loc(),
            });
        }
        let oracle = Oracle::new(&a, &Context::default()).unwrap();
        for (text, scrubbed) in [
            (
                "mail jane.doe+x@mail.example.com.",
                "mail ***************************.",
            ),
            ("4111 1111 1111 1111", "**** **** **** ****"),
            ("4222222222222", "*************"),
            ("4111 1111 1111 1112", "4111 1111 1111 1112"),
            ("call +1 (415) 555-0100", "call ** ***** ********"),
            ("in 2024", "in 2024"),
            ("ssn 123-45-6789", "ssn ***********"),
            ("ni AB 12 34 56 C", "ni ** ** ** ** *"),
            ("CUST-12345678 CUST-١٢٣٤٥٦٧٨", "************* CUST-١٢٣٤٥٦٧٨"),
        ] {
            assert_eq!(oracle.scrub(text), scrubbed, "{text:?}");
        }
    }
}
