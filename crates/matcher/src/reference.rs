//! The explanation engine behind [`Page::explain`]: why a channel of an
//! element ended as it did.
//!
//! It follows the numbered resolution rules of the design one by one and is
//! deliberately simple: every rule of the scopes that apply is tried against
//! the element and each of its ancestors, with no index and no Bloom filter,
//! so that it can list every rule that matched (the deciding ones and those
//! that lost). It shares the definitions of the terms it uses (which
//! attributes are sensitive, which inputs have a floor, what the default of a
//! channel is, how selectors match) with the fast path, so it is not an
//! oracle for them: the property tests check both against `scrim-oracle`,
//! which shares nothing with either.
//!
//! [`Page::explain`]: crate::Page::explain

use crate::decision::{ChannelOutcome, ChannelRef, Status};
use crate::element::{Element, Matchable, matching_context};
use crate::explain::{Cause, Explanation, Lost, Step};
use crate::mask::STARS;
use crate::page::{Page, PageDecision};
use crate::vocabulary::{channel_covers_attribute, is_sensitive, is_value_floor};
use scrim_artifact::{Action, Channel, Outcome, Rule};
use selectors::context::SelectorCaches;
use selectors::matching::matches_selector_list;

/// Whether a rule names the channel, for element `e` (whose attribute it is).
fn covers<E: Element>(page: &Page<'_>, rule: &Rule, e: &E, channel: ChannelRef<'_>) -> bool {
    rule.channels.iter().any(|c| match (c, channel) {
        (Channel::Text, ChannelRef::Text)
        | (Channel::Value, ChannelRef::Value)
        | (Channel::Media, ChannelRef::Media)
        | (Channel::Events, ChannelRef::Events) => true,
        (Channel::Attr(_) | Channel::AttrPrefix(_), ChannelRef::Attr(name)) => {
            channel_covers_attribute(c, name)
        }
        (Channel::Attributes, ChannelRef::Attr(name)) => is_sensitive(page.policy, e, name),
        _ => false,
    })
}

