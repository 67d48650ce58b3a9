//! The page decision, and the per-page state every element decision uses:
//! the scopes that apply, the rule index restricted to them, the defaults,
//! detectors and redactions in force.

use crate::element::Element;
use crate::index::Index;
use crate::mask::Detector;
use crate::policy::{
    CompiledCondition, CompiledRedaction, FIXED_KEYS, KEY_ATTRIBUTES, KEY_EVENTS, KEY_MEDIA,
    KEY_TEXT, KEY_VALUE, Policy, Sensitive,
};
use crate::walk::Walker;
use regex_lite::Regex;
use scrim_artifact::{Channel, Outcome, PageRule, PageRuleKind, Strategy};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Mutex;

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

/// One channel of one element, as asked by an integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelRef<'a> {
    Text,
    Value,
    /// One attribute, by name.
    Attr(&'a str),
    Media,
    Events,
}

/// How one channel of one element is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelOutcome<'p> {
    /// Nothing is recorded: the page is off or the element is blocked.
    Off,
    /// Recorded in clear; text and values still go through the page's
    /// detectors ([`Page::scrub`]).
    Capture,
    /// Masked with this strategy. For `events`: ignored.
    Mask(&'p Strategy),
}

impl ChannelOutcome<'_> {
    /// Whether the original content may be recorded (after detectors).
    pub fn is_capture(&self) -> bool {
        matches!(self, ChannelOutcome::Capture)
    }
}

/// Whether an element is recorded at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Recorded; see the channels.
    Recorded,
    /// The outermost blocked element: record a placeholder with its tag
    /// name (and size, when known) and nothing else.
    Placeholder,
    /// Inside a blocked element: record nothing.
    Hidden,
    /// The page is off: record nothing.
    PageOff,
}

/// The decision for one element: its status and its fixed channels.
/// Attributes are decided one by one ([`Walker::attribute`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision<'p> {
    pub status: Status,
    pub text: ChannelOutcome<'p>,
    pub value: ChannelOutcome<'p>,
    pub media: ChannelOutcome<'p>,
    pub events: ChannelOutcome<'p>,
}

impl Decision<'_> {
    pub(crate) fn off(status: Status) -> Self {
        Decision {
            status,
            text: ChannelOutcome::Off,
            value: ChannelOutcome::Off,
            media: ChannelOutcome::Off,
            events: ChannelOutcome::Off,
        }
    }
}

pub(crate) static STARS: Strategy = Strategy::Stars;

/// A channel's default, and the `default` statement it came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DefaultSlot {
    pub(crate) outcome: Outcome,
    pub(crate) from: Option<usize>,
}

/// A policy applied to one page.
#[derive(Debug)]
pub struct Page<'p> {
    pub(crate) policy: &'p Policy,
    pub(crate) decision: PageDecision<'p>,
    pub(crate) applies: Vec<bool>,
    pub(crate) index: Index<'p>,
    /// Defaults of the fixed keys (text, value, media, events, attributes).
    pub(crate) defaults: [DefaultSlot; FIXED_KEYS as usize],
    /// `default attr:NAME …` statements in force.
    pub(crate) attr_defaults: Vec<(&'p str, DefaultSlot)>,
    pub(crate) detectors: Vec<&'p Detector>,
    query_names: Vec<&'p str>,
    segment_patterns: Vec<&'p Regex>,
    /// Whether a path segment matches `segment_patterns`, for the segments
    /// already tried: a page's URLs repeat their segments (`p`, `img`,
    /// `orders`), and a lookup costs far less than running the patterns.
    segment_memo: Mutex<HashMap<Box<str>, bool>>,
}

