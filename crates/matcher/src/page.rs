//! The page decision: which scopes apply to a recording context, whether
//! the page is recorded at all (step 1), and [`Page`], the per-page state
//! every element decision reads (the rule index, defaults, detectors and
//! redactions of the scopes that apply).

use crate::decision::{ChannelOutcome, ChannelRef};
use crate::defaults::{DefaultSlot, Defaults};
use crate::detect::Detectors;
use crate::element::Element;
use crate::index::Index;
use crate::policy::{CompiledCondition, Policy};
use crate::redact::Redactions;
use crate::vocabulary::is_sensitive;
use scrim_artifact::{PageRule, PageRuleKind};
use std::borrow::Cow;
use std::ops::Range;

/// What the recorder knows about the page being recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The page URL, absolute.
    pub url: String,
    /// The consent categories the visitor granted.
    pub consent: Vec<String>,
    /// The visitor's region code, if known.
    pub region: Option<String>,
}

/// Whether a page is recorded, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageDecision<'p> {
    Record,
    Off {
        reason: OffReason,
        /// The page rule that turned recording off; `None` when the URL
        /// itself could not be read.
        rule: Option<&'p PageRule>,
    },
}

/// Why recording is off for a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffReason {
    /// A `require consent` category was not granted.
    MissingConsent(String),
    /// A `never record` pattern matched.
    NeverRecord,
    /// `record only` rules apply and none matched.
    NotAllowListed,
    /// The page URL is not an absolute URL the runtime can read: no pattern,
    /// page scope or redaction can be trusted on it, so nothing is recorded.
    UnreadableUrl,
}

/// A policy applied to one page.
#[derive(Debug)]
pub struct Page<'p> {
    pub(crate) policy: &'p Policy,
    pub(crate) decision: PageDecision<'p>,
    pub(crate) applies: Vec<bool>,
    pub(crate) index: Index<'p>,
    defaults: Defaults<'p>,
    detectors: Detectors<'p>,
    redactions: Redactions<'p>,
}

impl Policy {
    /// Decides a page: which scopes apply, whether it is recorded, and the
    /// rule index for its elements.
    pub fn page(&self, context: &Context) -> Page<'_> {
        let url = crate::url::split(&context.url);
        let pattern_hit = |ps: &[crate::policy::CompiledPattern]| {
            url.as_ref()
                .is_some_and(|u| ps.iter().any(|p| p.matches(u)))
        };
        let region = context.region.as_ref().map(|r| r.to_ascii_uppercase());
        let granted = |c: &str| context.consent.iter().any(|g| g == c);
        let mut applies = vec![false; self.scopes.len()];
        for (i, scope) in self.scopes.iter().enumerate() {
            let parent_ok = scope.parent.is_none_or(|p| applies[p]);
            applies[i] = parent_ok
                && scope.conditions.iter().all(|c| match c {
                    CompiledCondition::Page(ps) => pattern_hit(ps),
                    CompiledCondition::Consent(cat) => granted(cat),
                    CompiledCondition::NoConsent(cat) => !granted(cat),
                    CompiledCondition::Region(codes) => {
                        region.as_ref().is_some_and(|r| codes.contains(r))
                    }
                });
        }

        let rules = &self.artifact.page_rules;
        let live = |r: &&PageRule| applies[r.scope as usize];
        let mut decision = PageDecision::Record;
        // The order of the design: missing consent, then `never record`,
        // then the allow-list.
        'decided: {
            for r in rules.iter().filter(live) {
                if let PageRuleKind::RequireConsent { categories } = &r.kind
                    && let Some(missing) = categories.iter().find(|c| !granted(c))
                {
                    decision = PageDecision::Off {
                        reason: OffReason::MissingConsent(missing.clone()),
                        rule: Some(r),
                    };
                    break 'decided;
                }
            }
            if url.is_none() {
                decision = PageDecision::Off {
                    reason: OffReason::UnreadableUrl,
                    rule: None,
                };
                break 'decided;
            }
            for (i, r) in rules.iter().enumerate() {
                if live(&r)
                    && matches!(r.kind, PageRuleKind::NeverRecord { .. })
                    && pattern_hit(&self.page_rules[i])
                {
                    decision = PageDecision::Off {
                        reason: OffReason::NeverRecord,
                        rule: Some(r),
                    };
                    break 'decided;
                }
            }
            let mut first_allow = None;
            for (i, r) in rules.iter().enumerate() {
                if live(&r) && matches!(r.kind, PageRuleKind::RecordOnly { .. }) {
                    if pattern_hit(&self.page_rules[i]) {
                        break 'decided;
                    }
                    first_allow.get_or_insert(r);
                }
            }
            if let Some(rule) = first_allow {
                decision = PageDecision::Off {
                    reason: OffReason::NotAllowListed,
                    rule: Some(rule),
                };
            }
        }

        let on = decision == PageDecision::Record;
        let index = Index::build(self, |scope| on && applies[scope]);
        Page {
            policy: self,
            decision,
            index,
            defaults: Defaults::new(&self.artifact.defaults, &applies),
            detectors: Detectors::new(&self.detectors, &applies),
            redactions: Redactions::new(&self.artifact.redactions, &self.redactions, &applies),
            applies,
        }
    }
}

