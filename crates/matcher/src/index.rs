//! The rule index, as browser engines build it: every selector is filed
//! under the most selective key its rightmost compound selector requires of
//! the element (its id, a class, an attribute of a given value, an
//! attribute name, its tag), so an element only tries the selectors that
//! can possibly match it. A selector whose rightmost compound has at most a
//! tag and whose next combinator is `>` (`.list > li`) is filed under a
//! name of the parent compound instead, and found from the parent's hashes
//! the walker already keeps for the ancestor Bloom filter; anything else
//! goes to the universal list. Each selector tried is first checked against
//! the tag its rightmost compound requires and the ancestor Bloom filter,
//! with the tag's key and the hashes kept next to it, so most are rejected
//! without touching the selector; a selector several rules share is
//! matched once for all of them. Only the rules of scopes that apply to the
//! page are filed.
//!
//! Keys are 64-bit hashes of the name, case-folded where selectors may
//! compare case-insensitively (tag and attribute names, attribute values),
//! so looking an element up never allocates. Two names that collide only
//! make an element try a selector that then fails to match: a key narrows
//! the search, the match decides.

use crate::element::{Element, Matchable, matching_context};
use crate::policy::Policy;
use scrim_selector::Selector;
use selectors::FxHashMap;
use selectors::attr::{AttrSelectorOperator, ParsedAttrSelectorOperation};
use selectors::bloom::BloomFilter;
use selectors::context::SelectorCaches;
use selectors::matching::{matches_selector, selector_may_match};
use selectors::parser::{AncestorHashes, Combinator, Component};
use std::ops::Range;

/// What a key requires of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Id(u64),
    Class(u64),
    Attr(u64),
    /// An attribute of a value (`[name="value"]`): `name` is the key of the
    /// attribute name, `pair` of name and value, both case-folded (a value
    /// may compare either way; the match decides).
    AttrValue {
        name: u64,
        pair: u64,
    },
    Tag(u64),
}

/// Where the index files a selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filing {
    /// Under a key of the element itself.
    Own(Key),
    /// Under a name its parent must have, as the parent's hash in the
    /// ancestor Bloom filter: a selector whose rightmost compound has at
    /// most a tag (`.list > li`, `#menu > *`) is tried on the children of
    /// the elements with its parent compound's id, class, attribute or tag
    /// rather than on every element of the tag.
    Parent(u32),
    /// Tried on every element.
    Universal,
}

// Seeds that keep the kinds of key apart: an id and a class of the same
// text are different keys.
const SEED_ID: u64 = 1;
const SEED_CLASS: u64 = 2;
const SEED_ATTR: u64 = 3;
const SEED_TAG: u64 = 4;
const SEED_ATTR_VALUE: u64 = 5;

/// One step of FxHash.
fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// ASCII lower-case of eight bytes at once (other bytes unchanged), as
/// `u8::to_ascii_lowercase` does to each.
fn ascii_lowercase_word(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = word & (0x7f * ONES);
    // The top bit of each byte: at least `A`, above `Z`, ASCII.
    let at_least_a = low7 + (0x80 - u64::from(b'A')) * ONES;
    let above_z = low7 + (0x80 - u64::from(b'Z') - 1) * ONES;
    let upper = at_least_a & !above_z & !word & (0x80 * ONES);
    word | (upper >> 2)
}

/// The hash of `text` after `seed`, ASCII case-folded when `fold`.
#[inline]
fn hash_text(seed: u64, text: &str, fold: bool) -> u64 {
    let fold_word = |w: u64| if fold { ascii_lowercase_word(w) } else { w };
    let (words, rest) = text.as_bytes().as_chunks::<8>();
    let mut h = seed ^ text.len() as u64;
    for &word in words {
        h = mix(h, fold_word(u64::from_le_bytes(word)));
    }
    if !rest.is_empty() {
        h = mix(h, fold_word(tail_word(rest)));
    }
    h
}

/// One word of the 1 to 7 bytes `rest`, read in few steps (some bytes may
/// count twice: the length is hashed too), each byte in a byte of the word
/// so that folding it folds the bytes.
fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    if n >= 4 {
        let first = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let last = u32::from_le_bytes([rest[n - 4], rest[n - 3], rest[n - 2], rest[n - 1]]);
        u64::from(first) | (u64::from(last) << 32)
    } else {
        u64::from(rest[0]) | (u64::from(rest[n / 2]) << 8) | (u64::from(rest[n - 1]) << 16)
    }
}