/// The most path segments [`Page`] remembers; past that it starts over.
const SEGMENT_MEMO_MAX: usize = 4096;

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

        // Defaults: the global scope's, overridden by the other scopes in
        // force; between two of those, the stricter.
        let builtin = |key: u16| DefaultSlot {
            outcome: if key == KEY_MEDIA || key == KEY_EVENTS {
                Outcome::Capture
            } else {
                Outcome::Mask
            },
            from: None,
        };
        let mut global: Vec<(Channel, DefaultSlot)> = Vec::new();
        let mut scoped: Vec<(Channel, DefaultSlot)> = Vec::new();
        for (i, d) in self.artifact.defaults.iter().enumerate() {
            if !applies[d.scope as usize] {
                continue;
            }
            let slot = DefaultSlot {
                outcome: d.outcome,
                from: Some(i),
            };
            let list = if d.scope == 0 {
                &mut global
            } else {
                &mut scoped
            };
            match list.iter_mut().find(|(c, _)| *c == d.channel) {
                Some((_, old)) if d.scope == 0 => *old = slot,
                Some((_, old)) => {
                    if slot.outcome > old.outcome {
                        *old = slot
                    }
                }
                None => list.push((d.channel.clone(), slot)),
            }
        }
        let lookup = |c: &Channel| {
            scoped
                .iter()
                .find(|(k, _)| k == c)
                .or_else(|| global.iter().find(|(k, _)| k == c))
                .map(|(_, s)| *s)
        };
        let fixed = [
            Channel::Text,
            Channel::Value,
            Channel::Media,
            Channel::Events,
            Channel::Attributes,
        ];
        let keys = [KEY_TEXT, KEY_VALUE, KEY_MEDIA, KEY_EVENTS, KEY_ATTRIBUTES];
        let defaults = std::array::from_fn(|i| lookup(&fixed[i]).unwrap_or(builtin(keys[i])));
        let mut attr_defaults: Vec<(&str, DefaultSlot)> = Vec::new();
        for d in &self.artifact.defaults {
            if let Channel::Attr(name) = &d.channel
                && !attr_defaults.iter().any(|(n, _)| n == name)
                && let Some(slot) = lookup(&d.channel)
            {
                attr_defaults.push((name.as_str(), slot));
            }
        }

        let detectors = self.detectors.iter().filter(|d| applies[d.scope]).collect();
        let mut query_names = Vec::new();
        let mut segment_patterns = Vec::new();
        for (r, compiled) in self.artifact.redactions.iter().zip(&self.redactions) {
            if applies[r.scope as usize] {
                match compiled {
                    CompiledRedaction::Query(names) => {
                        query_names.extend(names.iter().map(String::as_str))
                    }
                    CompiledRedaction::PathSegment(re) => segment_patterns.push(re),
                }
            }
        }
        Page {
            policy: self,
            decision,
            applies,
            index,
            defaults,
            attr_defaults,
            detectors,
            query_names,
            segment_patterns,
            segment_memo: Mutex::default(),
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

    /// A top-down walk over a document of this page.
    pub fn walker<E: Element>(&self) -> Walker<'_, 'p, E> {
        Walker::new(self)
    }

    /// Decides one element from its ancestor chain (for mutations): the same
    /// result as a walk from the root down to it.
    pub fn decide<E: Element>(&self, element: E) -> Decision<'p> {
        let mut walker = self.walker();
        walker.enter_chain(element)
    }

    /// Decides one channel of one element from its ancestor chain.
    pub fn decide_channel<E: Element>(
        &self,
        element: E,
        channel: ChannelRef<'_>,
    ) -> ChannelOutcome<'_> {
        let mut walker = self.walker();
        walker.enter_chain(element);
        walker.channel(element, channel)
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
        let mut out = Vec::new();
        for d in &self.detectors {
            d.find(text, &mut out);
        }
        out
    }

    /// `text` with the spans the detectors find masked: what a captured text
    /// or value is recorded as.
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.detectors.is_empty() {
            return Cow::Borrowed(text);
        }
        let spans = self.detect(text);
        crate::mask::mask_spans(text, &spans)
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
        if self.segment_patterns.is_empty() {
            return crate::mask::redact_url(url, &self.query_names, &[]);
        }
        let mut memo = self
            .segment_memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        crate::mask::redact_url_with(url, &self.query_names, true, &mut |seg| {
            if let Some(&redacted) = memo.get(seg) {
                return redacted;
            }
            let redacted = self.segment_patterns.iter().any(|re| re.is_match(seg));
            if memo.len() >= SEGMENT_MEMO_MAX {
                memo.clear();
            }
            memo.insert(seg.into(), redacted);
            redacted
        })
    }

    /// The page's default for a fixed channel (step 6), for content that
    /// belongs to no element in particular: style-sheet strings follow the
    /// page's `text` default. `Off` when the page is off; for `Attr`, the
    /// default of the sensitive-attribute set (or of `default attr:NAME`).
    pub fn default_outcome(&self, channel: ChannelRef<'_>) -> ChannelOutcome<'p> {
        if self.decision != PageDecision::Record {
            return ChannelOutcome::Off;
        }
        let slot = match channel {
            ChannelRef::Text => self.defaults[KEY_TEXT as usize],
            ChannelRef::Value => self.defaults[KEY_VALUE as usize],
            ChannelRef::Media => self.defaults[KEY_MEDIA as usize],
            ChannelRef::Events => self.defaults[KEY_EVENTS as usize],
            ChannelRef::Attr(name) => self
                .attr_defaults
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map_or(self.defaults[KEY_ATTRIBUTES as usize], |(_, s)| *s),
        };
        match slot.outcome {
            Outcome::Capture => ChannelOutcome::Capture,
            Outcome::Mask => ChannelOutcome::Mask(&STARS),
        }
    }

    /// The default for a channel on an element (step 6).
    pub(crate) fn default_for<E: Element>(
        &self,
        element: &E,
        channel: ChannelRef<'_>,
    ) -> DefaultSlot {
        match channel {
            ChannelRef::Text => self.defaults[KEY_TEXT as usize],
            ChannelRef::Value => self.defaults[KEY_VALUE as usize],
            ChannelRef::Media => self.defaults[KEY_MEDIA as usize],
            ChannelRef::Events => self.defaults[KEY_EVENTS as usize],
            ChannelRef::Attr(name) => {
                self.default_for_attr(name, is_sensitive(self.policy, element, name))
            }
        }
    }

    /// The default for attribute `name`, knowing whether it is sensitive
    /// on the element (step 6).
    pub(crate) fn default_for_attr(&self, name: &str, sensitive: bool) -> DefaultSlot {
        if let Some((_, slot)) = self
            .attr_defaults
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            *slot
        } else if sensitive {
            self.defaults[KEY_ATTRIBUTES as usize]
        } else {
            DefaultSlot {
                outcome: Outcome::Capture,
                from: None,
            }
        }
    }
}

