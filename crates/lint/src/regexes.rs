//! What regular expressions can match, decided on their DFAs
//! (`regex-automata`, byte-based, with the ASCII meaning of `\d`, `\w` and
//! `\b` the runtimes give them): whether one language holds another, whether
//! two meet, and whether searching with one can scan far past a match it
//! then returns (which makes iterating over matches quadratic).
//!
//! Every answer is `None` when the automata would be too large to build or
//! explore within fixed bounds: the rules then stay silent.

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, MatchKind};
use std::collections::{HashMap, HashSet, VecDeque};

type Dfa = dense::DFA<Vec<u32>>;

/// The most memory one DFA may take, and the most states (or pairs of
/// states) one question may visit.
const DFA_BYTES: usize = 1 << 20;
const MAX_VISITS: usize = 50_000;

fn build(pattern: &str, start_kind: StartKind, match_kind: MatchKind) -> Option<Dfa> {
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(start_kind)
                .match_kind(match_kind)
                .dfa_size_limit(Some(DFA_BYTES))
                .determinize_size_limit(Some(DFA_BYTES)),
        )
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .thompson(thompson::Config::new().utf8(false))
        .build(pattern)
        .ok()
}

/// The bytes a component of a parsed URL can hold: the URL parser
/// percent-encodes spaces, controls and every non-ASCII byte, and drops
/// tabs and newlines. Languages are compared over these alone, so that a
/// `[^/]` that could match a newline no URL has does not keep a pattern
/// from being found inside a `.*`.
const URL_BYTES: std::ops::RangeInclusive<u8> = 0x21..=0x7e;

/// The component strings an expression matches whole, as URL-pattern
/// components are matched.
pub(crate) struct Language {
    dfa: Dfa,
    start: StateID,
}

impl Language {
    pub(crate) fn whole(pattern: &str) -> Option<Language> {
        let dfa = build(
            &format!("^(?:{pattern})$"),
            StartKind::Anchored,
            MatchKind::All,
        )?;
        let start = dfa
            .start_state(&start::Config::new().anchored(Anchored::Yes))
            .ok()?;
        Some(Language { dfa, start })
    }

    fn accepts(&self, state: StateID) -> bool {
        self.dfa.is_match_state(self.dfa.next_eoi_state(state))
    }

    fn dead(&self, state: StateID) -> bool {
        self.dfa.is_dead_state(state) || self.dfa.is_quit_state(state)
    }

    /// Whether the expression matches no string at all.
    pub(crate) fn is_empty(&self) -> Option<bool> {
        intersects(self, self).map(|meet| !meet)
    }
}

/// Whether some string is in both languages.
pub(crate) fn intersects(a: &Language, b: &Language) -> Option<bool> {
    explore(a, b, |a_accepts, b_accepts| a_accepts && b_accepts, false)
}

/// Whether every string of `a` is in `b`.
pub(crate) fn included(a: &Language, b: &Language) -> Option<bool> {
    explore(a, b, |a_accepts, b_accepts| a_accepts && !b_accepts, true).map(|found| !found)
}

/// Walks the product of two DFAs from their start states, over the bytes
/// of URL components; `Some(true)` as
/// soon as a pair of states satisfies `hit`. With `follow_b_dead`, pairs
/// where `b` is dead are still followed (inclusion must see `a` match
/// where `b` cannot).
fn explore(
    a: &Language,
    b: &Language,
    hit: impl Fn(bool, bool) -> bool,
    follow_b_dead: bool,
) -> Option<bool> {
    let mut seen: HashSet<(StateID, StateID)> = HashSet::new();
    let mut queue = VecDeque::from([(a.start, b.start)]);
    seen.insert((a.start, b.start));
    while let Some((sa, sb)) = queue.pop_front() {
        let b_dead = b.dead(sb);
        if hit(a.accepts(sa), !b_dead && b.accepts(sb)) {
            return Some(true);
        }
        for byte in URL_BYTES {
            let na = a.dfa.next_state(sa, byte);
            if a.dead(na) {
                continue;
            }
            let nb = if b_dead {
                sb
            } else {
                b.dfa.next_state(sb, byte)
            };
            if b.dead(nb) && !follow_b_dead {
                continue;
            }
            if seen.insert((na, nb)) {
                if seen.len() > MAX_VISITS {
                    return None;
                }
                queue.push_back((na, nb));
            }
        }
    }
    Some(false)
}

