//! The rule index, as browser engines build it: every selector is filed
//! under its rightmost compound selector's id, class, attribute name or tag
//! (or the universal bucket), so an element only tries the selectors that
//! can possibly match it; each selector then consults the ancestor Bloom
//! filter before walking any ancestor. Only the rules of scopes that apply
//! to the page are filed.

use crate::element::{Element, Matchable, matching_context};
use crate::policy::{Bucket, Entry, Policy};
use selectors::FxHashMap;
use selectors::bloom::BloomFilter;
use selectors::context::SelectorCaches;
use selectors::matching::matches_selector;

#[derive(Debug, Default)]
pub(crate) struct Index<'p> {
    ids: FxHashMap<&'p str, Vec<&'p Entry>>,
    classes: FxHashMap<&'p str, Vec<&'p Entry>>,
    attrs: FxHashMap<&'p str, Vec<&'p Entry>>,
    tags: FxHashMap<&'p str, Vec<&'p Entry>>,
    universal: Vec<&'p Entry>,
    len: usize,
}

impl<'p> Index<'p> {
    pub(crate) fn build(policy: &'p Policy, keep_scope: impl Fn(usize) -> bool) -> Self {
        let mut index = Index::default();
        for rule in policy.rules.iter().filter(|r| keep_scope(r.scope)) {
            for entry in &rule.entries {
                index.len += 1;
                match &entry.bucket {
                    Bucket::Id(k) => index.ids.entry(k.as_str()).or_default().push(entry),
                    Bucket::Class(k) => index.classes.entry(k.as_str()).or_default().push(entry),
                    Bucket::Attr(k) => index.attrs.entry(k.as_str()).or_default().push(entry),
                    Bucket::Tag(k) => index.tags.entry(k.as_str()).or_default().push(entry),
                    Bucket::Universal => index.universal.push(entry),
                }
            }
        }
        index
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Pushes the (sorted, unique) indices of the rules that match `element`.
    /// `bloom` holds the hashes of all of `element`'s ancestors, or is `None`.
    pub(crate) fn matching_rules<E: Element>(
        &self,
        policy: &Policy,
        element: E,
        bloom: Option<&BloomFilter>,
        caches: &mut SelectorCaches,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        if self.len == 0 {
            return;
        }
        let mut context = matching_context(bloom, caches);
        let target = Matchable(element);
        let mut try_entries = |entries: &[&Entry], out: &mut Vec<u32>| {
            for entry in entries {
                // A rule with several selectors may already have matched.
                if out.last() == Some(&entry.rule) {
                    continue;
                }
                let selector = &policy.rules[entry.rule as usize].selectors.slice()[entry.selector];
                if matches_selector(selector, 0, Some(&entry.hashes), target, &mut context) {
                    out.push(entry.rule);
                }
            }
        };
        if let Some(id) = element.id()
            && let Some(entries) = self.ids.get(id)
        {
            try_entries(entries, out);
        }
        if !self.classes.is_empty() {
            for class in element.classes() {
                if let Some(entries) = self.classes.get(class) {
                    try_entries(entries, out);
                }
            }
        }
        if !self.attrs.is_empty() {
            let mut lower = String::new();
            for (name, _) in element.attributes() {
                let key = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                    lower.clear();
                    lower.push_str(name);
                    lower.make_ascii_lowercase();
                    lower.as_str()
                } else {
                    name
                };
                if let Some(entries) = self.attrs.get(key) {
                    try_entries(entries, out);
                }
            }
        }
        if let Some(entries) = self.tags.get(element.local_name()) {
            try_entries(entries, out);
        }
        try_entries(&self.universal, out);
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests;
