//! Steps 2 to 6 of the resolution order, one after the other, as the
//! design words them, with the explanation each decision carries: the
//! rules that decided (and how many levels up they matched), and every
//! match of a rule that lost, with the step that beat it.
//!
//! Conventions the design leaves to the explanation (`docs/explain.md`):
//! deciding rules are listed in source order; lost matches nearest first,
//! then in source order; a rule that decides is never also listed as lost.

use crate::tree::{NodeId, Tree};
use crate::{Oracle, PageDecision, STARS};
use scrim_artifact::{Action, Channel as Key, Outcome as Default, SensitiveAttributes, Strategy};

/// One channel of one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel<'a> {
    Text,
    Value,
    /// One attribute, by name as the element has it.
    Attr(&'a str),
    Media,
    Events,
}

/// How a channel is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// Not at all: the page is off or the element blocked.
    Off,
    /// In clear (text and values still go through the detectors).
    Capture,
    /// Masked with this strategy (for `events`: ignored).
    Mask(&'a Strategy),
}

/// Whether the element is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Recorded,
    /// The outermost blocked element.
    Placeholder,
    /// Inside a blocked element.
    Hidden,
    PageOff,
}

/// The step of the resolution order that decided, or beat a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    PageOff,
    Block,
    Floor,
    Sealed,
    NearestRule,
    Default,
}

/// What decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// A page rule, by id.
    PageRule(String),
    /// An element rule, by id, matched `levels_up` above the element.
    Rule { id: String, levels_up: usize },
    /// The value floor.
    Floor,
    /// A `default` statement, by index in the artifact's defaults.
    Default(usize),
    /// The built-in default.
    BuiltinDefault,
}

/// A match of a rule that lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub id: String,
    pub levels_up: usize,
    pub beaten_by: Step,
}

/// The decision for one channel of one element, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation<'a> {
    pub status: Status,
    pub outcome: Outcome<'a>,
    pub step: Step,
    pub deciding: Vec<Cause>,
    pub lost: Vec<Lost>,
}

/// A rule that matched: how many levels above the element, and its index.
type Match = (usize, usize);

