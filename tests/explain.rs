//! End-to-end tests of `scrim explain` through the binary: the shop example
//! policy against a checkout page (`tests/explain/checkout.html`), in both
//! output formats, plus the failures that must exit 1.

mod common;

use common::scrim;

use serde_json::Value;
use std::process::Output;

const PAGE: &str = "tests/explain/checkout.html";
const POLICY: &str = "examples/shop.scrim";
const CHECKOUT: &str = "https://shop.example.com/checkout/step-2";

fn explain(extra: &[&str]) -> Output {
    let mut args = vec![
        "explain",
        "--policy",
        POLICY,
        "--url",
        CHECKOUT,
        "--consent",
        "session-replay,marketing",
        PAGE,
    ];
    args.extend_from_slice(extra);
    scrim(&args)
}

fn ok_stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn json(extra: &[&str]) -> Vec<Value> {
    let mut args = extra.to_vec();
    args.extend_from_slice(&["--format", "json"]);
    let text = ok_stdout(&explain(&args));
    match serde_json::from_str(&text).expect("explain --format json prints JSON") {
        Value::Array(items) => items,
        other => panic!("expected an array, got {other}"),
    }
}

fn channel<'a>(element: &'a Value, name: &str) -> &'a Value {
    element["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .find(|c| c["channel"] == name)
        .unwrap_or_else(|| panic!("no channel {name} in {element}"))
}

/// The 1-based line of `file` that contains `needle`, so the tests follow
/// edits to the example policy instead of hard-coding its line numbers.
fn line_of(file: &str, needle: &str) -> u64 {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(path).unwrap();
    let index = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in {file}"));
    index as u64 + 1
}

#[test]
fn json_names_the_deciding_rule_and_its_policy_line() {
    let items = json(&["--select", ".greeting"]);
    assert_eq!(items.len(), 1, "{items:?}");
    let greeting = &items[0];
    assert_eq!(greeting["tag"], "span");
    assert_eq!(greeting["status"], "recorded");
    assert!(
        greeting["path"]
            .as_str()
            .unwrap()
            .ends_with("span.greeting"),
        "{}",
        greeting["path"]
    );

    let text = channel(greeting, "text");
    assert_eq!(text["outcome"], "mask");
    assert_eq!(text["step"], "nearest-rule");
    let rule = &text["deciding"][0];
    assert_eq!(rule["kind"], "rule");
    assert_eq!(rule["id"], "customer-name");
    assert_eq!(rule["file"], "examples/shop.scrim");
    assert_eq!(rule["line"], line_of(POLICY, "as customer-name"));
    assert_eq!(rule["column"], 1);
    assert_eq!(
        rule["source"],
        "mask text \".greeting, .account-menu\" as customer-name"
    );
    assert_eq!(rule["levels_up"], 0);
    assert_eq!(rule["matched"], "span.greeting");
    // The same rule also matches the enclosing menu one level up; it won
    // here, so it is not listed again as a loser.
    assert_eq!(text["lost"], serde_json::json!([]), "{text}");

    // Every attribute present is explained, and defaults say where they
    // come from.
    let class = channel(greeting, "attr:class");
    assert_eq!(class["outcome"], "capture");
    assert_eq!(class["deciding"][0]["kind"], "builtin-default");
    let media = channel(greeting, "media");
    assert_eq!(media["deciding"][0]["kind"], "default");
    assert_eq!(media["deciding"][0]["source"], "default media capture");
}

