//! Data-driven tests of the parser and formatter: each case is a policy and
//! the diagnostics (or formatted text) a user would see.

use expect_test::{Expect, expect};
use scrim_syntax::{SourceFile, format_checked, parse};

/// Diagnostics as `line:column code: message (label) help: …`, one a line.
fn check_diagnostics(text: &str, expected: Expect) {
    let source = SourceFile::new("p.scrim", text);
    let parsed = parse(&source);
    let mut out = String::new();
    for d in &parsed.diagnostics {
        let json = d.to_json();
        out.push_str(&format!(
            "{}:{} {}: {} ({}) help: {}\n",
            json.line,
            json.column,
            json.code,
            json.message,
            json.label,
            json.help.unwrap_or_default()
        ));
    }
    expected.assert_eq(&out);
}

fn check_format(text: &str, expected: Expect) {
    let formatted = format_checked("p.scrim", text).expect("formats");
    expected.assert_eq(&formatted);
    assert_eq!(
        format_checked("p.scrim", &formatted).unwrap(),
        formatted,
        "idempotent"
    );
}

#[test]
fn a_valid_policy_has_no_diagnostics() {
    check_diagnostics(
        r#"scrim 1
# comment
include "base.scrim"
preset rrweb, sentry
sensitive attributes defaults, data-email
require consent analytics
record only "https://shop.example.com/*"
never record "/admin/*", "https://x.example/*"
redact query token, email
redact path /^\d{6,}$/
detect email, card, phone, national-id
detect customer-id /CUST-\d{8}/
default text, value mask
default events ignore
block "iframe.payment" as payment-frame
mask sealed text, value ".card" with length 4
mask attr:data-user, attributes "[data-user]" with "[x]"
allow text "h1"
ignore events ".pad"
on page "/checkout/*" {
  allow text ".summary"
  when consent marketing and region EU, UK {
    mask all ".promo"
  }
}
when not consent ads {
  never record "/ads/*"
}
"#,
        expect![""],
    );
}

#[test]
fn three_mistakes_in_three_statements_give_three_diagnostics() {
    check_diagnostics(
        "scrim 1\nmsk text \".a\"\nmask txt \".b\"\nallow text .c\nblock \"ok\"\n",
        expect![[r#"
            2:1 syntax::unknown-statement: unknown statement `msk` (a statement starts with a keyword) help: did you mean `mask`?
            3:6 syntax::unknown-channel: unknown channel `txt` (not a channel) help: did you mean `text`?
            4:12 syntax::unexpected: unexpected `.` (expected a CSS selector in double quotes) help: write a CSS selector in double quotes here
        "#]],
    );
}

#[test]
fn structural_mistakes() {
    check_diagnostics(
        "mask text \".a\"\nscrim 2\non page \"/a\" {\n  include \"x.scrim\"\n  never record \"/b\"\n}\n}\nwhen consent a {\n",
        expect![[r#"
            2:1 syntax::version-not-first: the version line must be the first statement (not first) help: move this line to the top of the file, above every statement
            2:1 syntax::unsupported-version: language version `2` is not supported (unknown version) help: this compiler reads `scrim 1`
            4:3 syntax::not-top-level: `include` applies to the whole policy and cannot be scoped (inside a block) help: move this statement out of the block, to the top level
            5:3 syntax::page-decision-in-page-scope: page decisions cannot be scoped to pages (inside an `on page` block) help: write the URL pattern in `never record` or `record only` at the top level
            7:1 syntax::unmatched-brace: unexpected `}` (no block is open here) help: remove this `}`, or open a block with `on page …{` or `when …{`
            8:1 syntax::unclosed-block: this block is never closed (opened here) help: add a line with `}` where the block ends
        "#]],
    );
}

#[test]
fn formats_canonically_and_keeps_comments() {
    check_format(
        "# head\n\n\nscrim   1\nmask  text,value   \".a\"   # why\non page \"/x\",\"/y\" {   # scoped\nallow text \".b\"\n\n\n# inside\n}\nwhen consent a { allow text \".c\" }\n# tail\n",
        expect![[r#"
            # head

            scrim 1
            mask text, value ".a"  # why
            on page "/x", "/y" {  # scoped
              allow text ".b"

              # inside
            }
            when consent a {
              allow text ".c"
            }
            # tail
        "#]],
    );
}

#[test]
fn attribute_patterns_end_with_one_star() {
    check_format(
        "scrim 1\nsensitive attributes  defaults,DATA-*\nmask  attr:Data-*,attr:aria-* \".a\"\ndefault attr:x* capture\n",
        expect![[r#"
            scrim 1
            sensitive attributes defaults, DATA-*
            mask attr:data-*, attr:aria-* ".a"
            default attr:x* capture
        "#]],
    );
    check_format(
        "scrim 1\nsensitive attributes all except data-*, class\n",
        expect![[r#"
            scrim 1
            sensitive attributes all except data-*, class
        "#]],
    );
    check_diagnostics(
        "scrim 1\nmask attr:* \".a\"\nallow attr:*-label, attr:data-**, text \".b\"\nsensitive attributes all except *\n",
        expect![[r#"
            2:11 syntax::attribute-pattern: `attr:*` names no prefix (nothing before the `*`) help: write `attributes` for the sensitive attributes, or put a prefix before the `*`, as in `attr:data-*`
            3:12 syntax::attribute-pattern: misplaced `*` in `attr:*-label` (`*` can only end a pattern) help: a pattern such as `data-*` covers every attribute whose name starts with what comes before the `*`; name other attributes one by one
            3:31 syntax::attribute-pattern: misplaced `*` in `attr:data-**` (`*` can only end a pattern) help: a pattern such as `data-*` covers every attribute whose name starts with what comes before the `*`; name other attributes one by one
            4:33 syntax::attribute-pattern: `*` names no prefix (nothing before the `*`) help: write `sensitive attributes all` to make every attribute sensitive
        "#]],
    );
}

#[test]
fn sensitive_attributes_all_stands_alone_or_with_exceptions() {
    check_format(
        "scrim 1\nsensitive   attributes   all\n",
        expect![[r#"
            scrim 1
            sensitive attributes all
        "#]],
    );
    // `all` then a list is neither form: an error, not an attribute named `all`.
    check_diagnostics(
        "scrim 1\nsensitive attributes all, title\n",
        expect![[r#"
            2:25 syntax::unexpected: unexpected `,` (expected `except` or the end of the line) help: write `except` here, or end the statement
        "#]],
    );
}
