//! Turns a selector parse failure into a byte span and a message.
//!
//! The parse errors of this `cssparser` carry no source location, so the
//! offending token is found by probing: the failing comma-separated selector
//! is cut after each of its tokens, and the first prefix that no short
//! completion can turn into a valid selector ends with the offending token.
//! Errors only happen while a policy is being written, and selectors are
//! short, so the quadratic probe costs nothing that matters.

use crate::SelectorError;
use crate::{Failure, ScrimError, parse_raw};
use cssparser::{BasicParseErrorKind, ParseError, Parser as CssParser, Token};
use selectors::parser::SelectorParseErrorKind as K;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Space,
    Comma,
    Colon,
    Combinator,
    Name,
    Open,
    Close,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
    /// A function or block token: what follows up to its `Close` is nested.
    opens: bool,
}

/// Every token of `text`, nested blocks flattened, closing brackets included.
fn flat_tokens(text: &str) -> Vec<Tok> {
    fn collect(p: &mut CssParser<'_>, out: &mut Vec<Tok>) {
        loop {
            let start = p.position().byte_index();
            let (kind, is_block) = match p.next_including_whitespace_and_comments() {
                Ok(t) => match t {
                    Token::WhiteSpace(_) | Token::Comment(_) => (Kind::Space, false),
                    Token::Comma => (Kind::Comma, false),
                    Token::Colon => (Kind::Colon, false),
                    Token::Delim('>' | '+' | '~') => (Kind::Combinator, false),
                    Token::Ident(_) => (Kind::Name, false),
                    Token::Function(_) => (Kind::Name, true),
                    Token::ParenthesisBlock
                    | Token::SquareBracketBlock
                    | Token::CurlyBracketBlock => (Kind::Open, true),
                    _ => (Kind::Other, false),
                },
                Err(_) => break,
            };
            let end = p.position().byte_index();
            out.push(Tok {
                start,
                end,
                kind,
                opens: is_block,
            });
            if is_block {
                let _ = p.parse_nested_block(|inner| {
                    collect(inner, out);
                    Ok::<(), ParseError<()>>(())
                });
                let after = p.position().byte_index();
                let last_end = out.last().map_or(end, |t| t.end);
                if after > last_end {
                    out.push(Tok {
                        start: after - 1,
                        end: after,
                        kind: Kind::Close,
                        opens: false,
                    });
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut p = CssParser::new(text);
    collect(&mut p, &mut out);
    out
}

/// Short completions that turn any prefix of a valid selector into a valid
/// selector (the tokenizer closes open blocks at the end of input).
const COMPLETIONS: &[&str] = &["a", " a", "root", "=a", "1"];

fn viable(prefix: &str) -> bool {
    if parse_raw(prefix).is_ok() {
        return true;
    }
    let mut probe = String::with_capacity(prefix.len() + 4);
    COMPLETIONS.iter().any(|c| {
        probe.clear();
        probe.push_str(prefix);
        probe.push_str(c);
        // The completion must not merge with the prefix's last token (`#`
        // followed by `a` is an id, not a stray `#` and a tag).
        parse_raw(&probe).is_ok() && flat_tokens(&probe).iter().any(|t| t.start == prefix.len())
    })
}

pub(crate) fn locate(text: &str, whole: Failure) -> SelectorError {
    let tokens = flat_tokens(text);

    // The comma-separated selectors at the top level.
    let mut segments: Vec<(usize, usize, usize, usize)> = Vec::new(); // byte start, byte end, token range
    let (mut depth, mut seg_start, mut seg_tok) = (0usize, 0usize, 0usize);
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            _ if t.opens => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            Kind::Comma if depth == 0 => {
                segments.push((seg_start, t.start, seg_tok, i));
                seg_start = t.end;
                seg_tok = i + 1;
            }
            _ => {}
        }
    }
    segments.push((seg_start, text.len(), seg_tok, tokens.len()));

    let failing = segments
        .iter()
        .enumerate()
        .find_map(|(n, &seg)| parse_raw(&text[seg.0..seg.1]).err().map(|f| (n, seg, f)));
    let Some((n, (s0, s1, t0, t1), failure)) = failing else {
        // Each selector is fine alone: blame the whole text.
        return error(text, 0, text.len(), &whole);
    };

    let offending = (t0..t1).find(|&k| !viable(&text[s0..tokens[k].end]));
    let (start, end) = match offending {
        Some(k) => widen(&tokens, k),
        None => {
            // Every prefix could still be completed: the selector stops too
            // early. Point at its last token, else at the comma around it.
            let last = (t0..t1).rev().find(|&k| tokens[k].kind != Kind::Space);
            match last {
                Some(k) => (tokens[k].start, tokens[k].end),
                None if n + 1 < segments.len() => (s1, s1 + 1),
                None if n > 0 => (s0 - 1, s0),
                None => (s0, s1),
            }
        }
    };
    if offending.is_none() && matches!(failure, Failure::Basic(BasicParseErrorKind::EndOfInput)) {
        let message = format!("unexpected end of selector after `{}`", &text[start..end]);
        return SelectorError {
            start,
            end,
            message,
        };
    }
    error(text, start, end, &failure)
}

/// Widens a token that is part of a pseudo-class or pseudo-element to the
/// whole `:name` / `::name(`.
fn widen(tokens: &[Tok], k: usize) -> (usize, usize) {
    let (mut a, mut b) = (k, k);
    if tokens[k].kind == Kind::Colon {
        while b + 1 < tokens.len()
            && tokens[b + 1].kind == Kind::Colon
            && tokens[b].kind == Kind::Colon
        {
            b += 1;
        }
        if b + 1 < tokens.len() && tokens[b + 1].kind == Kind::Name {
            b += 1;
        }
    }
    if tokens[a].kind == Kind::Name || tokens[a].kind == Kind::Colon {
        while a > 0 && tokens[a - 1].kind == Kind::Colon && tokens[a - 1].end == tokens[a].start {
            a -= 1;
        }
    }
    (tokens[a].start, tokens[b].end)
}

fn error(text: &str, start: usize, end: usize, failure: &Failure) -> SelectorError {
    let t = &text[start..end];
    let message = match failure {
        Failure::Basic(BasicParseErrorKind::EndOfInput) => {
            if t.is_empty() {
                "unexpected end of selector".to_string()
            } else {
                format!("unexpected end of selector after `{t}`")
            }
        }
        Failure::Basic(BasicParseErrorKind::TooManyNestedBlocks) => {
            "selector is nested too deeply".to_string()
        }
        Failure::Basic(_) => format!("unexpected `{t}`"),
        Failure::Selector(kind) => match kind {
            K::EmptySelector if t.is_empty() || t == "," => "expected a selector".to_string(),
            K::DanglingCombinator if matches!(t, ">" | "+" | "~") => {
                format!("expected a selector after `{t}`")
            }
            K::EmptySelector | K::DanglingCombinator => format!("unexpected `{t}`"),
            K::ClassNeedsIdent => format!("expected a class name after `.`, found `{t}`"),
            K::PseudoElementExpectedIdent => format!("expected a pseudo-class name, found `{t}`"),
            K::NoQualifiedNameInAttributeSelector => {
                format!("expected an attribute name, found `{t}`")
            }
            K::UnexpectedTokenInAttributeSelector => {
                format!("unexpected `{t}` in attribute selector")
            }
            K::BadValueInAttr => format!("invalid attribute value `{t}`"),
            K::ExpectedNamespace
            | K::ExpectedBarInAttr
            | K::InvalidQualNameInAttr
            | K::ExplicitNamespaceUnexpectedToken => {
                "namespace prefixes are not supported".to_string()
            }
            K::NonCompoundSelector => {
                format!("`{t}` takes a compound selector, without combinators")
            }
            K::UnsupportedPseudoClassOrElement => {
                format!("unsupported pseudo-class or pseudo-element `{t}`")
            }
            _ => format!("`{t}` is not allowed here"),
        },
        Failure::Scrim(e) => match e {
            ScrimError::Selector(_) => format!("unexpected `{t}`"),
            ScrimError::StatefulPseudoClass(name) => format!(
                "pseudo-class `:{name}` depends on interaction state, which a policy cannot use"
            ),
            ScrimError::UnknownPseudoClass(name) => format!("unknown pseudo-class `:{name}`"),
            ScrimError::PseudoElement(name) => {
                format!("pseudo-elements are not supported: rules select elements, not `::{name}`")
            }
            ScrimError::Has => {
                "`:has()` is not supported: a decision cannot depend on descendants".to_string()
            }
            ScrimError::Host => {
                "`:host` is not supported: the matcher flattens shadow roots".to_string()
            }
        },
    };
    SelectorError {
        start,
        end,
        message,
    }
}
