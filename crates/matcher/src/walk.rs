//! The top-down walk: one pass over a document, constant inherited state per
//! level, so an element's decision costs the rules that match it, not its
//! depth.
//!
//! Per level the walker keeps, for every channel key, the nearest element
//! (by depth) that matched a mask/allow rule for it, with the lowest mask
//! rule there, and the nearest sealed mask; plus whether an ancestor is
//! blocked. A child copies that state only when rules match it; otherwise it
//! shares its parent's. The ancestor Bloom filter gets each element's hashes
//! when its first child is entered (a leaf is never an ancestor: most
//! elements are never hashed) and loses them when it is left.

use crate::decision::{ChannelOutcome, ChannelRef, Decision, Status};
use crate::element::{Element, element_hashes};
use crate::mask::STARS;
use crate::page::{Page, PageDecision};
use crate::policy::{KEY_ATTRIBUTES, KEY_EVENTS, KEY_MEDIA, KEY_TEXT, KEY_VALUE};
use crate::vocabulary::{is_sensitive, is_value_floor};
use scrim_artifact::Action;
use selectors::bloom::BloomFilter;
use selectors::context::SelectorCaches;
use std::borrow::Cow;
use std::marker::PhantomData;

const NONE: u32 = u32::MAX;

/// Nearest-rule and sealed-mask state of one channel key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    /// Depth (1-based) of the nearest element with a mask/allow rule for the
    /// key, 0 for none.
    near_depth: u32,
    /// The lowest-index mask rule at that element, or `NONE`.
    near_mask: u32,
    /// Depth of the nearest element with a sealed mask, 0 for none.
    sealed_depth: u32,
    /// The lowest-index sealed mask rule there.
    sealed_rule: u32,
}

const EMPTY: Slot = Slot {
    near_depth: 0,
    near_mask: NONE,
    sealed_depth: 0,
    sealed_rule: NONE,
};

/// Steps 4 and 5 over the slots of every key that covers one channel.
#[derive(Debug, Clone, Copy)]
struct Covering {
    /// The depth of the nearest sealed mask, and its lowest rule there.
    sealed: (u32, u32),
    /// The depth of the nearest element with a rule, and its lowest mask
    /// rule there (`NONE`: only allows).
    near: (u32, u32),
}

impl Default for Covering {
    fn default() -> Self {
        Covering {
            sealed: (0, NONE),
            near: (0, NONE),
        }
    }
}

impl Covering {
    fn add(&mut self, s: Slot) {
        if s.sealed_depth > self.sealed.0
            || (s.sealed_depth == self.sealed.0 && s.sealed_rule < self.sealed.1)
        {
            self.sealed = (s.sealed_depth, s.sealed_rule);
        }
        if s.near_depth > self.near.0 {
            self.near = (s.near_depth, s.near_mask);
        } else if s.near_depth == self.near.0 {
            self.near.1 = self.near.1.min(s.near_mask);
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Level<E> {
    element: E,
    /// Index into `states`.
    state: u32,
    /// Whether this level pushed its own state.
    owns_state: bool,
    /// Whether the element's hashes are in the Bloom filter (from when
    /// its first child is entered).
    hashed: bool,
    status: Status,
    /// Where this element's hashes start in `hashes`.
    hash_start: u32,
}

/// A top-down walk over one document of a page. Call [`Walker::enter`] for
/// each element in document order and [`Walker::leave`] when its subtree is
/// done; the walker needs nothing else, so a 100k-deep document costs no
/// recursion.
pub struct Walker<'a, 'p, E> {
    page: &'a Page<'p>,
    levels: Vec<Level<E>>,
    /// The states of the levels that own one, one after the other, each
    /// one slot per channel key (one vector, so that a level pushing a
    /// state allocates nothing once the walk is deep enough). State 0 is
    /// the empty state of the document root's parent.
    states: Vec<Slot>,
    /// Slots per state: the policy's channel keys.
    keys: usize,
    hashes: Vec<u32>,
    bloom: Box<BloomFilter>,
    caches: Box<SelectorCaches>,
    matched: Vec<u32>,
    _element: PhantomData<E>,
}

impl<E> std::fmt::Debug for Walker<'_, '_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Walker")
            .field("depth", &self.levels.len())
            .finish_non_exhaustive()
    }
}

impl<'p> Page<'p> {
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
}

impl<'a, 'p, E: Element> Walker<'a, 'p, E> {
    fn new(page: &'a Page<'p>) -> Self {
        Walker {
            page,
            levels: Vec::new(),
            states: vec![EMPTY; page.policy.key_count()],
            keys: page.policy.key_count(),
            hashes: Vec::new(),
            bloom: Box::default(),
            caches: Box::default(),
            matched: Vec::new(),
            _element: PhantomData,
        }
    }