impl<'p> Page<'p> {
    /// Whether the page is recorded.
    pub fn decision(&self) -> &PageDecision<'p> {
        &self.decision
    }

    /// Whether scope `i` of the artifact applies to this page.
    pub fn scope_applies(&self, i: usize) -> bool {
        self.applies.get(i).copied().unwrap_or(false)
    }

    /// The policy this page was decided by.
    pub fn policy(&self) -> &'p Policy {
        self.policy
    }

    /// Explains a decision: the rules that decided it, where they matched,
    /// and the rules that lost. Runs the reference evaluator, so it costs
    /// nothing unless asked for.
    pub fn explain<E: Element>(
        &self,
        element: E,
        channel: ChannelRef<'_>,
    ) -> crate::Explanation<'_> {
        crate::reference::explain(self, element, channel)
    }

    /// The spans of `text` the page's detectors find.
    pub fn detect(&self, text: &str) -> Vec<Range<usize>> {
        self.detectors.find(text)
    }

    /// `text` with the spans the detectors find masked: what a captured text
    /// or value is recorded as.
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.detectors.scrub(text)
    }

    /// What a text or value is recorded as under `outcome`: scrubbed when
    /// captured, masked by its strategy when masked, empty when off.
    pub fn render<'t>(&self, outcome: ChannelOutcome<'_>, text: &'t str) -> Cow<'t, str> {
        match outcome {
            ChannelOutcome::Off => Cow::Borrowed(""),
            ChannelOutcome::Capture => self.scrub(text),
            ChannelOutcome::Mask(strategy) => Cow::Owned(crate::mask::mask_with(strategy, text)),
        }
    }

    /// A recorded URL (page URL, `href`, `src`) with the page's `redact`
    /// statements applied.
    pub fn redact_url(&self, url: &str) -> String {
        self.redacted_url(url).into_owned()
    }

    /// [`Page::redact_url`] without a copy when nothing is redacted.
    pub fn redacted_url<'u>(&self, url: &'u str) -> Cow<'u, str> {
        self.redactions.apply(url)
    }

    /// The page's default for a fixed channel (step 6), for content that
    /// belongs to no element in particular: style-sheet strings follow the
    /// page's `text` default. `Off` when the page is off; for `Attr`, the
    /// default of the sensitive-attribute set (or of `default attr:NAME`).
    pub fn default_outcome(&self, channel: ChannelRef<'_>) -> ChannelOutcome<'p> {
        if self.decision != PageDecision::Record {
            return ChannelOutcome::Off;
        }
        self.defaults.for_channel(channel, true).channel_outcome()
    }

    /// The default for a channel on an element (step 6).
    pub(crate) fn default_for<E: Element>(
        &self,
        element: &E,
        channel: ChannelRef<'_>,
    ) -> DefaultSlot {
        let sensitive = match channel {
            ChannelRef::Attr(name) => is_sensitive(self.policy, element, name),
            _ => false,
        };
        self.default_knowing(channel, sensitive)
    }

    /// The default for a channel (step 6), knowing for an attribute whether
    /// it is in the sensitive set on the element.
    pub(crate) fn default_knowing(&self, channel: ChannelRef<'_>, sensitive: bool) -> DefaultSlot {
        self.defaults.for_channel(channel, sensitive)
    }
}
