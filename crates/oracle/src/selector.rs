//! A naive CSS selector parser and matcher for the scrim dialect, written
//! from Selectors Level 4 and the HTML standard's case rules, with no code
//! in common with the `selectors` crate the matcher runs.
//!
//! The dialect (see `crates/selector`): type and universal selectors (with
//! the `|name` "no namespace" prefix), `#id`, `.class`, attribute selectors
//! with every operator and the `i` and `s` flags, the four combinators,
//! `:not()`, `:is()`, `:where()`, the tree-structural pseudo-classes
//! (`:nth-child(An+B [of S])` and its kin, `:first-child` …, `:empty`,
//! `:root`, `:scope`) and the markup pseudo-classes `:any-link`, `:link`,
//! `:disabled`, `:enabled`, `:required`, `:optional`.
//!
//! Matching walks the tree by definition: a complex selector matches when
//! some choice of elements along the combinators matches every compound,
//! tried exhaustively. Case rules (HTML standard, "case-sensitivity of
//! selectors"): on HTML elements, type selectors and attribute names
//! compare ASCII case-insensitively, and so do the values of the attributes
//! the standard lists; elsewhere names compare exactly. Ids and classes are
//! always case-sensitive (no quirks mode).

use crate::tree::{NodeId, Tree};

/// A parsed selector list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorList(Vec<Complex>);