    /// Where state `state` is in `states`.
    fn state_range(&self, state: u32) -> std::ops::Range<usize> {
        let start = state as usize * self.keys;
        start..start + self.keys
    }

    /// How many elements are entered and not yet left.
    pub fn depth(&self) -> usize {
        self.levels.len()
    }

    /// Decides `element`, a child of the element entered last (or a root
    /// when none is), and makes it the current element.
    pub fn enter(&mut self, element: E) -> Decision<'p> {
        let depth = self.levels.len() as u32 + 1;
        let parent = self.levels.last().copied();
        let parent_state = parent.map_or(0, |l| l.state);
        let hash_start = self.hashes.len() as u32;
        let mut level = Level {
            element,
            state: parent_state,
            owns_state: false,
            hashed: false,
            status: Status::Recorded,
            hash_start,
        };

        if self.page.decision != PageDecision::Record {
            level.status = Status::PageOff;
            self.levels.push(level);
            return Decision::off(Status::PageOff);
        }
        if let Some(p) = parent
            && matches!(p.status, Status::Placeholder | Status::Hidden)
        {
            // Step 2: nothing inside a blocked element is looked at.
            level.status = Status::Hidden;
            self.levels.push(level);
            return Decision::off(Status::Hidden);
        }

        // The parent becomes an ancestor: its hashes join the filter (its
        // ancestors' are there already, from its own entry).
        if let Some(p) = self.levels.last_mut()
            && !p.hashed
        {
            p.hashed = true;
            p.hash_start = self.hashes.len() as u32;
            element_hashes(&p.element, |h| {
                self.hashes.push(h);
                self.bloom.insert_hash(h);
            });
        }
        let hash_start = self.hashes.len() as u32;
        level.hash_start = hash_start;

        let policy = self.page.policy;
        // The parent's hashes, for the rules filed under its names.
        let parent_hashes = match self.levels.last() {
            Some(p) => &self.hashes[p.hash_start as usize..hash_start as usize],
            None => &[],
        };
        self.page.index.matching_rules(
            element,
            Some(&self.bloom),
            parent_hashes,
            &mut self.caches,
            &mut self.matched,
        );
        let rules = &policy.rules;
        if self
            .matched
            .iter()
            .any(|&r| rules[r as usize].action == Action::Block)
        {
            level.status = Status::Placeholder;
            self.levels.push(level);
            return Decision::off(Status::Placeholder);
        }
        if !self.matched.is_empty() {
            level.state = (self.states.len() / self.keys) as u32;
            level.owns_state = true;
            let parent_slots = self.state_range(parent_state);
            self.states.extend_from_within(parent_slots);
            let own_slots = self.state_range(level.state);
            let state = &mut self.states[own_slots];
            for &r in &self.matched {
                let rule = &rules[r as usize];
                let mask = rule.action == Action::Mask;
                for &key in &rule.keys {
                    let slot = &mut state[usize::from(key)];
                    if slot.near_depth != depth {
                        slot.near_depth = depth;
                        slot.near_mask = NONE;
                    }
                    if mask {
                        slot.near_mask = slot.near_mask.min(r);
                    }
                    if rule.sealed && slot.sealed_depth != depth {
                        // `matched` is sorted: the first sealed rule here
                        // is the lowest.
                        slot.sealed_depth = depth;
                        slot.sealed_rule = r;
                    }
                }
            }
        }
        self.levels.push(level);
        Decision {
            status: Status::Recorded,
            text: self.resolve(element, ChannelRef::Text),
            value: self.resolve(element, ChannelRef::Value),
            media: self.resolve(element, ChannelRef::Media),
            events: self.resolve(element, ChannelRef::Events),
        }
    }

    /// Leaves the current element: its subtree is done.
    pub fn leave(&mut self) {
        let Some(level) = self.levels.pop() else {
            return;
        };
        if level.owns_state {
            self.states.truncate(self.state_range(level.state).start);
        }
        for h in self.hashes.drain(level.hash_start as usize..) {
            self.bloom.remove_hash(h);
        }
    }