#[test]
fn json_reports_floors_strategies_scoped_defaults_and_lost_rules() {
    // Document order: the heading, then the password field, then the note.
    let items = json(&[
        "--select",
        "input[type=password], #gift-message, .order-summary h2",
    ]);
    assert_eq!(items.len(), 3, "{items:?}");

    let password = &items[1];
    let value = channel(password, "value");
    assert_eq!(value["outcome"], "mask");
    assert_eq!(value["step"], "floor");
    assert_eq!(value["deciding"][0]["kind"], "floor");
    // Its `value` attribute is form state: decided as the value channel.
    let attr = channel(password, "attr:value");
    assert_eq!(attr["decided_as"], "value");
    assert_eq!(attr["step"], "floor");

    let heading = &items[0];
    assert_eq!(heading["tag"], "h2");
    let text = channel(heading, "text");
    assert_eq!(text["outcome"], "capture");
    // `allow text ".order-summary, …, h1, h2"` in the checkout scope: it
    // matches the heading itself, and the summary one level up loses.
    assert_eq!(text["deciding"][0]["levels_up"], 0);
    assert_eq!(
        text["deciding"][0]["line"],
        line_of(POLICY, "allow text \".order-summary")
    );
    assert_eq!(text["deciding"][0]["column"], 3);
    assert_eq!(text["lost"], serde_json::json!([]), "{text}");

    let gift = &items[2];
    let value = channel(gift, "value");
    assert_eq!(value["outcome"], "mask");
    assert_eq!(value["strategy"], "with \"[gift message]\"");
    // A textarea's text is its value: decided as value, with its strategy.
    let text = channel(gift, "text");
    assert_eq!(text["outcome"], "mask");
    assert_eq!(text["decided_as"], "value");
    assert_eq!(text["strategy"], "with \"[gift message]\"");
    // The password field's text falls to the checkout scope's `default
    // text mask`.
    let text = channel(password, "text");
    assert_eq!(text["step"], "default");
    assert_eq!(text["deciding"][0]["source"], "default text mask");
    assert_eq!(
        text["deciding"][0]["line"],
        line_of(POLICY, "default text mask")
    );
}

#[test]
fn human_output_shows_the_rule_and_the_policy_line() {
    let out = ok_stdout(&explain(&["--select", ".greeting"]));
    assert!(
        out.contains("page https://shop.example.com/checkout/step-2"),
        "{out}"
    );
    assert!(out.contains("span.greeting"), "{out}");
    assert!(out.contains("step 5, nearest rule"), "{out}");
    assert!(out.contains("rule `customer-name` decides text"), "{out}");
    let line = line_of(POLICY, "as customer-name");
    assert!(
        out.contains(&format!("examples/shop.scrim:{line}:1")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{line} │ mask text \".greeting, .account-menu\" as customer-name"
        )),
        "{out}"
    );
    assert!(
        out.contains("matched this element (span.greeting)"),
        "{out}"
    );
    // A rule that matched and lost: with marketing consent the promo image's
    // own `allow media` beats the mask on its container one level up.
    let out = ok_stdout(&explain(&["--select", ".recommendations img"]));
    let mask_line = line_of(POLICY, "mask media \".recommendations");
    assert!(
        out.contains(&format!(
            "lost: rule `shop.scrim:{mask_line}` at examples/shop.scrim:{mask_line}:1, matched 1 level up, on div.recommendations"
        )),
        "{out}"
    );
}

#[test]
fn blocked_elements_name_the_block_rule() {
    let items = json(&["--select", "#live-chat, #live-chat p"]);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["status"], "placeholder");
    assert_eq!(items[1]["status"], "hidden");
    let text = channel(&items[1], "text");
    assert_eq!(text["outcome"], "off");
    assert_eq!(text["step"], "block");
    assert_eq!(text["deciding"][0]["id"], "support-chat");
    assert_eq!(text["deciding"][0]["levels_up"], 1);

    let out = ok_stdout(&explain(&["--select", "#live-chat p"]));
    assert!(out.contains("inside a blocked element"), "{out}");
    assert!(
        out.contains("block \"#live-chat\" as support-chat"),
        "{out}"
    );
}

#[test]
fn a_page_that_is_off_reports_the_page_rule() {
    // No consent: the baseline's `require consent session-replay` turns
    // recording off.
    let out = scrim(&["explain", "--policy", POLICY, "--url", CHECKOUT, PAGE]);
    let text = ok_stdout(&out);
    assert!(
        text.contains("not recorded: consent `session-replay` was not granted"),
        "{text}"
    );
    let line = line_of("examples/shared/baseline.scrim", "require consent");
    assert!(
        text.contains(&format!("page rule `baseline.scrim:{line}`")),
        "{text}"
    );
    assert!(
        text.contains(&format!("examples/shared/baseline.scrim:{line}:1")),
        "{text}"
    );
    assert!(text.contains("require consent session-replay"), "{text}");

    // `never record`, in JSON: every channel is off, decided by the rule.
    let out = scrim(&[
        "explain",
        "--policy",
        POLICY,
        "--url",
        "https://shop.example.com/account/password",
        "--consent",
        "session-replay",
        PAGE,
        "--select",
        "h1",
        "--format",
        "json",
    ]);
    let items: Vec<Value> = serde_json::from_str(&ok_stdout(&out)).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status"], "page-off");
    let line = line_of(POLICY, "never record \"");
    for c in items[0]["channels"].as_array().unwrap() {
        assert_eq!(c["outcome"], "off", "{c}");
        assert_eq!(c["step"], "page-off", "{c}");
        let cause = &c["deciding"][0];
        assert_eq!(cause["kind"], "page-rule");
        assert_eq!(cause["id"], format!("shop.scrim:{line}"));
        assert_eq!(cause["line"], line);
        assert_eq!(cause["reason"], "the URL matches a `never record` pattern");
    }
}