/// Compounds from left to right, joined by `combinators[i]` between
/// `compounds[i]` and `compounds[i + 1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Complex {
    compounds: Vec<Compound>,
    combinators: Vec<Combinator>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Combinator {
    Descendant,
    Child,
    NextSibling,
    SubsequentSibling,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Compound {
    /// `|name`: elements in no namespace only (there are none in HTML).
    no_namespace: bool,
    /// `None` for `*` or no type selector.
    tag: Option<String>,
    simple: Vec<Simple>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Simple {
    Id(String),
    Class(String),
    Attribute {
        name: String,
        test: Option<(Operator, String, Flag)>,
    },
    Not(SelectorList),
    /// `:is()` and `:where()` (they differ only in specificity).
    Is(SelectorList),
    Nth {
        a: i64,
        b: i64,
        from_end: bool,
        of_type: bool,
        of: Option<SelectorList>,
    },
    Root,
    Empty,
    AnyLink,
    Disabled,
    Enabled,
    Required,
    Optional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    Includes,
    DashMatch,
    Prefix,
    Suffix,
    Substring,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    /// No flag: the document language decides.
    None,
    /// `i`
    Insensitive,
    /// `s`
    Sensitive,
}

/// The attributes whose values the HTML standard matches ASCII
/// case-insensitively on HTML elements ("case-sensitivity of selectors").
const CASE_INSENSITIVE_VALUES: &[&str] = &[
    "accept",
    "accept-charset",
    "align",
    "alink",
    "axis",
    "bgcolor",
    "charset",
    "checked",
    "clear",
    "codetype",
    "color",
    "compact",
    "declare",
    "defer",
    "dir",
    "direction",
    "disabled",
    "enctype",
    "face",
    "frame",
    "hreflang",
    "http-equiv",
    "lang",
    "language",
    "link",
    "media",
    "method",
    "multiple",
    "nohref",
    "noresize",
    "noshade",
    "nowrap",
    "readonly",
    "rel",
    "rev",
    "rules",
    "scope",
    "scrolling",
    "selected",
    "shape",
    "target",
    "text",
    "type",
    "valign",
    "valuetype",
    "vlink",
];

// ------------------------------------------------------------------ parsing

/// Parses a selector list; `Err` with a reason for anything outside the
/// dialect.
pub fn parse(text: &str) -> Result<SelectorList, String> {
    let mut p = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let list = p.list()?;
    p.skip_ws();
    if p.at != p.chars.len() {
        return Err(format!("unexpected `{}`", p.chars[p.at]));
    }
    Ok(list)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C')
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-'
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.at + n).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected `{c}`"))
        }
    }

    fn skip_ws(&mut self) -> bool {
        let start = self.at;
        while self.peek().is_some_and(is_ws) {
            self.at += 1;
        }
        self.at > start
    }

    /// `\` followed by what it escapes, at `self.at` (CSS Syntax 4.3.7).
    fn escape(&mut self) -> Result<char, String> {
        self.expect('\\')?;
        let Some(c) = self.peek() else {
            return Ok('\u{FFFD}');
        };
        if c == '\n' {
            return Err("escaped newline".into());
        }
        if c.is_ascii_hexdigit() {
            let mut value = 0u32;
            let mut n = 0;
            while n < 6 && self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                value = value * 16 + self.peek().and_then(|c| c.to_digit(16)).unwrap_or(0);
                self.at += 1;
                n += 1;
            }
            // One whitespace after a hex escape belongs to it (`\r\n` too).
            if self.eat('\r') {
                self.eat('\n');
            } else if self.peek().is_some_and(is_ws) {
                self.at += 1;
            }
            return Ok(match char::from_u32(value) {
                Some(c) if value != 0 => c,
                _ => '\u{FFFD}',
            });
        }
        self.at += 1;
        Ok(c)
    }

    fn starts_escape(&self, n: usize) -> bool {
        self.peek_at(n) == Some('\\') && self.peek_at(n + 1) != Some('\n')
    }

    fn starts_ident(&self) -> bool {
        match self.peek() {
            Some('-') => {
                self.peek_at(1)
                    .is_some_and(|c| is_name_start(c) || c == '-')
                    || self.starts_escape(1)
            }
            Some(c) if is_name_start(c) => true,
            Some('\\') => self.starts_escape(0),
            _ => false,
        }
    }

    /// The name characters at `self.at` (possibly none), escapes resolved.
    fn name(&mut self) -> Result<String, String> {
        let mut out = String::new();
        loop {
            match self.peek() {
                Some(c) if is_name_char(c) => {
                    out.push(c);
                    self.at += 1;
                }
                Some('\\') if self.starts_escape(0) => out.push(self.escape()?),
                _ => return Ok(out),
            }
        }
    }

    fn ident(&mut self) -> Result<String, String> {
        if !self.starts_ident() {
            return Err(match self.peek() {
                Some(c) => format!("expected a name, found `{c}`"),
                None => "expected a name".into(),
            });
        }
        self.name()
    }

    fn string(&mut self) -> Result<String, String> {
        let quote = self.peek().ok_or("expected a string")?;
        self.at += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Ok(out),
                Some(c) if c == quote => {
                    self.at += 1;
                    return Ok(out);
                }
                Some('\n') => return Err("newline in a string".into()),
                Some('\\') => {
                    if self.peek_at(1) == Some('\n') {
                        self.at += 2;
                    } else if self.peek_at(1).is_none() {
                        self.at += 1;
                    } else {
                        out.push(self.escape()?);
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn list(&mut self) -> Result<SelectorList, String> {
        let mut out = vec![self.complex()?];
        loop {
            self.skip_ws();
            if !self.eat(',') {
                return Ok(SelectorList(out));
            }
            out.push(self.complex()?);
        }
    }

    fn complex(&mut self) -> Result<Complex, String> {
        self.skip_ws();
        let mut compounds = vec![self.compound()?];
        let mut combinators = Vec::new();
        loop {
            let had_ws = self.skip_ws();
            let combinator = match self.peek() {
                Some('>') => Combinator::Child,
                Some('+') => Combinator::NextSibling,
                Some('~') => Combinator::SubsequentSibling,
                Some(',' | ')') | None => {
                    return Ok(Complex {
                        compounds,
                        combinators,
                    });
                }
                Some(_) if had_ws => {
                    combinators.push(Combinator::Descendant);
                    compounds.push(self.compound()?);
                    continue;
                }
                Some(c) => return Err(format!("unexpected `{c}`")),
            };
            self.at += 1;
            self.skip_ws();
            combinators.push(combinator);
            compounds.push(self.compound()?);
        }
    }

    fn compound(&mut self) -> Result<Compound, String> {
        let mut compound = Compound {
            no_namespace: false,
            tag: None,
            simple: Vec::new(),
        };
        let mut any = false;
        // A type selector, with an optional namespace prefix.
        if self.peek() == Some('|') && self.peek_at(1) != Some('=') {
            self.at += 1;
            compound.no_namespace = true;
        }
        if self.eat('*') {
            any = true;
            if self.peek() == Some('|') && self.peek_at(1) != Some('=') {
                // `*|`: any namespace, the default anyway.
                self.at += 1;
                if !self.eat('*') {
                    compound.tag = Some(self.ident()?);
                }
            }
        } else if self.starts_ident() {
            let name = self.ident()?;
            if self.peek() == Some('|') && self.peek_at(1) != Some('=') {
                return Err("namespace prefixes are not supported".into());
            }
            compound.tag = Some(name);
            any = true;
        } else if compound.no_namespace {
            return Err("expected a type after `|`".into());
        }
        loop {
            match self.peek() {
                Some('#') => {
                    self.at += 1;
                    let name = self.name()?;
                    if name.is_empty() {
                        return Err("expected an id".into());
                    }
                    compound.simple.push(Simple::Id(name));
                }
                Some('.') => {
                    self.at += 1;
                    compound.simple.push(Simple::Class(self.ident()?));
                }
                Some('[') => {
                    self.at += 1;
                    compound.simple.push(self.attribute()?);
                }
                Some(':') => {
                    self.at += 1;
                    if self.peek() == Some(':') {
                        return Err("pseudo-elements are not supported".into());
                    }
                    compound.simple.push(self.pseudo_class()?);
                }
                _ => break,
            }
            any = true;
        }
        if !any {
            return Err(match self.peek() {
                Some(c) => format!("unexpected `{c}`"),
                None => "expected a selector".into(),
            });
        }
        Ok(compound)
    }

    fn attribute(&mut self) -> Result<Simple, String> {
        self.skip_ws();
        if self.peek() == Some('|') && self.peek_at(1) != Some('=') {
            // `[|name]`: an attribute in no namespace, which is all of them.
            self.at += 1;
        }
        let name = self.ident()?;
        if self.peek() == Some('|') && self.peek_at(1) != Some('=') {
            return Err("namespace prefixes are not supported".into());
        }
        self.skip_ws();
        if self.eat(']') {
            return Ok(Simple::Attribute { name, test: None });
        }
        let operator = match (self.peek(), self.peek_at(1)) {
            (Some('='), _) => {
                self.at += 1;
                Operator::Equal
            }
            (Some(c), Some('=')) => {
                self.at += 2;
                match c {
                    '~' => Operator::Includes,
                    '|' => Operator::DashMatch,
                    '^' => Operator::Prefix,
                    '$' => Operator::Suffix,
                    '*' => Operator::Substring,
                    _ => return Err(format!("unknown attribute operator `{c}=`")),
                }
            }
            _ => return Err("expected an attribute operator".into()),
        };
        self.skip_ws();
        let value = match self.peek() {
            Some('"' | '\'') => self.string()?,
            _ => self.ident()?,
        };
        self.skip_ws();
        let mut flag = Flag::None;
        if self.starts_ident() {
            flag = match self.ident()?.to_ascii_lowercase().as_str() {
                "i" => Flag::Insensitive,
                "s" => Flag::Sensitive,
                other => return Err(format!("unknown attribute flag `{other}`")),
            };
            self.skip_ws();
        }
        self.expect(']')?;
        Ok(Simple::Attribute {
            name,
            test: Some((operator, value, flag)),
        })
    }

    fn pseudo_class(&mut self) -> Result<Simple, String> {
        let name = self.ident()?.to_ascii_lowercase();
        if self.eat('(') {
            let simple = match name.as_str() {
                "not" => Simple::Not(self.list()?),
                "is" | "where" => Simple::Is(self.list()?),
                "nth-child" | "nth-last-child" | "nth-of-type" | "nth-last-of-type" => {
                    self.nth(&name)?
                }
                _ => return Err(format!("unknown pseudo-class `:{name}()`")),
            };
            self.skip_ws();
            self.expect(')')?;
            return Ok(simple);
        }
        let nth = |b, from_end, of_type| Simple::Nth {
            a: 0,
            b,
            from_end,
            of_type,
            of: None,
        };
        Ok(match name.as_str() {
            "first-child" => nth(1, false, false),
            "last-child" => nth(1, true, false),
            "first-of-type" => nth(1, false, true),
            "last-of-type" => nth(1, true, true),
            // Both first and last: `:is()` of the two.
            "only-child" | "only-of-type" => {
                let of_type = name == "only-of-type";
                let both = Compound {
                    no_namespace: false,
                    tag: None,
                    simple: vec![nth(1, false, of_type), nth(1, true, of_type)],
                };
                Simple::Is(SelectorList(vec![Complex {
                    compounds: vec![both],
                    combinators: Vec::new(),
                }]))
            }
            "root" | "scope" => Simple::Root,
            "empty" => Simple::Empty,
            "any-link" | "link" => Simple::AnyLink,
            "disabled" => Simple::Disabled,
            "enabled" => Simple::Enabled,
            "required" => Simple::Required,
            "optional" => Simple::Optional,
            _ => return Err(format!("unknown pseudo-class `:{name}`")),
        })
    }

    /// `An+B`, optionally followed by `of S` for the child forms.
    fn nth(&mut self, name: &str) -> Result<Simple, String> {
        self.skip_ws();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c == ')' {
                break;
            }
            if is_ws(c) {
                // `of` ends the An+B part.
                let rest: String = self.chars[self.at..].iter().collect();
                let after = rest.trim_start_matches(is_ws);
                if after.len() >= 3
                    && after[..2].eq_ignore_ascii_case("of")
                    && after[2..].starts_with(is_ws)
                {
                    break;
                }
                self.at += 1;
                continue;
            }
            text.push(c);
            self.at += 1;
        }
        let (a, b) = parse_an_plus_b(&text)?;
        let from_end = name.contains("last");
        let of_type = name.ends_with("of-type");
        let mut of = None;
        self.skip_ws();
        if self.peek() != Some(')') {
            let word = self.ident()?;
            if !word.eq_ignore_ascii_case("of") || of_type {
                return Err(format!("unexpected `{word}`"));
            }
            of = Some(self.list()?);
        }
        Ok(Simple::Nth {
            a,
            b,
            from_end,
            of_type,
            of,
        })
    }
}

/// `An+B` with whitespace already removed (CSS Syntax 6).
fn parse_an_plus_b(text: &str) -> Result<(i64, i64), String> {
    let lower = text.to_ascii_lowercase();
    let bad = || format!("invalid An+B `{text}`");
    let int = |s: &str| -> Result<i64, String> {
        let digits = s.strip_prefix('+').unwrap_or(s);
        if digits.is_empty() || digits.starts_with(['+', '-']) && digits.len() == 1 {
            return Err(bad());
        }
        digits.parse::<i64>().map_err(|_| bad())
    };
    match lower.as_str() {
        "odd" => return Ok((2, 1)),
        "even" => return Ok((2, 0)),
        _ => {}
    }
    match lower.find('n') {
        None => Ok((0, int(&lower)?)),
        Some(i) => {
            let a = match &lower[..i] {
                "" | "+" => 1,
                "-" => -1,
                s => int(s)?,
            };
            let rest = &lower[i + 1..];
            let b = if rest.is_empty() {
                0
            } else if let Some(digits) = rest.strip_prefix('+') {
                int(digits)?
            } else if rest.starts_with('-') {
                int(rest)?
            } else {
                return Err(bad());
            };
            Ok((a, b))
        }
    }
}

// ----------------------------------------------------------------- matching

impl SelectorList {
    /// Whether element `e` of `tree` matches any selector of the list.
    pub fn matches(&self, tree: &Tree, e: NodeId) -> bool {
        self.0.iter().any(|c| c.matches(tree, e))
    }
}

impl Complex {
    fn matches(&self, tree: &Tree, e: NodeId) -> bool {
        self.matches_from(tree, self.compounds.len() - 1, e)
    }

    /// Whether `e` matches compound `i` and some elements the combinators
    /// reach match everything to its left.
    fn matches_from(&self, tree: &Tree, i: usize, e: NodeId) -> bool {
        if !self.compounds[i].matches(tree, e) {
            return false;
        }
        if i == 0 {
            return true;
        }
        let left = |x: NodeId| self.matches_from(tree, i - 1, x);
        match self.combinators[i - 1] {
            Combinator::Child => tree.node(e).parent.is_some_and(left),
            Combinator::Descendant => tree.ancestors(e).into_iter().any(left),
            Combinator::NextSibling => previous_siblings(tree, e)
                .first()
                .copied()
                .is_some_and(left),
            Combinator::SubsequentSibling => previous_siblings(tree, e).into_iter().any(left),
        }
    }
}

/// The siblings before `e`, nearest first.
fn previous_siblings(tree: &Tree, e: NodeId) -> Vec<NodeId> {
    let siblings = tree.siblings(e);
    let at = siblings.iter().position(|&s| s == e).unwrap_or(0);
    siblings[..at].iter().rev().copied().collect()
}

fn eq_ascii_ci(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl Compound {
    fn matches(&self, tree: &Tree, e: NodeId) -> bool {
        let node = tree.node(e);
        if self.no_namespace && !node.namespace.is_empty() {
            return false;
        }
        if let Some(tag) = &self.tag {
            let same = if node.is_html() {
                eq_ascii_ci(tag, &node.local_name)
            } else {
                *tag == node.local_name
            };
            if !same {
                return false;
            }
        }
        self.simple.iter().all(|s| s.matches(tree, e))
    }
}

/// The value of the attribute a selector names, by the HTML case rules.
fn attribute<'t>(tree: &'t Tree, e: NodeId, name: &str) -> Option<&'t str> {
    let node = tree.node(e);
    node.attributes
        .iter()
        .find(|(n, _)| {
            if node.is_html() {
                eq_ascii_ci(n, name)
            } else {
                n == name
            }
        })
        .map(|(_, v)| v.as_str())
}

