//! Each shipped preset against its vendor: one case per behaviour the
//! vendor documents (or its SDK implements) for its markup, run as a
//! recorder would run it: the preset compiled into a policy, a small page
//! masked through `scrim-html`, and the page that would be recorded
//! compared in full. `docs/presets.md` lists the same behaviours, with
//! their sources, in the same order.
//!
//! Most cases use [`OPEN`], a policy that captures everything, so that
//! what is masked is the preset's doing; cases about `allow` markup use
//! [`PRIVATE`] (the built-in defaults: text, values and sensitive
//! attributes masked), so that what is captured is the preset's doing.

use scrim_compiler::{NoFiles, compile};
use scrim_matcher::{ChannelOutcome, Context, Policy};

const URL: &str = "https://shop.example.com/account";
/// Everything captured unless a rule says otherwise.
const OPEN: &str = "default text, value, attributes, media capture";
/// The built-in defaults: text, values and sensitive attributes masked.
const PRIVATE: &str = "";

/// One documented behaviour: the vendor, what it does (as its docs or SDK
/// say), the rest of the policy, a page and the page as recorded (a
/// `<textarea>`'s content is written after a newline, which a parser
/// drops, so that content starting with one survives).
struct Case {
    vendor: &'static str,
    behaviour: &'static str,
    policy: &'static str,
    page: &'static str,
    recorded: &'static str,
}

fn policy_for(vendor: &str, rest: &str) -> Policy {
    let text = format!("scrim 1\n\npreset {vendor}\n{rest}\n");
    let compilation = compile("p.scrim", &text, &NoFiles);
    assert!(
        compilation.diagnostics.is_empty(),
        "{vendor}: {:?}",
        compilation.diagnostics
    );
    Policy::from_artifact(compilation.artifact.unwrap()).unwrap()
}

fn context() -> Context {
    Context {
        url: URL.into(),
        consent: vec![],
        region: None,
    }
}

/// The `<body>` content of a page as recorded under `vendor`'s preset.
fn record(vendor: &str, rest: &str, page: &str) -> String {
    let policy = policy_for(vendor, rest);
    let out = scrim_html::mask_html(page, &policy.page(&context()));
    let body = out
        .split_once("<body>")
        .and_then(|(_, rest)| rest.rsplit_once("</body>"))
        .map(|(body, _)| body)
        .unwrap_or_else(|| panic!("no body in {out}"));
    body.to_string()
}

fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for case in cases {
        let got = record(case.vendor, case.policy, case.page);
        if got != case.recorded {
            failures.push(format!(
                "{}: {}\n  page:     {}\n  expected: {}\n  got:      {}",
                case.vendor, case.behaviour, case.page, case.recorded, got
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Whether the input events of the elements `selector` picks are
/// recorded (`true`) or ignored.
fn events_recorded(vendor: &str, page: &str, selector: &str) -> Vec<bool> {
    let policy = policy_for(vendor, OPEN);
    let page_policy = policy.page(&context());
    let doc = scrim_html::Document::parse(page);
    doc.select(selector)
        .unwrap()
        .into_iter()
        .map(|e| page_policy.decide(e).events == ChannelOutcome::Capture)
        .collect()
}

#[test]
fn rrweb() {
    check(&[
        Case {
            vendor: "rrweb",
            behaviour: ".rr-block is not recorded and replays as a placeholder of its size",
            policy: OPEN,
            page: r#"<div class="rr-block" width="300" height="40" title="x"><p>Jane</p></div><p>after</p>"#,
            recorded: r#"<div data-scrim-blocked width="300" height="40"></div><p>after</p>"#,
        },
        Case {
            vendor: "rrweb",
            behaviour: ".rr-mask masks the text of the element and its children",
            policy: OPEN,
            page: r#"<div class="rr-mask">Jane <b>Doe</b></div><p>kept</p>"#,
            recorded: r#"<div class="rr-mask">**** <b>***</b></div><p>kept</p>"#,
        },
        Case {
            vendor: "rrweb",
            behaviour: ".rr-ignore: the typed value is not recorded either (fail closed)",
            policy: OPEN,
            page: r#"<input class="rr-ignore" value="jane"><input value="kept">"#,
            recorded: r#"<input class="rr-ignore" value="****"><input value="kept">"#,
        },
        Case {
            vendor: "rrweb",
            behaviour: "password inputs are masked by default",
            policy: OPEN,
            page: r#"<input type="password" value="hunter2">"#,
            recorded: r#"<input type="password" value="*******">"#,
        },
    ]);
    assert_eq!(
        events_recorded("rrweb", r#"<input class="rr-ignore"><input>"#, "input"),
        [false, true],
        ".rr-ignore: its input events are not recorded"
    );
}

#[test]
fn sentry() {
    check(&[
        Case {
            vendor: "sentry",
            behaviour: ".sentry-block and [data-sentry-block] become placeholders",
            policy: OPEN,
            page: r#"<div class="sentry-block">Jane</div><div data-sentry-block>Doe</div><p>after</p>"#,
            recorded: r#"<div data-scrim-blocked></div><div data-scrim-blocked></div><p>after</p>"#,
        },
        Case {
            vendor: "sentry",
            behaviour: "iframe[srcdoc]:not([src]) is blocked by default",
            policy: OPEN,
            page: r#"<iframe srcdoc="<p>Jane</p>"></iframe><iframe src="https://shop.example.com/frame"></iframe>"#,
            recorded: r#"<iframe data-scrim-blocked></iframe><iframe src="https://shop.example.com/frame"></iframe>"#,
        },
        Case {
            vendor: "sentry",
            behaviour: ".sentry-mask and [data-sentry-mask] mask text with *, inputs and title/placeholder, children too",
            policy: OPEN,
            page: r#"<div class="sentry-mask" title="Jane">Jane <b>Doe</b><input placeholder="Name" value="Jane"></div><p data-sentry-mask>Doe</p><p title="kept">kept</p>"#,
            recorded: r#"<div class="sentry-mask" title="****">**** <b>***</b><input placeholder="****" value="****"></div><p data-sentry-mask="">***</p><p title="kept">kept</p>"#,
        },
        Case {
            vendor: "sentry",
            behaviour: ".sentry-ignore, [data-sentry-ignore] and file inputs: their values are not recorded either (fail closed)",
            policy: OPEN,
            page: r#"<input class="sentry-ignore" value="jane"><input data-sentry-ignore value="doe"><input type="file" value="C:\fakepath\cv.pdf">"#,
            recorded: r#"<input class="sentry-ignore" value="****"><input data-sentry-ignore="" value="***"><input type="file" value="******************">"#,
        },
        Case {
            vendor: "sentry",
            behaviour: ".sentry-unmask is not honoured by default since SDK v8",
            policy: PRIVATE,
            page: r#"<p class="sentry-unmask">Jane</p><p data-sentry-unmask>Doe</p>"#,
            recorded: r#"<p class="sentry-unmask">****</p><p data-sentry-unmask="">***</p>"#,
        },
        Case {
            vendor: "sentry",
            behaviour: "password and card-number inputs stay masked whatever the options",
            policy: "default text, value, attributes, media capture\nallow value \"form\"",
            page: r#"<form><input type="password" value="hunter2"><input autocomplete="cc-number" value="4111 1111"><input value="kept"></form>"#,
            recorded: r#"<form><input type="password" value="*******"><input autocomplete="cc-number" value="**** ****"><input value="kept"></form>"#,
        },
    ]);
    assert_eq!(
        events_recorded(
            "sentry",
            r#"<input class="sentry-ignore"><input data-sentry-ignore><input type="file"><input>"#,
            "input"
        ),
        [false, false, false, true],
        "ignored inputs: their events are not recorded"
    );
}

#[test]
fn datadog() {
    check(&[
        Case {
            vendor: "datadog",
            behaviour: "hidden (attribute or class) is replaced by a placeholder",
            policy: OPEN,
            page: r#"<div data-dd-privacy="hidden">Jane</div><div class="dd-privacy-hidden">Doe</div><p>after</p>"#,
            recorded: r#"<div data-scrim-blocked></div><div data-scrim-blocked></div><p>after</p>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "mask masks text, values, images, links, title/alt/placeholder/aria-label/name and data-* attributes, children too",
            policy: OPEN,
            page: r#"<div data-dd-privacy="mask" id="card" class="c"><p data-user-id="42" title="Jane">Jane</p><img src="https://cdn.example.com/jane.png" alt="Jane"><a href="https://shop.example.com/u/jane">Profile</a><input name="email-jane" placeholder="Email" aria-label="Email" value="jane@example.com"></div>"#,
            recorded: r#"<div data-dd-privacy="****" id="card" class="c"><p data-user-id="**" title="****">****</p><img src="https://cdn.example.com/" alt="****"><a href="https://shop.example.com/">*******</a><input name="**********" placeholder="*****" aria-label="*****" value="****************"></div>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "mask names its attributes: they are masked whatever the policy's sensitive set",
            policy: "default text, value, attributes, media capture\nsensitive attributes aria-description",
            page: r#"<p class="dd-privacy-mask" title="Jane" data-email="jane@example.com">x</p>"#,
            recorded: r#"<p class="dd-privacy-mask" title="****" data-email="****************">*</p>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "mask-unless-allowlisted masks as mask (the runtime allowlist is not markup)",
            policy: OPEN,
            page: r#"<p data-dd-privacy="mask-unless-allowlisted" data-name="Jane">Jane</p><p class="dd-privacy-mask-unless-allowlisted">Doe</p>"#,
            recorded: r#"<p data-dd-privacy="***********************" data-name="****">****</p><p class="dd-privacy-mask-unless-allowlisted">***</p>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "mask-user-input masks form values and <output> text, not other text or attributes",
            policy: OPEN,
            page: r#"<form data-dd-privacy="mask-user-input"><label title="t">Name</label><input value="Jane"><textarea>Doe</textarea><select><option selected>Paris</option></select><output>42 EUR</output></form><p class="dd-privacy-mask-user-input"><input value="x"></p>"#,
            recorded: r#"<form data-dd-privacy="mask-user-input"><label title="t">Name</label><input value="****"><textarea>
***</textarea><select><option>*****</option></select><output>** ***</output></form><p class="dd-privacy-mask-user-input"><input value="*"></p>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "the input-ignored and input-masked levels (removed in v4) mask values",
            policy: OPEN,
            page: r#"<input data-dd-privacy="input-ignored" value="jane"><input class="dd-privacy-input-masked" value="doe">"#,
            recorded: r#"<input data-dd-privacy="input-ignored" value="****"><input class="dd-privacy-input-masked" value="***">"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "allow records everything unmasked",
            policy: PRIVATE,
            page: r#"<div data-dd-privacy="allow"><p title="Tip" data-x="1">Hello</p><input value="blue"></div><p class="dd-privacy-allow">Hi</p><p>Jane</p>"#,
            recorded: r#"<div data-dd-privacy="allow"><p title="Tip" data-x="1">Hello</p><input value="blue"></div><p class="dd-privacy-allow">Hi</p><p>****</p>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "allow keeps password, email, tel, hidden and card/password-autocomplete inputs masked",
            policy: PRIVATE,
            page: r#"<form data-dd-privacy="allow"><input type="password" value="hunter2"><input type="EMAIL" value="jane@example.com" placeholder="Email"><input type="tel" value="555 0100" data-x="1"><input type="hidden" value="t0k"><input autocomplete="cc-exp" value="12/30"><input autocomplete="new-password" value="pw"><input value="kept"></form>"#,
            recorded: r#"<form data-dd-privacy="allow"><input type="password" value="*******"><input type="EMAIL" value="****************" placeholder="*****"><input type="tel" value="*** ****" data-x="*"><input type="hidden" value="***"><input autocomplete="cc-exp" value="*****"><input autocomplete="new-password" value="**"><input value="kept"></form>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "those inputs are masked before the markup is read: even where the policy allows them",
            policy: "default text, value, attributes, media capture\nallow value \"form\"",
            page: r#"<form><input type="email" value="jane@example.com"><input value="kept"></form>"#,
            recorded: r#"<form><input type="email" value="****************"><input value="kept"></form>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "the nearest override wins: allow inside mask, mask inside allow",
            policy: PRIVATE,
            page: r#"<div data-dd-privacy="mask"><p data-x="1">Jane</p><p data-dd-privacy="allow" data-x="2">Hello<b data-dd-privacy="mask" data-x="3">Doe</b></p></div>"#,
            recorded: r#"<div data-dd-privacy="****"><p data-x="*">****</p><p data-dd-privacy="allow" data-x="2">Hello<b data-dd-privacy="****" data-x="*">***</b></p></div>"#,
        },
        Case {
            vendor: "datadog",
            behaviour: "on one element the most restrictive level wins",
            policy: PRIVATE,
            page: r#"<p data-dd-privacy="allow" class="dd-privacy-hidden">Jane</p><p data-dd-privacy="allow" class="dd-privacy-mask">Doe</p><p data-dd-privacy="allow" class="dd-privacy-mask-user-input">Hi<input value="x"></p>"#,
            recorded: r#"<p data-scrim-blocked></p><p data-dd-privacy="*****" class="dd-privacy-mask">***</p><p data-dd-privacy="allow" class="dd-privacy-mask-user-input">Hi<input value="*"></p>"#,
        },
    ]);
}

#[test]
fn posthog() {
    check(&[
        Case {
            vendor: "posthog",
            behaviour: ".ph-no-capture is replaced by a block of the same size",
            policy: OPEN,
            page: r#"<div class="ph-no-capture" width="10">Jane</div><p>after</p>"#,
            recorded: r#"<div data-scrim-blocked width="10"></div><p>after</p>"#,
        },
        Case {
            vendor: "posthog",
            behaviour: ".ph-mask masks the text of the element and its children",
            policy: OPEN,
            page: r#"<div class="ph-mask">Jane <i>Doe</i></div><p>kept</p>"#,
            recorded: r#"<div class="ph-mask">**** <i>***</i></div><p>kept</p>"#,
        },
        Case {
            vendor: "posthog",
            behaviour: ".ph-ignore-input: the typed value is not recorded either (fail closed)",
            policy: OPEN,
            page: r#"<input class="ph-ignore-input" value="jane">"#,
            recorded: r#"<input class="ph-ignore-input" value="****">"#,
        },
        Case {
            vendor: "posthog",
            behaviour: ".ph-sensitive (autocapture's marker) masks text, values and sensitive attributes",
            policy: OPEN,
            page: r#"<div class="ph-sensitive" title="Jane">Jane<input value="Doe"></div>"#,
            recorded: r#"<div class="ph-sensitive" title="****">****<input value="***"></div>"#,
        },
    ]);
    assert_eq!(
        events_recorded(
            "posthog",
            r#"<input class="ph-ignore-input"><input>"#,
            "input"
        ),
        [false, true],
        ".ph-ignore-input: its input events are not recorded"
    );
}

#[test]
fn fullstory() {
    check(&[
        Case {
            vendor: "fullstory",
            behaviour: ".fs-exclude (and its former name .fs-block) excludes the element and its children",
            policy: OPEN,
            page: r#"<div class="fs-exclude">Jane</div><div class="fs-block">Doe</div><p>after</p>"#,
            recorded: r#"<div data-scrim-blocked></div><div data-scrim-blocked></div><p>after</p>"#,
        },
        Case {
            vendor: "fullstory",
            behaviour: ".fs-mask masks text, values and images of the element and its children",
            policy: OPEN,
            page: r#"<div class="fs-mask">Jane<img src="https://cdn.example.com/jane.png"><input value="Doe"></div>"#,
            recorded: r#"<div class="fs-mask">****<img src="https://cdn.example.com/"><input value="***"></div>"#,
        },
        Case {
            vendor: "fullstory",
            behaviour: "an .fs-unmask inside an .fs-mask stays masked (the more private reading)",
            policy: OPEN,
            page: r#"<div class="fs-mask"><p class="fs-unmask">Jane</p></div>"#,
            recorded: r#"<div class="fs-mask"><p class="fs-unmask">****</p></div>"#,
        },
        Case {
            vendor: "fullstory",
            behaviour: ".fs-unmask shows text, values and images in clear",
            policy: PRIVATE,
            page: r#"<div class="fs-unmask">Hello<input value="blue"></div><p>Jane</p>"#,
            recorded: r#"<div class="fs-unmask">Hello<input value="blue"></div><p>****</p>"#,
        },
        Case {
            vendor: "fullstory",
            behaviour: "the consent classes take their meaning without consent",
            policy: PRIVATE,
            page: r#"<div class="fs-exclude-without-consent">Jane</div><p class="fs-mask-without-consent">Doe</p><p class="fs-unmask-with-consent">Hi</p>"#,
            recorded: r#"<div data-scrim-blocked></div><p class="fs-mask-without-consent">***</p><p class="fs-unmask-with-consent">**</p>"#,
        },
    ]);
}

#[test]
fn logrocket() {
    check(&[
        Case {
            vendor: "logrocket",
            behaviour: "[data-private] (any value) keeps only the element's size",
            policy: OPEN,
            page: r#"<div data-private width="20">Jane</div><input data-private="lipsum" value="Doe"><p data-private="delete">x</p><p>after</p>"#,
            recorded: r#"<div data-scrim-blocked width="20"></div><input data-scrim-blocked><p data-scrim-blocked></p><p>after</p>"#,
        },
        Case {
            vendor: "logrocket",
            behaviour: "._lr-hide (legacy) leaves the tree out",
            policy: OPEN,
            page: r#"<div class="_lr-hide">Jane</div>"#,
            recorded: r#"<div data-scrim-blocked></div>"#,
        },
        Case {
            vendor: "logrocket",
            behaviour: "[data-public] exempts text, inputs, images and their attributes from the sanitizers",
            policy: PRIVATE,
            page: r#"<div data-public title="Tip">Hello<input value="blue" placeholder="Colour"><img src="https://cdn.example.com/a.png" alt="Logo"></div><p title="Jane">Jane</p>"#,
            recorded: r#"<div data-public="" title="Tip">Hello<input value="blue" placeholder="Colour"><img src="https://cdn.example.com/a.png" alt="Logo"></div><p title="****">****</p>"#,
        },
        Case {
            vendor: "logrocket",
            behaviour: "data-public cannot include again what data-private excluded",
            policy: PRIVATE,
            page: r#"<div data-private><p data-public>Jane</p></div>"#,
            recorded: r#"<div data-scrim-blocked></div>"#,
        },
        Case {
            vendor: "logrocket",
            behaviour: "password inputs are never recorded, even public ones",
            policy: PRIVATE,
            page: r#"<input data-public type="password" value="hunter2">"#,
            recorded: r#"<input data-public="" type="password" value="*******">"#,
        },
    ]);
}

#[test]
fn hotjar() {
    check(&[
        Case {
            vendor: "hotjar",
            behaviour: "data-hj-suppress (attribute or class) suppresses text, images and input",
            policy: OPEN,
            page: r#"<div data-hj-suppress>Jane<img src="https://cdn.example.com/j.png"><input value="Doe"></div><p class="data-hj-suppress">Doe</p><p>kept</p>"#,
            recorded: r#"<div data-hj-suppress="">****<img src="https://cdn.example.com/"><input value="***"></div><p class="data-hj-suppress">***</p><p>kept</p>"#,
        },
        Case {
            vendor: "hotjar",
            behaviour: "data-hj-masked (older spelling) suppresses as data-hj-suppress",
            policy: OPEN,
            page: r#"<p data-hj-masked>Jane</p>"#,
            recorded: r#"<p data-hj-masked="">****</p>"#,
        },
        Case {
            vendor: "hotjar",
            behaviour: "data-hj-allow (attribute or class) records the keystrokes of inputs and text areas",
            policy: PRIVATE,
            page: r#"<input data-hj-allow value="blue"><input class="data-hj-allow" value="red"><textarea data-hj-allow>ok</textarea><input value="Jane">"#,
            recorded: r#"<input data-hj-allow="" value="blue"><input class="data-hj-allow" value="red"><textarea data-hj-allow="">
ok</textarea><input value="****">"#,
        },
        Case {
            vendor: "hotjar",
            behaviour: "data-hj-allow does not work recursively, nor on other elements",
            policy: PRIVATE,
            page: r#"<form data-hj-allow><input value="Jane"></form><p data-hj-allow>Doe</p>"#,
            recorded: r#"<form data-hj-allow=""><input value="****"></form><p data-hj-allow="">***</p>"#,
        },
        Case {
            vendor: "hotjar",
            behaviour: "data-hj-allow does not lift a suppression, nor the password restriction",
            policy: PRIVATE,
            page: r#"<div data-hj-suppress><input data-hj-allow value="Jane"></div><input data-hj-allow type="password" value="hunter2">"#,
            recorded: r#"<div data-hj-suppress=""><input data-hj-allow="" value="****"></div><input data-hj-allow="" type="password" value="*******">"#,
        },
    ]);
}

#[test]
fn clarity() {
    check(&[
        Case {
            vendor: "clarity",
            behaviour: "data-clarity-mask masks text, values, data-* and placeholders and drops images, title, alt and links, children too",
            policy: OPEN,
            page: r#"<div data-clarity-mask="false" class="c"><p title="Jane" data-id="7">Jane</p><img src="https://cdn.example.com/j.png" alt="Jane"><a href="https://shop.example.com/u/jane">Me</a><input placeholder="Name" value="Doe"></div><p>kept</p>"#,
            recorded: r#"<div data-clarity-mask="*****" class="c"><p title="****" data-id="*">****</p><img src="https://cdn.example.com/" alt="****"><a href="https://shop.example.com/">**</a><input placeholder="****" value="***"></div><p>kept</p>"#,
        },
        Case {
            vendor: "clarity",
            behaviour: "data-clarity-unmask shows text and images; input boxes, drop-downs and text areas stay masked",
            policy: PRIVATE,
            page: r#"<div data-clarity-unmask>Hello<img src="https://cdn.example.com/a.png"><input value="Jane"><select><option selected>Paris</option></select><textarea>Doe</textarea></div><p>Jane</p>"#,
            recorded: r#"<div data-clarity-unmask="">Hello<img src="https://cdn.example.com/a.png"><input value="****"><select><option>*****</option></select><textarea>
***</textarea></div><p>****</p>"#,
        },
        Case {
            vendor: "clarity",
            behaviour: "the nearest attribute wins, and the mask on one element",
            policy: PRIVATE,
            page: r#"<div data-clarity-mask><p data-clarity-unmask>Hello</p></div><p data-clarity-mask data-clarity-unmask>Jane</p>"#,
            recorded: r#"<div data-clarity-mask=""><p data-clarity-unmask="">Hello</p></div><p data-clarity-mask="" data-clarity-unmask="">****</p>"#,
        },
    ]);
}

#[test]
fn openreplay() {
    check(&[
        Case {
            vendor: "openreplay",
            behaviour: "data-openreplay-hidden (and the deprecated htmlmasked) keeps only the element's size",
            policy: OPEN,
            page: r#"<div data-openreplay-hidden>Jane</div><div data-openreplay-htmlmasked>Doe</div><p>after</p>"#,
            recorded: r#"<div data-scrim-blocked></div><div data-scrim-blocked></div><p>after</p>"#,
        },
        Case {
            vendor: "openreplay",
            behaviour: "data-openreplay-obscured (and the deprecated masked) obscures text, input values and images, children too",
            policy: OPEN,
            page: r#"<div data-openreplay-obscured>Jane<input value="Doe"><img src="https://cdn.example.com/j.png"></div><p data-openreplay-masked>Doe</p>"#,
            recorded: r#"<div data-openreplay-obscured="">****<input value="***"><img src="https://cdn.example.com/"></div><p data-openreplay-masked="">***</p>"#,
        },
        Case {
            vendor: "openreplay",
            behaviour: "nothing below an obscured element lowers its level",
            policy: "default text, value, attributes, media capture\nallow text \".summary\"",
            page: r#"<div data-openreplay-obscured><p class="summary">Jane</p></div>"#,
            recorded: r#"<div data-openreplay-obscured=""><p class="summary">****</p></div>"#,
        },
    ]);
}

#[test]
fn heap() {
    check(&[
        Case {
            vendor: "heap",
            behaviour: "data-heap-redact-text: the element is completely redacted in session replay",
            policy: OPEN,
            page: r#"<p data-heap-redact-text="true">Jane</p><p>after</p>"#,
            recorded: r#"<p data-scrim-blocked></p><p>after</p>"#,
        },
        Case {
            vendor: "heap",
            behaviour: "data-heap-redact-attributes on a parent: entire elements are redacted, not only the attributes",
            policy: OPEN,
            page: r#"<div data-heap-redact-attributes="attr1"><p attr1="Jane">Doe</p></div>"#,
            recorded: r#"<div data-scrim-blocked></div>"#,
        },
        Case {
            vendor: "heap",
            behaviour: "heap-ignore: no text of the element and its children",
            policy: OPEN,
            page: r#"<div heap-ignore="true">Jane <b>Doe</b><input value="x"></div>"#,
            recorded: r#"<div heap-ignore="true">**** <b>***</b><input value="*"></div>"#,
        },
    ]);
    assert_eq!(
        events_recorded(
            "heap",
            r#"<div heap-ignore="true"><button>Buy</button></div><button>Other</button>"#,
            "button"
        ),
        [false, true],
        "heap-ignore: no interactions with the element and its children"
    );
}