    /// Enters every ancestor of `element` from the root down, then
    /// `element`: a single decision from the ancestor chain.
    pub(crate) fn enter_chain(&mut self, element: E) -> Decision<'p> {
        let mut chain = vec![element];
        let mut cur = element;
        while let Some(p) = cur.parent() {
            chain.push(p);
            cur = p;
        }
        let last = chain.len() - 1;
        for (i, e) in chain.into_iter().rev().enumerate() {
            let d = self.enter(e);
            if i == last {
                return d;
            }
            if d.status != Status::Recorded {
                // Everything below is decided: skip the matching.
                let status = if d.status == Status::PageOff {
                    Status::PageOff
                } else {
                    Status::Hidden
                };
                return Decision::off(status);
            }
        }
        Decision::off(Status::Hidden)
    }

    /// One channel of the current element (the one entered last).
    pub fn channel(&self, element: E, channel: ChannelRef<'_>) -> ChannelOutcome<'p> {
        match self.levels.last() {
            Some(l) if l.status == Status::Recorded => self.resolve(element, channel),
            _ => ChannelOutcome::Off,
        }
    }

    /// One attribute of the current element.
    pub fn attribute(&self, element: E, name: &str) -> ChannelOutcome<'p> {
        self.channel(element, ChannelRef::Attr(name))
    }

    /// Steps 3 to 6 for the current element, from the level state.
    fn resolve(&self, element: E, channel: ChannelRef<'_>) -> ChannelOutcome<'p> {
        let page = self.page;
        let policy = page.policy;
        let Some(level) = self.levels.last() else {
            return ChannelOutcome::Off;
        };
        if level.state == 0 {
            // No rule matched this element or any ancestor (state 0 is the
            // empty one, every slot unset): steps 4 and 5 cannot decide, so
            // the floors, then the defaults.
            return match channel {
                ChannelRef::Value if is_value_floor(&element) => ChannelOutcome::Mask(&STARS),
                _ => page.default_for(&element, channel).channel_outcome(),
            };
        }
        let state = &self.states[self.state_range(level.state)];
        // Steps 4 and 5 read the slot of every key that covers the channel:
        // for an attribute, its `attr:NAME`, each `attr:PREFIX*` it starts
        // with, and `attributes` when it is in the sensitive set.
        let mut covering = Covering::default();
        // For an attribute, whether it is in the sensitive set: asked once,
        // for the group key and for the default.
        let mut sensitive = false;
        match channel {
            ChannelRef::Text => covering.add(state[usize::from(KEY_TEXT)]),
            ChannelRef::Value => covering.add(state[usize::from(KEY_VALUE)]),
            ChannelRef::Media => covering.add(state[usize::from(KEY_MEDIA)]),
            ChannelRef::Events => covering.add(state[usize::from(KEY_EVENTS)]),
            ChannelRef::Attr(name) => {
                if policy.names_attributes() {
                    let lower = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                        Cow::Owned(name.to_ascii_lowercase())
                    } else {
                        Cow::Borrowed(name)
                    };
                    if let Some(key) = policy.attr_key(&lower) {
                        covering.add(state[usize::from(key)]);
                    }
                    policy.prefix_keys(&lower, |key| covering.add(state[usize::from(key)]));
                }
                sensitive = is_sensitive(policy, &element, name);
                if sensitive {
                    covering.add(state[usize::from(KEY_ATTRIBUTES)]);
                }
            }
        }
        // Step 3: floors.
        if channel == ChannelRef::Value && is_value_floor(&element) {
            return ChannelOutcome::Mask(&STARS);
        }
        // Step 4: the nearest sealed mask among the keys covering the channel.
        if covering.sealed.0 > 0 {
            return ChannelOutcome::Mask(
                &policy.artifact.rules[covering.sealed.1 as usize].strategy,
            );
        }
        // Step 5: the nearest element with a rule; mask beats allow there.
        let near = covering.near;
        if near.0 > 0 {
            return if near.1 == NONE {
                ChannelOutcome::Capture
            } else {
                ChannelOutcome::Mask(&policy.artifact.rules[near.1 as usize].strategy)
            };
        }
        // Step 6: the default.
        page.default_knowing(channel, sensitive).channel_outcome()
    }
}