/// HTML's "form controls" that can be disabled.
fn can_be_disabled(tree: &Tree, e: NodeId) -> bool {
    let node = tree.node(e);
    node.is_html()
        && [
            "button", "input", "select", "textarea", "optgroup", "option", "fieldset",
        ]
        .contains(&node.local_name.as_str())
}

/// The elements `:required` and `:optional` apply to.
fn can_be_required(tree: &Tree, e: NodeId) -> bool {
    let node = tree.node(e);
    node.is_html() && ["input", "select", "textarea"].contains(&node.local_name.as_str())
}

impl Simple {
    fn matches(&self, tree: &Tree, e: NodeId) -> bool {
        let node = tree.node(e);
        match self {
            Simple::Id(id) => node.attr("id") == Some(id.as_str()),
            Simple::Class(class) => node
                .attr("class")
                .is_some_and(|v| v.split(is_ws).any(|c| c == class)),
            Simple::Attribute { name, test } => {
                let Some(value) = attribute(tree, e, name) else {
                    return false;
                };
                let Some((operator, wanted, flag)) = test else {
                    return true;
                };
                let insensitive = match flag {
                    Flag::Insensitive => true,
                    Flag::Sensitive => false,
                    Flag::None => {
                        node.is_html()
                            && CASE_INSENSITIVE_VALUES.contains(&name.to_ascii_lowercase().as_str())
                    }
                };
                let (value, wanted) = if insensitive {
                    (value.to_ascii_lowercase(), wanted.to_ascii_lowercase())
                } else {
                    (value.to_string(), wanted.clone())
                };
                match operator {
                    Operator::Equal => value == wanted,
                    Operator::Includes => {
                        !wanted.is_empty()
                            && !wanted.contains(is_ws)
                            && value.split(is_ws).any(|w| w == wanted)
                    }
                    Operator::DashMatch => {
                        value == wanted || value.starts_with(&format!("{wanted}-"))
                    }
                    Operator::Prefix => !wanted.is_empty() && value.starts_with(&wanted),
                    Operator::Suffix => !wanted.is_empty() && value.ends_with(&wanted),
                    Operator::Substring => !wanted.is_empty() && value.contains(&wanted),
                }
            }
            Simple::Not(list) => !list.matches(tree, e),
            Simple::Is(list) => list.matches(tree, e),
            Simple::Nth {
                a,
                b,
                from_end,
                of_type,
                of,
            } => {
                let mut siblings = tree.siblings(e);
                if *from_end {
                    siblings.reverse();
                }
                if let Some(of) = of
                    && !of.matches(tree, e)
                {
                    return false;
                }
                let counted = siblings.iter().filter(|&&s| {
                    let same_type = !of_type || {
                        let (x, y) = (tree.node(s), node);
                        x.local_name == y.local_name && x.namespace == y.namespace
                    };
                    same_type && of.as_ref().is_none_or(|of| of.matches(tree, s))
                });
                let Some(index) = counted.clone().position(|&s| s == e) else {
                    return false;
                };
                // 1-based position `index + 1` = a*n + b for some n >= 0.
                let position = index as i64 + 1;
                if *a == 0 {
                    position == *b
                } else {
                    let diff = position - b;
                    diff % a == 0 && diff / a >= 0
                }
            }
            Simple::Root => node.parent.is_none(),
            Simple::Empty => tree.light_children(e).next().is_none() && node.text.is_empty(),
            Simple::AnyLink => {
                node.is_html()
                    && ["a", "area", "link"].contains(&node.local_name.as_str())
                    && node.attr("href").is_some()
            }
            Simple::Disabled => can_be_disabled(tree, e) && node.attr("disabled").is_some(),
            Simple::Enabled => can_be_disabled(tree, e) && node.attr("disabled").is_none(),
            Simple::Required => can_be_required(tree, e) && node.attr("required").is_some(),
            Simple::Optional => can_be_required(tree, e) && node.attr("required").is_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{HTML, SVG};

    fn doc() -> (Tree, Vec<NodeId>) {
        let mut t = Tree::new();
        let html = t.add(None, HTML, "html", &[]);
        let a = t.add(Some(html), HTML, "div", &[("id", "a"), ("class", "x y")]);
        let b = t.add(Some(html), HTML, "p", &[("type", "PassWord")]);
        let c = t.add(Some(html), HTML, "div", &[("lang", "en-GB")]);
        let svg = t.add(Some(c), SVG, "svg", &[("viewBox", "0 0 1 1")]);
        let fo = t.add(Some(svg), SVG, "foreignObject", &[]);
        (t, vec![html, a, b, c, svg, fo])
    }

    fn hits(sel: &str) -> Vec<usize> {
        let (t, ids) = doc();
        let list = parse(sel).unwrap_or_else(|e| panic!("{sel}: {e}"));
        ids.iter()
            .enumerate()
            .filter(|(_, id)| list.matches(&t, **id))
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn selectors_match_by_their_definitions() {
        assert_eq!(hits("DIV"), [1, 3]);
        assert_eq!(hits("foreignObject"), [5]);
        assert_eq!(hits("foreignobject"), Vec::<usize>::new());
        assert_eq!(hits("[viewBox]"), [4]);
        assert_eq!(hits("[viewbox]"), Vec::<usize>::new());
        assert_eq!(hits("[TYPE=password]"), [2]);
        assert_eq!(hits("[type=password s]"), Vec::<usize>::new());
        assert_eq!(hits("[lang|=en]"), [3]);
        assert_eq!(hits(".x.y#a"), [1]);
        assert_eq!(hits("div + p"), [2]);
        assert_eq!(hits("div ~ *"), [2, 3]);
        assert_eq!(hits(":nth-child(2n+1)"), [0, 1, 3, 4, 5]);
        assert_eq!(hits(":nth-last-child(-n+2)"), [0, 2, 3, 4, 5]);
        assert_eq!(hits(":nth-child(2 of div)"), [3]);
        assert_eq!(hits("div:nth-of-type(2)"), [3]);
        assert_eq!(hits(":empty"), [1, 2, 5]);
        assert_eq!(hits(":root, :scope"), [0]);
        assert_eq!(hits("html > :not(div, p)"), Vec::<usize>::new());
        assert_eq!(hits(":is(div svg) > *"), [5]);
        assert_eq!(hits("|div"), Vec::<usize>::new());
        assert_eq!(hits("\\64 iv"), [1, 3]);
        assert_eq!(hits(":only-child"), [0, 4, 5]);
    }
}