/// Whether attribute `name` of `element` is in the policy's sensitive set.
pub(crate) fn is_sensitive<E: Element>(policy: &Policy, element: &E, name: &str) -> bool {
    match &policy.sensitive {
        Sensitive::AllExcept { names } => !names.iter().any(|n| n.eq_ignore_ascii_case(name)),
        Sensitive::Only { names, builtin } => {
            // SVG's `xlink:href` is its `href`.
            let key = if name.eq_ignore_ascii_case("xlink:href") {
                "href"
            } else {
                name
            };
            if !names.iter().any(|n| n.eq_ignore_ascii_case(key)) {
                return false;
            }
            if !*builtin {
                return true;
            }
            if key == "href" {
                return is_contact_url(element.attr(name).unwrap_or(""));
            }
            if name.eq_ignore_ascii_case("value") {
                return is_button(element);
            }
            true
        }
    }
}

/// Whether a URL is a contact link. Beyond the `mailto:` and `tel:` of the
/// design, `sms:`, `callto:` and `facetime:` links carry the same personal
/// data (an address or a number), so they count too.
fn is_contact_url(url: &str) -> bool {
    crate::url::scheme_is(url, &["mailto", "tel", "sms", "callto", "facetime"])
}

fn is_button<E: Element>(e: &E) -> bool {
    if !e.is_html() {
        return false;
    }
    match e.local_name() {
        "button" => true,
        // Exactly, as the browser reads the enumerated attribute:
        // `type=" submit"` is an invalid value, so a text input.
        "input" => e.attr("type").is_some_and(|t| {
            ["button", "submit", "reset"]
                .iter()
                .any(|b| t.eq_ignore_ascii_case(b))
        }),
        _ => false,
    }
}

/// Step 3: inputs whose value no rule can reveal.
pub(crate) fn is_value_floor<E: Element>(e: &E) -> bool {
    if !e.is_html() || !e.local_name().eq_ignore_ascii_case("input") {
        return false;
    }
    if e.was_password() {
        return true;
    }
    if let Some(t) = e.attr("type") {
        let t = t.trim();
        if t.eq_ignore_ascii_case("password") || t.eq_ignore_ascii_case("hidden") {
            return true;
        }
    }
    e.attr("autocomplete").is_some_and(|a| {
        a.split_ascii_whitespace().any(|tok| {
            let lower = tok.to_ascii_lowercase();
            lower.starts_with("cc-")
                || matches!(
                    lower.as_str(),
                    "current-password" | "new-password" | "one-time-code"
                )
        })
    })
}

/// Whether an attribute holds form state that belongs to the `value`
/// channel rather than to `attr:NAME`: `value` on non-button inputs, on
/// `option`, `textarea`, `select`, and `checked`/`selected`. Integrations
/// should record such attributes under the value decision, so that a
/// password input's `value="…"` cannot leak through the attribute path.
pub fn attribute_is_form_state<E: Element>(element: &E, name: &str) -> bool {
    if !element.is_html() {
        return false;
    }
    match element.local_name() {
        "input" => {
            (name.eq_ignore_ascii_case("value") && !is_button(element))
                || name.eq_ignore_ascii_case("checked")
        }
        "option" => name.eq_ignore_ascii_case("value") || name.eq_ignore_ascii_case("selected"),
        "textarea" | "select" => name.eq_ignore_ascii_case("value"),
        _ => false,
    }
}