impl Key {
    #[inline]
    fn id(id: &str) -> Key {
        Key::Id(hash_text(SEED_ID, id, false))
    }
    #[inline]
    fn class(class: &str) -> Key {
        Key::Class(hash_text(SEED_CLASS, class, false))
    }
    /// Attribute and tag names are folded: a selector compares them
    /// case-insensitively on HTML elements and exactly on others, and the
    /// folded key serves both (the match decides).
    #[inline]
    fn attr(name: &str) -> Key {
        Key::Attr(hash_text(SEED_ATTR, name, true))
    }
    fn attr_value(name: &str, value: &str) -> Key {
        Key::AttrValue {
            name: hash_text(SEED_ATTR, name, true),
            pair: attr_value_hash(name, value),
        }
    }
    #[inline]
    fn tag(name: &str) -> Key {
        Key::Tag(hash_text(SEED_TAG, name, true))
    }

    /// The key of its slot.
    fn hash(self) -> u64 {
        match self {
            Key::Id(h) | Key::Class(h) | Key::Attr(h) | Key::Tag(h) => h,
            Key::AttrValue { pair, .. } => pair,
        }
    }

    /// Which lookups find it: an attribute value is looked up from its
    /// attribute name.
    fn kind(self) -> u8 {
        match self {
            Key::Id(_) => KIND_ID,
            Key::Class(_) => KIND_CLASS,
            Key::Attr(_) | Key::AttrValue { .. } => KIND_ATTR,
            Key::Tag(_) => KIND_TAG,
        }
    }

    fn selectivity(self) -> u8 {
        match self {
            Key::Id(_) => ID_SELECTIVITY,
            Key::Class(_) => CLASS_SELECTIVITY,
            Key::AttrValue { .. } => ATTR_VALUE_SELECTIVITY,
            Key::Attr(_) => ATTR_SELECTIVITY,
            Key::Tag(_) => TAG_SELECTIVITY,
        }
    }
}

// How few elements have a key, roughly: an id is rarer than a class, a
// class than an attribute of a given value, that than an attribute name,
// that than a tag.
const ID_SELECTIVITY: u8 = 5;
const CLASS_SELECTIVITY: u8 = 4;
const ATTR_VALUE_SELECTIVITY: u8 = 3;
const ATTR_SELECTIVITY: u8 = 2;
const TAG_SELECTIVITY: u8 = 1;

fn attr_value_hash(name: &str, value: &str) -> u64 {
    hash_text(hash_text(SEED_ATTR_VALUE, name, true), value, true)
}

/// The most selective key of the compound `components` (one compound
/// selector: the iterator stops at its combinator).
fn compound_key<'a>(
    components: impl Iterator<Item = &'a Component<scrim_selector::ScrimImpl>>,
) -> Option<Key> {
    let mut best: Option<Key> = None;
    for c in components {
        let key = match c {
            Component::ID(name) => Key::id(name.as_str()),
            Component::Class(name) => Key::class(name.as_str()),
            Component::AttributeInNoNamespaceExists {
                local_name_lower, ..
            } => Key::attr(local_name_lower.as_str()),
            Component::AttributeInNoNamespace {
                local_name,
                operator: AttrSelectorOperator::Equal,
                value,
                ..
            } => Key::attr_value(local_name.as_str(), value.as_str()),
            Component::AttributeInNoNamespace { local_name, .. } => Key::attr(local_name.as_str()),
            // `[*|name]` and `[|name]` too: the elements scrim decides have
            // their attributes in no namespace, so any attribute selector
            // requires an attribute of its name.
            Component::AttributeOther(a) => match &a.operation {
                ParsedAttrSelectorOperation::WithValue {
                    operator: AttrSelectorOperator::Equal,
                    value,
                    ..
                } => Key::attr_value(a.local_name_lower.as_str(), value.as_str()),
                _ => Key::attr(a.local_name_lower.as_str()),
            },
            Component::LocalName(l) => Key::tag(l.lower_name.as_str()),
            _ => continue,
        };
        if best.is_none_or(|b| key.selectivity() > b.selectivity()) {
            best = Some(key);
        }
    }
    best
}

impl Filing {
    /// Filings by slot: the same hash in the same place is the same slot.
    fn order(self) -> (u8, u64) {
        match self {
            Filing::Own(key) => (0, key.hash()),
            Filing::Parent(hash) => (1, u64::from(hash)),
            Filing::Universal => (2, 0),
        }
    }
}