/// Explains one channel of one element, following the design's steps.
pub(crate) fn explain<'p, E: Element>(
    page: &Page<'p>,
    element: E,
    channel: ChannelRef<'_>,
) -> Explanation<'p> {
    let policy = page.policy;
    let artifact = &policy.artifact;
    let off = |status, step, deciding, lost| Explanation {
        status,
        outcome: ChannelOutcome::Off,
        step,
        deciding,
        lost,
    };

    // 1. The page is off: nothing is recorded.
    if let PageDecision::Off { rule, .. } = &page.decision {
        // An unreadable URL is off by itself, with no rule to point at.
        let causes = rule
            .iter()
            .map(|rule| Cause::PageRule {
                id: &rule.id,
                loc: rule.loc,
            })
            .collect();
        return off(Status::PageOff, Step::PageOff, causes, Vec::new());
    }

    // The element and its ancestors, nearest first (levels up = position).
    let mut chain = vec![element];
    while let Some(parent) = chain[chain.len() - 1].parent() {
        chain.push(parent);
    }
    // Every rule of the scopes that apply, against every element of the chain.
    let mut caches = SelectorCaches::default();
    let mut matched: Vec<(usize, usize)> = Vec::new(); // (levels up, rule)
    for (levels_up, e) in chain.iter().enumerate() {
        for (r, rule) in artifact.rules.iter().enumerate() {
            if !page.applies[rule.scope as usize] {
                continue;
            }
            let mut context = matching_context(None, &mut caches);
            if matches_selector_list(&policy.rules[r].selectors, Matchable(*e), &mut context) {
                matched.push((levels_up, r));
            }
        }
    }
    let cause = |&(levels_up, r): &(usize, usize)| Cause::Rule {
        id: &artifact.rules[r].id,
        loc: artifact.rules[r].loc,
        levels_up,
    };
    let lose = |&(levels_up, r): &(usize, usize), beaten_by| Lost {
        id: &artifact.rules[r].id,
        loc: artifact.rules[r].loc,
        levels_up,
        beaten_by,
    };

    // 2. Block is absorbing: the outermost blocked element is the placeholder.
    let blocks: Vec<_> = matched
        .iter()
        .filter(|(_, r)| artifact.rules[*r].action == Action::Block)
        .collect();
    if let Some(outermost) = blocks.iter().map(|(l, _)| *l).max() {
        let status = if outermost == 0 {
            Status::Placeholder
        } else {
            Status::Hidden
        };
        let deciding: Vec<_> = blocks
            .iter()
            .filter(|(l, _)| *l == outermost)
            .map(|(_, r)| *r)
            .collect();
        // Every other rule that matched, anywhere on the chain, loses: a
        // deciding rule is not also listed where it matched nearer.
        let lost = matched
            .iter()
            .filter(|(_, r)| !deciding.contains(r))
            .map(|m| lose(m, Step::Block))
            .collect();
        let deciding = deciding.iter().map(|&r| cause(&(outermost, r))).collect();
        return off(status, Step::Block, deciding, lost);
    }

    // The mask and allow rules for this channel, nearest first, then in
    // source order.
    let covering: Vec<(usize, usize)> = matched
        .iter()
        .copied()
        .filter(|(_, r)| {
            let rule = &artifact.rules[*r];
            rule.action != Action::Block && covers(page, rule, &element, channel)
        })
        .collect();
    let recorded = |outcome, step, deciding: Vec<Cause<'p>>, mut lost: Vec<Lost<'p>>| {
        // A deciding rule that also matched farther up did not lose: it won
        // at its nearest match, so listing it again would only confuse.
        lost.retain(|l| {
            !deciding
                .iter()
                .any(|d| matches!(d, Cause::Rule { id, .. } if *id == l.id))
        });
        Explanation {
            status: Status::Recorded,
            outcome,
            step,
            deciding,
            lost,
        }
    };

    // 3. Floors that no rule can lift.
    if channel == ChannelRef::Value && is_value_floor(&element) {
        let lost = covering.iter().map(|m| lose(m, Step::Floor)).collect();
        return recorded(
            ChannelOutcome::Mask(&STARS),
            Step::Floor,
            vec![Cause::Floor],
            lost,
        );
    }

    // 4. A sealed mask on E or any ancestor masks the channel: as at step
    //    5, every sealed mask on the nearest element with one decides, the
    //    first in source order giving the strategy.
    let sealed: Vec<_> = covering
        .iter()
        .filter(|(_, r)| {
            let rule = &artifact.rules[*r];
            rule.action == Action::Mask && rule.sealed
        })
        .collect();
    if let Some(&&(nearest, first)) = sealed.first() {
        let deciding: Vec<(usize, usize)> = sealed
            .iter()
            .filter(|(l, _)| *l == nearest)
            .map(|m| **m)
            .collect();
        let lost = covering
            .iter()
            .filter(|m| !deciding.contains(m))
            .map(|m| lose(m, Step::Sealed))
            .collect();
        return recorded(
            ChannelOutcome::Mask(&artifact.rules[first].strategy),
            Step::Sealed,
            deciding.iter().map(&cause).collect(),
            lost,
        );
    }

    // 5. Nearest explicit rule: the first element up the chain that matches
    //    any mask or allow rule for the channel; a mask there beats an allow.
    if let Some(&(nearest, _)) = covering.first() {
        let here: Vec<_> = covering.iter().filter(|(l, _)| *l == nearest).collect();
        let masks: Vec<_> = here
            .iter()
            .filter(|(_, r)| artifact.rules[*r].action == Action::Mask)
            .collect();
        let (outcome, deciding): (ChannelOutcome<'p>, Vec<_>) = match masks.first() {
            Some(first) => (
                ChannelOutcome::Mask(&artifact.rules[first.1].strategy),
                masks.iter().map(|m| cause(m)).collect(),
            ),
            None => (
                ChannelOutcome::Capture,
                here.iter().map(|m| cause(m)).collect(),
            ),
        };
        let lost = covering
            .iter()
            // Everything farther up, and the allows here (which decide
            // when no mask is here: `recorded` takes deciding rules off).
            .filter(|m| {
                let (l, r) = **m;
                l != nearest || artifact.rules[r].action == Action::Allow
            })
            .map(|m| lose(m, Step::NearestRule))
            .collect();
        return recorded(outcome, Step::NearestRule, deciding, lost);
    }

    // 6. No rule: the default of the scopes that apply, else the built-in.
    let slot = page.default_for(&element, channel);
    let outcome = match slot.outcome {
        Outcome::Capture => ChannelOutcome::Capture,
        Outcome::Mask => ChannelOutcome::Mask(&STARS),
    };
    let cause = match slot.from {
        Some(i) => Cause::Default {
            loc: artifact.defaults[i].loc,
        },
        None => Cause::BuiltinDefault,
    };
    recorded(outcome, Step::Default, vec![cause], Vec::new())
}