#[test]
fn select_restricts_the_output() {
    let all = json(&[]);
    let some = json(&["--select", "label"]);
    assert_eq!(some.len(), 2, "{some:?}");
    assert!(all.len() > 20, "every element: {}", all.len());
    assert!(some.iter().all(|e| e["tag"] == "label"));

    let out = ok_stdout(&explain(&["--select", "h1"]));
    assert!(out.contains("> h1\n"), "{out}");
    assert!(!out.contains("span.greeting"), "{out}");

    let out = ok_stdout(&explain(&["--select", ".nothing-has-this"]));
    assert!(out.contains("no element matches the selector"), "{out}");
}

#[test]
fn inline_event_handlers_are_never_recorded() {
    let items = json(&["--select", "form"]);
    let handler = channel(&items[0], "attr:onsubmit");
    assert_eq!(handler["outcome"], "off");
    assert_eq!(handler["step"], "never-recorded");
}

#[test]
fn a_compiled_artifact_gives_locations_without_snippets() {
    let dir = common::scratch("explain", "artifact");
    let artifact = dir.join("shop.json");
    let artifact = artifact.to_string_lossy();
    let out = scrim(&["compile", POLICY, "-o", &artifact]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = scrim(&[
        "explain",
        "--policy",
        &artifact,
        "--url",
        CHECKOUT,
        "--consent",
        "session-replay",
        PAGE,
        "--select",
        ".greeting",
        "--format",
        "json",
    ]);
    let items: Vec<Value> = serde_json::from_str(&ok_stdout(&out)).unwrap();
    let rule = &channel(&items[0], "text")["deciding"][0];
    assert_eq!(rule["id"], "customer-name");
    let line = line_of(POLICY, "as customer-name");
    assert_eq!(rule["file"], "shop.scrim");
    assert_eq!(rule["line"], line);
    assert!(rule.get("source").is_none(), "{rule}");

    let out = scrim(&[
        "explain",
        "--policy",
        &artifact,
        "--url",
        CHECKOUT,
        "--consent",
        "session-replay",
        PAGE,
        "--select",
        ".greeting",
    ]);
    let text = ok_stdout(&out);
    assert!(text.contains("rule `customer-name` decides text"), "{text}");
    assert!(text.contains(&format!("at shop.scrim:{line}:1")), "{text}");
}

#[test]
fn a_broken_policy_exits_1_and_prints_nothing_on_stdout() {
    let dir = common::scratch("explain", "broken");
    let scrim_file = dir.join("broken.scrim");
    std::fs::write(&scrim_file, "scrim 1\nmask txt \".b\"\n").unwrap();
    let json_file = dir.join("broken.json");
    std::fs::write(
        &json_file,
        "{\"format\": \"scrim-policy\", \"version\": 99}",
    )
    .unwrap();
    let missing = dir.join("missing.scrim");
    for (policy, says) in [
        (&scrim_file, "unknown channel `txt`"),
        (&json_file, "cannot load"),
        (&missing, "cannot read"),
    ] {
        let out = scrim(&[
            "explain",
            "--policy",
            &policy.to_string_lossy(),
            "--url",
            CHECKOUT,
            PAGE,
        ]);
        assert_eq!(out.status.code(), Some(1), "{policy:?}");
        assert!(out.stdout.is_empty(), "{policy:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{policy:?}: {stderr}");
    }

    // A selector that does not parse, and a page that cannot be read.
    let out = explain(&["--select", "div["]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid selector"));
    let out = scrim(&[
        "explain",
        "--policy",
        POLICY,
        "--url",
        CHECKOUT,
        &dir.join("nope.html").to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn json_lists_the_rules_that_matched_and_lost() {
    let items = json(&["--select", ".recommendations img"]);
    let media = channel(&items[0], "media");
    assert_eq!(media["outcome"], "capture");
    assert_eq!(media["step"], "nearest-rule");
    assert_eq!(media["deciding"][0]["levels_up"], 0);
    let lost = &media["lost"][0];
    assert_eq!(
        lost["line"],
        line_of(POLICY, "mask media \".recommendations")
    );
    assert_eq!(lost["levels_up"], 1);
    assert_eq!(lost["matched"], "div.recommendations");
    assert_eq!(lost["beaten_by"], "nearest-rule");
}

// ---------------------------------------------------------- non-ASCII markup

/// Explains `--select p` on `html` under the shop policy, in both formats.
fn explain_page(dir: &std::path::Path, html: &str) -> (Vec<Value>, String) {
    let page = common::write(dir, "page.html", html);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "explain",
            "--policy",
            POLICY,
            "--url",
            "https://shop.example.com/",
            "--consent",
            "session-replay",
            &page,
            "--select",
            "p",
        ];
        args.extend_from_slice(extra);
        ok_stdout(&scrim(&args))
    };
    let items = match serde_json::from_str(&run(&["--format", "json"])).unwrap() {
        Value::Array(items) => items,
        other => panic!("expected an array, got {other}"),
    };
    (items, run(&[]))
}

#[test]
fn non_ascii_attribute_names_are_explained_not_a_crash() {
    let dir = common::scratch("explain", "non-ascii");
    let (items, human) = explain_page(
        &dir,
        "<p xé=\"x\" oné=\"y\" é=\"z\" 日本=\"語\" o=\"1\">Grüße</p>",
    );
    assert_eq!(items.len(), 1);
    let p = &items[0];
    for name in ["attr:xé", "attr:é", "attr:日本", "attr:o"] {
        assert_ne!(channel(p, name)["step"], "never-recorded", "{name}");
        assert!(human.contains(name), "{name}: {human}");
    }
    // `oné` starts with `on` but is no event handler: an ordinary attribute.
    assert_ne!(channel(p, "attr:oné")["step"], "never-recorded");
}

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn word(&mut self, first: &[&str]) -> String {
        const PIECES: &[&str] = &[
            "a", "o", "n", "on", "x", "-", "é", "ß", "Ö", "日", "本", "Ω", "ł", "😀", "\u{301}",
        ];
        let mut s = first[self.below(first.len())].to_string();
        for _ in 0..self.below(4) {
            s.push_str(PIECES[self.below(PIECES.len())]);
        }
        s
    }
}

#[test]
fn generated_pages_with_non_ascii_names_values_and_text_are_explained() {
    let dir = common::scratch("explain", "generated");
    for seed in 1..=12u64 {
        let mut random = Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut html = String::from("<!DOCTYPE html><body>");
        let mut expected: Vec<Vec<String>> = Vec::new();
        for _ in 0..4 {
            let mut names: Vec<String> = Vec::new();
            for _ in 0..1 + random.below(4) {
                let name = random.word(&["é", "on", "oN", "日", "x", "Ωn", "ö", "click", "LOAD"]);
                // The parser lowercases ASCII letters in names; a repeated
                // name keeps its first value.
                if !names.contains(&name.to_ascii_lowercase()) {
                    names.push(name.to_ascii_lowercase());
                }
            }
            html.push_str("<p");
            for name in &names {
                let value = random.word(&["", "v", "ü", "😀"]);
                html.push_str(&format!(" {name}=\"{value}\""));
            }
            let text = random.word(&["Grüße ", "日本 ", "ok "]);
            html.push_str(&format!(">{text}</p>"));
            expected.push(names);
        }
        let (items, human) = explain_page(&dir, &html);
        assert_eq!(items.len(), expected.len(), "seed {seed}: {html}");
        for (item, names) in items.iter().zip(&expected) {
            for name in names {
                let c = channel(item, &format!("attr:{name}"));
                let handler = scrim_html::is_event_handler(name);
                assert_eq!(
                    c["step"] == "never-recorded",
                    handler,
                    "seed {seed}: {name} in {html}"
                );
                assert!(human.contains(&format!("attr:{name}")), "seed {seed}");
            }
        }
    }
}

#[test]
fn only_event_handlers_among_on_attributes_are_never_recorded() {
    let dir = common::scratch("explain", "handlers");
    let page = dir.join("page.html");
    std::fs::write(&page, "<p one=\"1\" onclick=\"x()\" \u{20ac}=\"y\">t</p>").unwrap();
    let out = scrim(&[
        "explain",
        "--policy",
        POLICY,
        "--url",
        CHECKOUT,
        "--consent",
        "session-replay",
        &page.to_string_lossy(),
        "--select",
        "p",
        "--format",
        "json",
    ]);
    let items: Value = serde_json::from_str(&ok_stdout(&out)).expect("JSON");
    assert_eq!(channel(&items[0], "attr:onclick")["step"], "never-recorded");
    assert_ne!(channel(&items[0], "attr:one")["step"], "never-recorded");
    assert_ne!(
        channel(&items[0], "attr:\u{20ac}")["step"],
        "never-recorded"
    );
}

#[test]
fn explain_reads_pages_as_mask_does() {
    let dir = common::scratch("explain", "read");
    let page = dir.join("page.html");
    let utf16: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("<p>x</p>".encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    std::fs::write(&page, utf16).unwrap();
    let page = page.to_string_lossy().into_owned();
    let args = |extra: &[&'static str]| {
        let mut args = vec![
            "explain",
            "--policy",
            POLICY,
            "--url",
            CHECKOUT,
            "--consent",
            "session-replay",
        ];
        args.extend_from_slice(extra);
        args
    };
    let mut with_page = args(&["--select", "p", "--format", "json"]);
    with_page.push(&page);
    let items: Value = serde_json::from_str(&ok_stdout(&scrim(&with_page))).expect("JSON");
    assert_eq!(items[0]["tag"], "p");
    let mut too_deep = args(&["--max-depth", "2"]);
    too_deep.push(&page);
    let out = scrim(&too_deep);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot explain `") && stderr.contains("`--max-depth N`"),
        "{stderr}"
    );
}

// ------------------------------------------------------- routing agreement

/// Explains `--select SELECT` on `html` under `policy` (JSON) and masks
/// `html` under it: what explain reports, and what mask wrote.
fn explain_and_mask(name: &str, policy: &str, html: &str, select: &str) -> (Vec<Value>, String) {
    let dir = common::scratch("explain", name);
    let policy = common::write(&dir, "policy.scrim", policy);
    let page = common::write(&dir, "page.html", html);
    let base = [
        "--policy",
        policy.as_str(),
        "--url",
        "https://example.com/",
        page.as_str(),
    ];
    let mut args = vec!["explain"];
    args.extend_from_slice(&base);
    args.extend_from_slice(&["--select", select, "--format", "json"]);
    let items = match serde_json::from_str(&ok_stdout(&scrim(&args))).unwrap() {
        Value::Array(items) => items,
        other => panic!("expected an array, got {other}"),
    };
    let mut args = vec!["mask"];
    args.extend_from_slice(&base);
    (items, ok_stdout(&scrim(&args)))
}

#[test]
fn option_text_and_label_are_form_state_as_mask_writes_them() {
    // Text captured, values masked: an option's text and `label` are the
    // select's state, which mask writes as stars.
    let (items, masked) = explain_and_mask(
        "option",
        "scrim 1\ndefault text capture\ndefault value mask\n",
        r#"<select><option label="Jane" value="j">Jane Doe</option></select>"#,
        "option",
    );
    assert!(
        masked.contains(r#"<option label="****" value="*">**** ***</option>"#),
        "{masked}"
    );
    let option = &items[0];
    for name in ["text", "attr:label", "attr:value", "value"] {
        let c = channel(option, name);
        assert_eq!(c["outcome"], "mask", "{name}: {c}");
        assert_eq!(c["decided_as"], "value", "{name}: {c}");
        assert_eq!(c["step"], "default", "{name}: {c}");
    }
}

#[test]
fn an_options_label_is_decided_by_the_stricter_of_its_and_its_selects_value() {
    let (items, masked) = explain_and_mask(
        "select",
        "scrim 1\ndefault text capture\nallow value \"option\"\nmask value \"select\"\n",
        r#"<select id="size"><option label="Large">Large</option></select>"#,
        "option",
    );
    assert!(
        masked.contains(r#"<option label="*****">*****</option>"#),
        "{masked}"
    );
    let label = channel(&items[0], "attr:label");
    assert_eq!(label["outcome"], "mask", "{label}");
    assert_eq!(label["decided_as"], "value", "{label}");
    // The select's mask decided, one level up; the option's allow and the
    // label's own `attr:label` are the other channels read.
    let rule = &label["deciding"][0];
    assert_eq!(rule["levels_up"], 1, "{label}");
    assert_eq!(rule["matched"], "select#size", "{label}");
    let sources = label["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), 3, "{label}");
    assert_eq!(sources[0]["channel"], "value");
    assert_eq!(sources[0]["levels_up"], 1);
    assert_eq!(sources[0]["outcome"], "mask");
    assert_eq!(sources[0]["decides"], true);
    assert_eq!(sources[1]["levels_up"], 0);
    assert_eq!(sources[1]["outcome"], "capture");
    assert_eq!(sources[1]["decides"], false);
    assert_eq!(sources[2]["channel"], "attr:label");
    assert_eq!(sources[2]["outcome"], "capture");
    assert_eq!(sources[2]["decides"], false);
}

#[test]
fn a_media_url_is_decided_by_the_stricter_of_its_attribute_and_media() {
    let (items, masked) = explain_and_mask(
        "media",
        "scrim 1\nmask media \".a\"\n",
        r#"<img class="a" src="https://cdn.example.com/jane.png">"#,
        "img",
    );
    assert!(
        masked.contains(r#"<img class="a" src="https://cdn.example.com/">"#),
        "{masked}"
    );
    let src = channel(&items[0], "attr:src");
    assert_eq!(src["outcome"], "mask", "{src}");
    assert_eq!(src["decided_as"], "media", "{src}");
    assert_eq!(src["step"], "nearest-rule", "{src}");
    let sources = src["sources"].as_array().expect("sources");
    assert_eq!(sources[0]["channel"], "attr:src");
    assert_eq!(sources[0]["outcome"], "capture");
    assert_eq!(sources[1]["channel"], "media");
    assert_eq!(sources[1]["outcome"], "mask");
}

#[test]
fn content_never_recorded_or_written_as_structure_says_so() {
    let (items, masked) = explain_and_mask(
        "dropped",
        "scrim 1\ndefault text, value, attributes capture\n",
        r#"<a href="javascript:alert(1)" onclick="x()">go</a><meta charset="windows-1252"><iframe src="data:text/html,<script>x</script>"></iframe>"#,
        "a, meta, iframe",
    );
    assert!(!masked.contains("javascript"), "{masked}");
    assert!(masked.contains(r#"<meta charset="utf-8">"#), "{masked}");
    let href = channel(&items[0], "attr:href");
    assert_eq!(href["outcome"], "off", "{href}");
    assert_eq!(href["step"], "never-recorded", "{href}");
    assert_eq!(href["reason"], "script-url", "{href}");
    let onclick = channel(&items[0], "attr:onclick");
    assert_eq!(onclick["reason"], "event-handler", "{onclick}");
    let charset = channel(&items[1], "attr:charset");
    assert_eq!(charset["outcome"], "fixed", "{charset}");
    assert_eq!(charset["step"], "structure", "{charset}");
    assert_eq!(charset["written"], "utf-8", "{charset}");
    let src = channel(&items[2], "attr:src");
    assert_eq!(src["reason"], "script-document", "{src}");
}

#[test]
fn editable_text_is_decided_by_the_stricter_of_text_and_value() {
    let (items, masked) = explain_and_mask(
        "editable",
        "scrim 1\ndefault text capture\nmask value \".note\" with \"[note]\"\n",
        r#"<div class="note" contenteditable>Dear Jane</div>"#,
        "div",
    );
    assert!(masked.contains(">[note]</div>"), "{masked}");
    let text = channel(&items[0], "text");
    assert_eq!(text["outcome"], "mask", "{text}");
    assert_eq!(text["strategy"], "with \"[note]\"", "{text}");
    assert_eq!(text["decided_as"], "value", "{text}");
}

#[test]
fn a_style_attribute_reports_its_strings_and_urls() {
    let (items, masked) = explain_and_mask(
        "style",
        "scrim 1\ndefault text capture\nallow attr:style \"p\"\nmask media \"p\"\n",
        r#"<p style="background: url(https://cdn.example.com/jane.png); font-family: 'Jane Sans'">x</p>"#,
        "p",
    );
    assert!(
        masked.contains("url(&quot;https://cdn.example.com/&quot;)"),
        "{masked}"
    );
    let style = channel(&items[0], "attr:style");
    assert_eq!(style["outcome"], "capture", "{style}");
    let css = &style["css"];
    assert_eq!(css["urls"]["outcome"], "mask", "{style}");
    assert_eq!(css["urls"]["decided_as"], "media", "{style}");
    // The built-in text default masks; the page's text default is
    // `capture` here, so the element's text decides the strings.
    assert_eq!(css["strings"]["outcome"], "capture", "{style}");
}