/// The most selective name of the parent compound `components`, with the
/// hash `element_hashes` gives it: an id, a class, or, as the ancestor Bloom
/// filter takes them, an attribute or tag name written in lower case (an
/// HTML parent then has the same hash, as its names are lower case, and a
/// parent of another namespace matches the name only if it is exactly the
/// same).
fn parent_key<'a>(
    components: impl Iterator<Item = &'a Component<scrim_selector::ScrimImpl>>,
) -> Option<(u8, u32)> {
    let lower =
        |name: &scrim_selector::Name| !name.as_str().bytes().any(|b| b.is_ascii_uppercase());
    let mut best: Option<(u8, u32)> = None;
    for c in components {
        let (selectivity, name) = match c {
            Component::ID(name) => (ID_SELECTIVITY, name),
            Component::Class(name) => (CLASS_SELECTIVITY, name),
            Component::AttributeInNoNamespaceExists { local_name, .. }
            | Component::AttributeInNoNamespace { local_name, .. }
                if lower(local_name) =>
            {
                (ATTR_SELECTIVITY, local_name)
            }
            Component::AttributeOther(a) if lower(&a.local_name) => {
                (ATTR_SELECTIVITY, &a.local_name)
            }
            Component::LocalName(l) if lower(&l.name) => (TAG_SELECTIVITY, &l.name),
            _ => continue,
        };
        if best.is_none_or(|(b, _)| selectivity > b) {
            best = Some((selectivity, scrim_selector::hash_name(name.as_str())));
        }
    }
    best
}

/// The key of the tag the rightmost compound of `selector` requires.
fn required_tag(selector: &Selector) -> Option<u64> {
    selector.iter().find_map(|c| match c {
        Component::LocalName(l) => Some(Key::tag(l.lower_name.as_str()).hash()),
        _ => None,
    })
}

/// Where `selector` is filed.
pub(crate) fn filing(selector: &Selector) -> Filing {
    let mut compounds = selector.iter();
    let own = compound_key(compounds.by_ref());
    let own_selectivity = own.map_or(0, Key::selectivity);
    if own_selectivity <= TAG_SELECTIVITY
        && compounds.next_sequence() == Some(Combinator::Child)
        && let Some((selectivity, hash)) = parent_key(compounds.by_ref())
        && selectivity > own_selectivity
    {
        return Filing::Parent(hash);
    }
    match own {
        Some(key) => Filing::Own(key),
        None => Filing::Universal,
    }
}

const KIND_ID: u8 = 1;
const KIND_CLASS: u8 = 2;
const KIND_ATTR: u8 = 4;
const KIND_TAG: u8 = 8;

/// A range of [`Index::candidates`] or [`Index::rules`].
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The candidates filed under one key.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    candidates: Span,
    /// For an attribute name: whether some selector wants a value of it,
    /// so that an element's value is hashed only then.
    values: bool,
}

/// Candidates by key of the element itself.
#[derive(Debug, Default)]
struct Buckets {
    slots: FxHashMap<u64, Slot>,
    /// The `KIND_*` of the keys present: an element skips the lookups no
    /// selector needs.
    kinds: u8,
}

impl Buckets {
    fn file(&mut self, key: Key, candidates: Span) {
        self.kinds |= key.kind();
        self.slots.entry(key.hash()).or_default().candidates = candidates;
        if let Key::AttrValue { name, .. } = key {
            self.slots.entry(name).or_default().values = true;
        }
    }

    fn lookup(&self, hash: u64, f: &mut impl FnMut(Span)) -> Option<Slot> {
        let slot = *self.slots.get(&hash)?;
        f(slot.candidates);
        Some(slot)
    }

    /// Calls `f` with the candidates of every key `element` has; `tag` is
    /// the key of its tag.
    fn for_each_key<E: Element>(&self, element: E, tag: Key, f: &mut impl FnMut(Span)) {
        if self.kinds & KIND_ID != 0
            && let Some(id) = element.id()
        {
            self.lookup(Key::id(id).hash(), f);
        }
        if self.kinds & KIND_CLASS != 0 {
            for class in element.classes() {
                self.lookup(Key::class(class).hash(), f);
            }
        }
        if self.kinds & KIND_ATTR != 0 {
            for (name, value) in element.attributes() {
                if let Some(slot) = self.lookup(Key::attr(name).hash(), f)
                    && slot.values
                {
                    self.lookup(attr_value_hash(name, value), f);
                }
            }
        }
        if self.kinds & KIND_TAG != 0 {
            self.lookup(tag.hash(), f);
        }
    }
}

/// A selector of some rules, with what rejects it early.
#[derive(Debug)]
struct Candidate<'p> {
    hashes: AncestorHashes,
    /// The key of the tag its rightmost compound requires, if any: a
    /// selector filed under a class or a parent's name (`span.price`,
    /// `.list > li`) is mostly tried on elements of other tags.
    tag: Option<u64>,
    selector: &'p Selector,
    /// The rules whose lists hold the selector.
    rules: Span,
}