/// Whether a search with `pattern` (leftmost-first, as detectors search)
/// can, after it has seen a match, read an unbounded stretch of text
/// without seeing a longer one before it gives up and returns the match it
/// had. The next search then starts right after that match and reads the
/// same stretch again: iterating over matches costs the square of the
/// text's length (`a[a-z]*b|a` on a long run of `a`).
pub(crate) fn search_rescans(pattern: &str) -> Option<bool> {
    let dfa = build(pattern, StartKind::Unanchored, MatchKind::LeftmostFirst)?;
    let dead = |s: StateID| dfa.is_dead_state(s) || dfa.is_quit_state(s);
    // Every state a search can reach, whatever comes before the text.
    let mut edges: HashMap<StateID, Vec<StateID>> = HashMap::new();
    let mut queue = VecDeque::new();
    for look_behind in [None, Some(b'a'), Some(b' ')] {
        let config = start::Config::new()
            .anchored(Anchored::No)
            .look_behind(look_behind);
        let start = dfa.start_state(&config).ok()?;
        if let std::collections::hash_map::Entry::Vacant(entry) = edges.entry(start) {
            entry.insert(Vec::new());
            queue.push_back(start);
        }
    }
    while let Some(state) = queue.pop_front() {
        let mut next: Vec<StateID> = (0..=255u8)
            .map(|byte| dfa.next_state(state, byte))
            .filter(|&n| !dead(n))
            .collect();
        next.sort_unstable();
        next.dedup();
        for &n in &next {
            if !edges.contains_key(&n) {
                if edges.len() > MAX_VISITS {
                    return None;
                }
                edges.insert(n, Vec::new());
                queue.push_back(n);
            }
        }
        edges.insert(state, next);
    }
    // The states a search can be in after a match without having seen a
    // new one: reached from a match state through non-match states.
    let mut after_match: HashSet<StateID> = HashSet::new();
    let mut stack: Vec<StateID> = edges
        .iter()
        .filter(|(s, _)| dfa.is_match_state(**s))
        .flat_map(|(_, next)| next.iter().copied())
        .filter(|&n| !dfa.is_match_state(n))
        .collect();
    while let Some(state) = stack.pop() {
        if after_match.insert(state) {
            stack.extend(
                edges[&state]
                    .iter()
                    .copied()
                    .filter(|&n| !dfa.is_match_state(n)),
            );
        }
    }
    // A cycle among them is a stretch of any length.
    Some(has_cycle(&after_match, &edges))
}

fn has_cycle(nodes: &HashSet<StateID>, edges: &HashMap<StateID, Vec<StateID>>) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: HashMap<StateID, Mark> = HashMap::new();
    for &root in nodes {
        if marks.contains_key(&root) {
            continue;
        }
        // Iterative depth-first search: (node, next edge to look at).
        let mut stack = vec![(root, 0usize)];
        marks.insert(root, Mark::Open);
        while let Some((node, at)) = stack.last_mut() {
            let next = edges[node].iter().filter(|n| nodes.contains(n)).nth(*at);
            *at += 1;
            match next {
                Some(&n) => match marks.get(&n) {
                    Some(Mark::Open) => return true,
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(n, Mark::Open);
                        stack.push((n, 0));
                    }
                },
                None => {
                    marks.insert(*node, Mark::Done);
                    stack.pop();
                }
            }
        }
    }
    false
}

/// Whether an expression can match the empty string.
pub(crate) fn matches_empty(pattern: &str) -> bool {
    regex_syntax::Parser::new()
        .parse(pattern)
        .is_ok_and(|hir| hir.properties().minimum_len() == Some(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(p: &str) -> Language {
        Language::whole(p).unwrap()
    }

    #[test]
    fn languages_hold_and_meet() {
        assert_eq!(included(&lang("/a/b.*"), &lang("/a/.*")), Some(true));
        assert_eq!(included(&lang("/a/.*"), &lang("/a/b.*")), Some(false));
        assert_eq!(intersects(&lang("a.*"), &lang(".*b")), Some(true));
        assert_eq!(intersects(&lang("/x/.*"), &lang("/y/.*")), Some(false));
        assert_eq!(lang("a[^\\x00-\\xff]").is_empty(), Some(true));
        // No URL component holds a newline or a space.
        assert_eq!(
            included(&lang("/account/[^/]+?"), &lang("/account/.*")),
            Some(true)
        );
        assert_eq!(lang("a[\\n ]").is_empty(), Some(true));
    }

    #[test]
    fn rescanning_searches_are_told_apart() {
        assert_eq!(search_rescans("a[a-z]*b|a"), Some(true));
        assert_eq!(search_rescans("a+"), Some(false));
        assert_eq!(
            search_rescans(r"\b(sk|pk)_(live|test)_[A-Za-z0-9]{16,}\b"),
            Some(false)
        );
        assert_eq!(search_rescans(r"CUST-\d{8}"), Some(false));
        assert_eq!(search_rescans(r"\d+(-\d+)*x|\d"), Some(true));
    }

    #[test]
    fn empty_matches() {
        assert!(matches_empty(r"\d*"));
        assert!(matches_empty(r"(ID-)?\d{0,4}"));
        assert!(!matches_empty(r"ID-\d*"));
    }
}