impl<'a> Oracle<'a> {
    /// Decides channel `channel` of element `e` of `tree`, and says why.
    pub fn explain(&self, tree: &Tree, e: NodeId, channel: Channel<'_>) -> Explanation<'a> {
        let rules = &self.artifact.rules;

        // 1. The page is off: nothing is recorded.
        if let PageDecision::Off { rule, .. } = &self.decision {
            return Explanation {
                status: Status::PageOff,
                outcome: Outcome::Off,
                step: Step::PageOff,
                deciding: rule.iter().cloned().map(Cause::PageRule).collect(),
                lost: Vec::new(),
            };
        }

        // Every rule of the scopes that apply, against E and each ancestor.
        let chain: Vec<NodeId> = std::iter::once(e).chain(tree.ancestors(e)).collect();
        let mut matched: Vec<Match> = Vec::new();
        for (levels_up, &x) in chain.iter().enumerate() {
            for (r, rule) in rules.iter().enumerate() {
                if self.applies[rule.scope as usize] && self.selectors[r].matches(tree, x) {
                    matched.push((levels_up, r));
                }
            }
        }
        let rule_cause = |&(levels_up, r): &Match| Cause::Rule {
            id: rules[r].id.clone(),
            levels_up,
        };
        // Every match of a rule that is not among the deciding ones.
        let losers = |candidates: &[Match], deciding: &[Match], step| -> Vec<Lost> {
            candidates
                .iter()
                .filter(|(_, r)| !deciding.iter().any(|(_, d)| d == r))
                .map(|&(levels_up, r)| Lost {
                    id: rules[r].id.clone(),
                    levels_up,
                    beaten_by: step,
                })
                .collect()
        };

        // 2. Block is absorbing: the outermost blocked element (E or an
        //    ancestor) is the placeholder; every rule that matched loses.
        let blocks: Vec<Match> = matched
            .iter()
            .copied()
            .filter(|&(_, r)| rules[r].action == Action::Block)
            .collect();
        if let Some(outermost) = blocks.iter().map(|&(l, _)| l).max() {
            let deciding: Vec<Match> = blocks
                .iter()
                .copied()
                .filter(|&(l, _)| l == outermost)
                .collect();
            return Explanation {
                status: if outermost == 0 {
                    Status::Placeholder
                } else {
                    Status::Hidden
                },
                outcome: Outcome::Off,
                step: Step::Block,
                deciding: deciding.iter().map(rule_cause).collect(),
                lost: losers(&matched, &deciding, Step::Block),
            };
        }

        // The mask and allow rules for this channel that matched.
        let covering: Vec<Match> = matched
            .iter()
            .copied()
            .filter(|&(_, r)| rules[r].action != Action::Block && self.covers(tree, e, r, channel))
            .collect();
        let recorded = |outcome, step, deciding: Vec<Cause>, lost| Explanation {
            status: Status::Recorded,
            outcome,
            step,
            deciding,
            lost,
        };

        // 3. Floors no rule can lift.
        if channel == Channel::Value && value_floor(tree, e) {
            return recorded(
                Outcome::Mask(&STARS),
                Step::Floor,
                vec![Cause::Floor],
                losers(&covering, &[], Step::Floor),
            );
        }

        // 4. Sealed masks on E or any ancestor: the nearest element with one
        //    decides, with the strategy of its first in source order.
        let sealed: Vec<Match> = covering
            .iter()
            .copied()
            .filter(|&(_, r)| rules[r].action == Action::Mask && rules[r].sealed)
            .collect();
        if let Some(nearest) = sealed.iter().map(|&(l, _)| l).min() {
            let deciding: Vec<Match> = sealed
                .iter()
                .copied()
                .filter(|&(l, _)| l == nearest)
                .collect();
            return recorded(
                Outcome::Mask(&rules[deciding[0].1].strategy),
                Step::Sealed,
                deciding.iter().map(rule_cause).collect(),
                losers(&covering, &deciding, Step::Sealed),
            );
        }

        // 5. The nearest element with a mask or allow rule for C decides; a
        //    mask there beats an allow.
        if let Some(nearest) = covering.iter().map(|&(l, _)| l).min() {
            let here: Vec<Match> = covering
                .iter()
                .copied()
                .filter(|&(l, _)| l == nearest)
                .collect();
            let masks: Vec<Match> = here
                .iter()
                .copied()
                .filter(|&(_, r)| rules[r].action == Action::Mask)
                .collect();
            let (outcome, deciding) = match masks.first() {
                Some(&(_, first)) => (Outcome::Mask(&rules[first].strategy), masks),
                None => (Outcome::Capture, here),
            };
            return recorded(
                outcome,
                Step::NearestRule,
                deciding.iter().map(rule_cause).collect(),
                losers(&covering, &deciding, Step::NearestRule),
            );
        }

        // 6. No rule: the default.
        let (default, cause) = self.default_for(tree, e, channel);
        let outcome = match default {
            Default::Capture => Outcome::Capture,
            Default::Mask => Outcome::Mask(&STARS),
        };
        recorded(outcome, Step::Default, vec![cause], Vec::new())
    }

    /// Whether rule `r` names channel `channel` of element `e`.
    fn covers(&self, tree: &Tree, e: NodeId, r: usize, channel: Channel<'_>) -> bool {
        self.artifact.rules[r]
            .channels
            .iter()
            .any(|key| match (key, channel) {
                (Key::Text, Channel::Text)
                | (Key::Value, Channel::Value)
                | (Key::Media, Channel::Media)
                | (Key::Events, Channel::Events) => true,
                (Key::Attr(name), Channel::Attr(asked)) => name.eq_ignore_ascii_case(asked),
                (Key::AttrPrefix(prefix), Channel::Attr(asked)) => {
                    starts_with_prefix(asked, prefix)
                }
                (Key::Attributes, Channel::Attr(asked)) => self.sensitive(tree, e, asked),
                _ => false,
            })
    }

    /// Step 6 for a channel: the default in force, and what it came from.
    fn default_for(&self, tree: &Tree, e: NodeId, channel: Channel<'_>) -> (Default, Cause) {
        let builtin = |d| (d, Cause::BuiltinDefault);
        match channel {
            Channel::Text => self
                .statement_default(&Key::Text)
                .unwrap_or(builtin(Default::Mask)),
            Channel::Value => self
                .statement_default(&Key::Value)
                .unwrap_or(builtin(Default::Mask)),
            Channel::Media => self
                .statement_default(&Key::Media)
                .unwrap_or(builtin(Default::Capture)),
            Channel::Events => self
                .statement_default(&Key::Events)
                .unwrap_or(builtin(Default::Capture)),
            Channel::Attr(name) => {
                // `default attr:NAME` speaks of this attribute alone, so it
                // comes before the default of the sensitive set.
                let own = Key::Attr(name.to_ascii_lowercase());
                // Then `default attr:PREFIX*`, the longest prefix that
                // covers the name and has a default in force.
                let mut prefixes: Vec<&str> = self
                    .artifact
                    .defaults
                    .iter()
                    .filter_map(|d| match &d.channel {
                        Key::AttrPrefix(p) if starts_with_prefix(name, p) => Some(p.as_str()),
                        _ => None,
                    })
                    .collect();
                prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
                let by_prefix = prefixes
                    .into_iter()
                    .find_map(|p| self.statement_default(&Key::AttrPrefix(p.to_string())));
                if let Some(found) = self.statement_default(&own) {
                    found
                } else if let Some(found) = by_prefix {
                    found
                } else if self.sensitive(tree, e, name) {
                    self.statement_default(&Key::Attributes)
                        .unwrap_or(builtin(Default::Mask))
                } else {
                    builtin(Default::Capture)
                }
            }
        }
    }

    /// The `default` statement in force for `key`: among those of the
    /// scopes that apply, the stricter of the non-global ones (the first
    /// written when they agree), else the last global one.
    fn statement_default(&self, key: &Key) -> Option<(Default, Cause)> {
        let in_force = self
            .artifact
            .defaults
            .iter()
            .enumerate()
            .filter(|(_, d)| self.applies[d.scope as usize] && d.channel == *key);
        let mut scoped: Option<(usize, Default)> = None;
        let mut global: Option<(usize, Default)> = None;
        for (i, d) in in_force {
            if d.scope == 0 {
                global = Some((i, d.outcome));
            } else if scoped
                .is_none_or(|(_, o)| d.outcome == Default::Mask && o == Default::Capture)
            {
                scoped = Some((i, d.outcome));
            }
        }
        scoped.or(global).map(|(i, o)| (o, Cause::Default(i)))
    }

    /// Whether attribute `name` of element `e` is in the policy's sensitive
    /// set (`docs/language.md`, "Sensitive attributes").
    pub(crate) fn sensitive(&self, tree: &Tree, e: NodeId, name: &str) -> bool {
        // Form state has its own channel, `value`: never in the set.
        if is_form_state(tree, e, name) {
            return false;
        }
        // An entry is a name, or a `PREFIX*` that covers every name it
        // starts.
        let entry_covers = |entry: &str, n: &str| match entry.strip_suffix('*') {
            Some(prefix) => starts_with_prefix(n, prefix),
            None => entry.eq_ignore_ascii_case(n),
        };
        let listed = |names: &[String], n: &str| names.iter().any(|x| entry_covers(x, n));
        match &self.artifact.sensitive_attributes {
            SensitiveAttributes::AllExcept { names } => !listed(names, name),
            SensitiveAttributes::Only { names, builtin } => {
                // SVG's `xlink:href` is its `href`.
                let is_href =
                    name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("xlink:href");
                let key = if is_href { "href" } else { name };
                // A pattern the policy wrote covers the name on any element.
                let by_pattern = names
                    .iter()
                    .filter(|x| x.ends_with('*'))
                    .any(|x| entry_covers(x, name) || entry_covers(x, key));
                if by_pattern {
                    return true;
                }
                if !listed(names, key) {
                    return false;
                }
                if !builtin {
                    return true;
                }
                if is_href {
                    // Only contact links, by the scheme the URL parser reads.
                    let value = tree.node(e).attr(name).unwrap_or("");
                    return url::Url::parse(value).is_ok_and(|u| {
                        ["mailto", "tel", "sms", "callto", "facetime"].contains(&u.scheme())
                    });
                }
                if name.eq_ignore_ascii_case("value") {
                    return is_button(tree, e);
                }
                true
            }
        }
    }
}

/// Whether `name` starts with `prefix`, ASCII case ignored.
fn starts_with_prefix(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len()
        && name.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Form state written as an attribute (`docs/language.md`, "Sensitive
/// attributes"): the `value` of an input that is not a button, of a
/// textarea, a select or an option; `checked` on inputs; `selected` on
/// options.
fn is_form_state(tree: &Tree, e: NodeId, name: &str) -> bool {
    let node = tree.node(e);
    if !node.is_html() {
        return false;
    }
    let value = name.eq_ignore_ascii_case("value");
    match node.local_name.as_str() {
        "input" => (value && !is_button(tree, e)) || name.eq_ignore_ascii_case("checked"),
        "option" => value || name.eq_ignore_ascii_case("selected"),
        "textarea" | "select" => value,
        _ => false,
    }
}

/// `<button>`, or `<input>` of type button, submit or reset (the type read
/// exactly as the browser reads the enumerated attribute: any case, no
/// surrounding spaces).
fn is_button(tree: &Tree, e: NodeId) -> bool {
    let node = tree.node(e);
    if !node.is_html() {
        return false;
    }
    match node.local_name.as_str() {
        "button" => true,
        "input" => node.attr("type").is_some_and(|t| {
            ["button", "submit", "reset"]
                .iter()
                .any(|b| t.eq_ignore_ascii_case(b))
        }),
        _ => false,
    }
}

/// Step 3: the value floor of password inputs (also inputs that were ever
/// of type password), `type=hidden` inputs (the type compared ignoring case
/// and surrounding whitespace), and inputs whose `autocomplete` has a
/// `cc-*`, `current-password`, `new-password` or `one-time-code` token.
fn value_floor(tree: &Tree, e: NodeId) -> bool {
    let node = tree.node(e);
    if !node.is_html() || !node.local_name.eq_ignore_ascii_case("input") {
        return false;
    }
    let typed = node.attr("type").is_some_and(|t| {
        let t = t.trim();
        t.eq_ignore_ascii_case("password") || t.eq_ignore_ascii_case("hidden")
    });
    let autocomplete = node.attr("autocomplete").is_some_and(|a| {
        a.split_ascii_whitespace().any(|token| {
            let token = token.to_ascii_lowercase();
            token.starts_with("cc-")
                || ["current-password", "new-password", "one-time-code"].contains(&token.as_str())
        })
    });
    node.was_password || typed || autocomplete
}