impl Candidate<'_> {
    /// Whether an element of tag `tag` whose ancestors' hashes are in
    /// `bloom` may match, as far as checks that do not read the selector
    /// tell.
    fn may_match(&self, tag: Key, bloom: Option<&BloomFilter>) -> bool {
        self.tag.is_none_or(|t| t == tag.hash())
            && bloom.is_none_or(|bloom| selector_may_match(&self.hashes, bloom))
    }
}

#[derive(Debug, Default)]
pub(crate) struct Index<'p> {
    own: Buckets,
    /// Candidates by name of the parent, as its hash in the Bloom filter.
    parent: FxHashMap<u32, Span>,
    universal: Span,
    /// Contiguous per key.
    candidates: Vec<Candidate<'p>>,
    rules: Vec<u32>,
}

impl<'p> Index<'p> {
    pub(crate) fn build(policy: &'p Policy, keep_scope: impl Fn(usize) -> bool) -> Self {
        // (filing, first rule with the same selectors, selector, rule).
        let mut filed: Vec<(Filing, u32, usize, u32)> = Vec::new();
        for (r, rule) in policy.rules.iter().enumerate() {
            if keep_scope(rule.scope) {
                for (n, entry) in rule.entries.iter().enumerate() {
                    filed.push((entry.filing, rule.same_selectors_as, n, r as u32));
                }
            }
        }
        // By slot: its candidates are contiguous, also when two keys
        // collide; then by selector, so rules that share one are adjacent.
        filed.sort_unstable_by_key(|&(filing, same, n, r)| (filing.order(), same, n, r));
        let mut index = Index::default();
        let mut start = 0;
        while start < filed.len() {
            let order = filed[start].0.order();
            let end = start + filed[start..].partition_point(|f| f.0.order() == order);
            let first = index.candidates.len() as u32;
            let mut shared = None;
            for &(_, same, n, r) in &filed[start..end] {
                if shared == Some((same, n)) {
                    // One more rule with this selector: matched once for all.
                    index.rules.push(r);
                    if let Some(c) = index.candidates.last_mut() {
                        c.rules.end += 1;
                    }
                    continue;
                }
                shared = Some((same, n));
                let rule = &policy.rules[r as usize];
                let at = index.rules.len() as u32;
                index.rules.push(r);
                let selector = &rule.selectors.slice()[n];
                index.candidates.push(Candidate {
                    hashes: rule.entries[n].hashes.clone(),
                    tag: required_tag(selector),
                    selector,
                    rules: Span {
                        start: at,
                        end: at + 1,
                    },
                });
            }
            let candidates = Span {
                start: first,
                end: index.candidates.len() as u32,
            };
            // Keys that collide share the slot.
            for &(filing, ..) in &filed[start..end] {
                match filing {
                    Filing::Own(key) => index.own.file(key, candidates),
                    Filing::Parent(hash) => {
                        index.parent.insert(hash, candidates);
                    }
                    Filing::Universal => index.universal = candidates,
                }
            }
            start = end;
        }
        index
    }

    /// Calls `f` with the candidates filed where `element` is looked up:
    /// under the keys it has (`tag` is the key of its tag), under the names
    /// of its parent (`parent_hashes`), and the universal ones.
    fn for_each_span<E: Element>(
        &self,
        element: E,
        tag: Key,
        parent_hashes: &[u32],
        f: &mut impl FnMut(Span),
    ) {
        self.own.for_each_key(element, tag, f);
        if !self.parent.is_empty() {
            for hash in parent_hashes {
                if let Some(&candidates) = self.parent.get(hash) {
                    f(candidates);
                }
            }
        }
        f(self.universal);
    }

    /// Pushes the (sorted, unique) indices of the rules that match `element`.
    /// `bloom` holds the hashes of all of `element`'s ancestors, or is `None`;
    /// `parent_hashes` are the hashes `element_hashes` gives its parent
    /// (none for a root).
    pub(crate) fn matching_rules<E: Element>(
        &self,
        element: E,
        bloom: Option<&BloomFilter>,
        parent_hashes: &[u32],
        caches: &mut SelectorCaches,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        if self.candidates.is_empty() {
            return;
        }
        let mut context = matching_context(bloom, caches);
        let target = Matchable(element);
        let tag = Key::tag(element.local_name());
        self.for_each_span(element, tag, parent_hashes, &mut |candidates| {
            for candidate in &self.candidates[candidates.range()] {
                if candidate.may_match(tag, bloom)
                    && matches_selector(candidate.selector, 0, None, target, &mut context)
                {
                    out.extend_from_slice(&self.rules[candidate.rules.range()]);
                }
            }
        });
        // A rule may match through several keys or selectors.
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests;
