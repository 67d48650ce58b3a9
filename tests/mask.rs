//! End-to-end tests of `scrim mask`: every example page under its policy
//! and URL keeps none of what the policy masks and keeps what it allows;
//! a policy that does not load writes nothing; a page without the required
//! consent is written as an empty document.

mod common;

use common::scrim;

use std::path::Path;
use std::process::Output;

const EMPTY_DOCUMENT: &str = "<!DOCTYPE html><html><head></head><body></body></html>";

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// One example page: how it is masked, what must go, what must stay.
struct Case {
    policy: &'static str,
    url: &'static str,
    consent: &'static str,
    page: &'static str,
    gone: &'static [&'static str],
    kept: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        policy: "examples/shop.scrim",
        url: "https://shop.example.com/checkout/payment",
        consent: "session-replay",
        page: "examples/pages/shop-checkout.html",
        gone: &[
            "Jane",
            "jane.cooper@mail.example",
            "4111",
            "JANE COOPER",
            "12/29",
            "737",
            "42 Wallaby Way",
            "415 555 0134",
            "Happy birthday",
            "pk_live_abc",
            "js.stripe.com",
            "20231204-8812",
            "abc123",
            "7f3a9c",
            "s-55102",
            "SECRET-ANALYTICS-KEY",
            "writeKey",
            "onclick",
            "onsubmit",
            "javascript:",
            "Tell us about your visit",
            "refund it to my card",
            "customer 88213",
            "<!--",
            "/assets/checkout.js",
        ],
        kept: &[
            "<h1>Checkout</h1>",
            "<h2>Order summary</h2>",
            "<h2>Payment</h2>",
            "<li>Shipping</li>",
            "Trail Runner 2 — size 42",
            "value=\"SPRING10\"",
            "value=\"express\" checked",
            "<iframe data-scrim-blocked width=\"400\" height=\"44\"></iframe>",
            "<section data-scrim-blocked></section>",
            "[gift message]",
            "/orders/redacted?token=redacted",
        ],
    },
    Case {
        policy: "examples/shop.scrim",
        url: "https://shop.example.com/products/trail-runner-2",
        consent: "session-replay",
        page: "examples/pages/shop-product.html",
        gone: &[
            "Jane Cooper",
            "jane.cooper@mail.example",
            "1,250",
            "415 555 0177",
            "for-customer-88213",
            "Road Runner",
            "s-55102",
        ],
        kept: &[
            "<h1 class=\"product-title\">Trail Runner 2</h1>",
            "$129.00",
            "<h2>Reviews</h2>",
            "value=\"trail shoes for ",
            "<option value=\"42\" selected=\"\">42</option>",
            "name=\"quantity\" type=\"number\" value=\"2\"",
            "<p class=\"loyalty-points\">******</p>",
            "content:\"New\"",
        ],
    },
    Case {
        policy: "examples/patient-portal.scrim",
        url: "https://portal.example-health.org/health/summary",
        consent: "session-replay,health-data-notice",
        page: "examples/pages/patient-summary.html",
        gone: &[
            "Maria",
            "Gonzalez",
            "P-88213",
            "1984",
            "MRN-4417812",
            "4417812",
            "ABC123456789",
            "diabetes",
            "Metformin",
            "Alan Reyes",
            "Priya Shah",
            "123-45-6789",
            "014-7788",
            "010-2233",
            "blood sugar",
            "3f2b1c9e",
            "debug",
            "ssn-input",
        ],
        kept: &[
            "<h1 class=\"page-title\">Health summary</h1>",
            "<a href=\"/appointments\">Appointments</a>",
            "Questions about your results? Call the clinic on",
            "<label class=\"form-label\" for=\"ssn\">Social security number</label>",
            "/appointments/redacted/reschedule?patient=redacted&amp;mrn=redacted",
            "<template shadowrootmode=\"open\">",
        ],
    },
    Case {
        policy: "examples/patient-portal.scrim",
        url: "https://portal.example-health.org/appointments/book",
        consent: "session-replay,health-data-notice",
        page: "examples/pages/patient-booking.html",
        gone: &["HIV", "Maria", "MRN-4417812", "P-88213"],
        kept: &[
            "<h1 class=\"page-title\">Book an appointment</h1>",
            "<p class=\"clinic-name\">Harbour Clinic</p>",
            "<option value=\"harbour\" selected=\"\">Harbour Clinic</option>",
            "Tue 14 May, 09:30",
        ],
    },
    Case {
        policy: "examples/bank.scrim",
        url: "https://bank.example.com/accounts/00123456/transactions",
        consent: "session-replay",
        page: "examples/pages/bank-transactions.html",
        gone: &[
            "00123456",
            "DE89",
            "0532",
            "12,480.55",
            "2,000.00",
            "450.00",
            "1,204.10",
            "Sam Carter",
            "GB82WEST12345698765432",
            "123-45-6789",
            "7946 0958",
            "482913",
            "Rent May",
            "Need help",
        ],
        kept: &[
            "<h1>Current account</h1>",
            "<h2>New transfer</h2>",
            "<th>Description</th>",
            "Tax refund, ref ",
            "value=\"[IBAN]\"",
            "<option value=\"sepa\" selected=\"\">SEPA</option>",
            "/accounts/redacted/transactions?account=redacted&amp;page=2",
            "src=\"https://bank.example.com/\"",
        ],
    },
    Case {
        policy: "examples/admin.scrim",
        url: "https://admin.example.io/users/",
        consent: "session-replay",
        page: "examples/pages/admin-users.html",
        gone: &[
            "Priya Raman",
            "priya.raman@customer.example",
            "Tomás Ortega",
            "tomas.ortega",
            "cus_8842",
            "cus_9017",
            "sk_live_51HxY2eZvKYlo2C0a9b8c7d6",
            "whsec_",
            "8842.png",
            "Impersonating",
            "Acme",
        ],
        kept: &[
            "<th>Name</th><th>Email</th><th>Role</th><th>Last sign-in</th>",
            "Next page",
            "<option value=\"all\" selected=\"\">All roles</option>",
            "title=\"Owners can manage billing\"",
            "<div data-scrim-blocked></div>",
            "src=\"https://avatars.example.io/\"",
        ],
    },
    Case {
        policy: "examples/admin.scrim",
        url: "https://admin.example.io/billing/plan",
        consent: "session-replay",
        page: "examples/pages/admin-billing.html",
        gone: &[
            "4,950.00",
            "DE811907980",
            "5555 5555 5555 4444",
            "Priya Raman",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ],
        kept: &[
            "<h1>Billing</h1>",
            "<h2>Current plan: Business</h2>",
            "INV-2024-0042",
            "<form data-scrim-blocked width=\"480\"></form>",
            "in a ticket; rotate it.",
        ],
    },
];

fn mask_case(case: &Case, consent: &str) -> Output {
    let mut args = vec!["mask", "--policy", case.policy, "--url", case.url];
    if !consent.is_empty() {
        args.extend(["--consent", consent]);
    }
    args.push(case.page);
    scrim(&args)
}

#[test]
fn every_example_page_keeps_nothing_its_policy_masks() {
    for case in CASES {
        let out = mask_case(case, case.consent);
        assert!(
            out.status.success(),
            "{}: {}",
            case.page,
            String::from_utf8_lossy(&out.stderr)
        );
        let html = stdout(&out);
        for s in case.gone {
            assert!(!html.contains(s), "{}: `{s}` leaked:\n{html}", case.page);
        }
        for s in case.kept {
            assert!(html.contains(s), "{}: `{s}` missing:\n{html}", case.page);
        }
        // Never recorded, whatever the policy.
        for s in ["<!--", "onclick", "onsubmit", "javascript:"] {
            assert!(!html.contains(s), "{}: `{s}` recorded", case.page);
        }
    }
}

#[test]
fn the_example_pages_readme_lists_every_page_and_command() {
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pages/README.md"),
    )
    .unwrap();
    for case in CASES {
        let command = format!(
            "scrim mask --policy {} --url {} --consent {} {}",
            case.policy, case.url, case.consent, case.page
        );
        assert!(readme.contains(&command), "README lacks `{command}`");
    }
    let pages = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pages"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "html")
                .then(|| p.file_name().unwrap().to_string_lossy().into_owned())
        })
        .collect::<Vec<_>>();
    for page in pages {
        assert!(
            CASES.iter().any(|c| c.page.ends_with(&page)),
            "{page} has no test case"
        );
    }
}

#[test]
fn missing_consent_records_nothing() {
    for case in CASES {
        // Each policy requires `session-replay`; the portal also
        // `health-data-notice`. Drop the last category given.
        let partial = case.consent.rsplit_once(',').map_or("", |(first, _)| first);
        let out = mask_case(case, partial);
        assert!(out.status.success(), "{}", case.page);
        assert_eq!(stdout(&out), EMPTY_DOCUMENT, "{}", case.page);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("is not recorded: consent"), "{stderr}");
    }
}

#[test]
fn never_record_and_record_only_write_an_empty_document() {
    let case = &CASES[0];
    for url in [
        "https://shop.example.com/account/password/reset",
        "https://blog.example.com/checkout/payment",
        // Unreadable URLs are off whatever the patterns say: fail closed.
        "/checkout/payment",
        "shop.example.com/checkout/payment",
    ] {
        let out = scrim(&[
            "mask",
            "--policy",
            case.policy,
            "--url",
            url,
            "--consent",
            "session-replay",
            case.page,
        ]);
        assert!(out.status.success());
        assert_eq!(stdout(&out), EMPTY_DOCUMENT, "{url}");
    }
}

#[test]
fn a_compiled_artifact_masks_like_its_source() {
    let dir = common::scratch("mask", "artifact");
    let artifact = dir.join("shop.json");
    let compiled = scrim(&[
        "compile",
        "examples/shop.scrim",
        "-o",
        &artifact.to_string_lossy(),
    ]);
    assert!(compiled.status.success());
    let case = &CASES[0];
    let from_source = mask_case(case, case.consent);
    let from_artifact = scrim(&[
        "mask",
        "--policy",
        &artifact.to_string_lossy(),
        "--url",
        case.url,
        "--consent",
        case.consent,
        case.page,
    ]);
    assert!(from_artifact.status.success());
    assert_eq!(stdout(&from_source), stdout(&from_artifact));
}

#[test]
fn a_corrupt_artifact_writes_nothing_and_fails() {
    let dir = common::scratch("mask", "corrupt");
    let out_file = dir.join("out.html");
    for (name, text) in [
        ("truncated.json", "{\"format\": \"scrim-artifact\", \"vers"),
        ("wrong.json", "{\"format\": \"something-else\"}"),
        ("empty.json", ""),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        for output in [None, Some(&out_file)] {
            let mut args = vec![
                "mask".to_string(),
                "--policy".into(),
                path.to_string_lossy().into_owned(),
                "--url".into(),
                "https://shop.example.com/".into(),
                "examples/pages/shop-product.html".into(),
            ];
            if let Some(o) = output {
                args.extend(["-o".into(), o.to_string_lossy().into_owned()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = scrim(&args);
            assert_eq!(out.status.code(), Some(1), "{name}");
            assert!(out.stdout.is_empty(), "{name}: wrote {:?}", stdout(&out));
            assert!(!out_file.exists(), "{name}: wrote a file");
            assert!(String::from_utf8_lossy(&out.stderr).contains("cannot load"));
        }
    }
}

#[test]
fn a_policy_with_errors_writes_nothing_and_fails() {
    let dir = common::scratch("mask", "errors");
    let policy = dir.join("bad.scrim");
    std::fs::write(&policy, "scrim 1\nmask txt \".a\"\n").unwrap();
    let out = scrim(&[
        "mask",
        "--policy",
        &policy.to_string_lossy(),
        "--url",
        "https://shop.example.com/",
        "examples/pages/shop-product.html",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown channel"));
}

#[test]
fn output_goes_to_a_file_with_dash_o() {
    let dir = common::scratch("mask", "output");
    let out_file = dir.join("masked.html");
    let case = &CASES[1];
    let out = scrim(&[
        "mask",
        "--policy",
        case.policy,
        "--url",
        case.url,
        "--consent",
        case.consent,
        case.page,
        "-o",
        &out_file.to_string_lossy(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(written.contains("<h1 class=\"product-title\">Trail Runner 2</h1>"));
    assert!(!written.contains("Jane Cooper"));
}

#[test]
fn a_refresh_url_that_starts_with_non_ascii_text_is_masked_not_a_crash() {
    let dir = common::scratch("mask", "refresh");
    let page = dir.join("refresh.html");
    std::fs::write(
        &page,
        "<meta http-equiv=\"refresh\" content=\"0;aaé/private?token=1\"><p>Hi</p>",
    )
    .unwrap();
    let out = scrim(&[
        "mask",
        "--policy",
        "examples/shop.scrim",
        "--url",
        "https://shop.example.com/",
        "--consent",
        "session-replay",
        &page.to_string_lossy(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("http-equiv=\"refresh\""));
}

/// Runs `scrim mask` on a page written to a scratch folder, with `extra`
/// arguments before the page and `-o` to a file.
fn mask_page(name: &str, page: &[u8], extra: &[&str]) -> (Output, std::path::PathBuf) {
    let dir = common::scratch("mask", name);
    let path = dir.join("page.html");
    std::fs::write(&path, page).unwrap();
    // The built-in defaults mask text; product titles are captured.
    let policy = dir.join("policy.scrim");
    std::fs::write(&policy, "scrim 1\nallow text \".product-title\"\n").unwrap();
    let policy_arg = policy.to_string_lossy().into_owned();
    let out_file = dir.join("out.html");
    let mut args = vec![
        "mask",
        "--policy",
        policy_arg.as_str(),
        "--url",
        "https://shop.example.com/products/x",
    ];
    args.extend_from_slice(extra);
    let path_arg = path.to_string_lossy().into_owned();
    let out_arg = out_file.to_string_lossy().into_owned();
    args.extend([path_arg.as_str(), "-o", out_arg.as_str()]);
    (scrim(&args), out_file)
}

/// The command failed with exit 1, wrote nothing, and said `needles`.
fn refused(out: &Output, out_file: &Path, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(!out_file.exists(), "wrote a file");
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` not in {stderr}");
    }
}

#[test]
fn pages_over_the_limits_are_refused_and_the_limits_can_be_raised() {
    let deep = "<div>".repeat(100_000);
    let (out, file) = mask_page("deep", deep.as_bytes(), &[]);
    refused(
        &out,
        &file,
        &[
            "error: cannot mask `",
            "page.html`: the page nests elements 1025 deep (the limit is 1024)",
            "help: raise the limit with `--max-depth N`",
        ],
    );
    let (out, file) = mask_page(
        "deep-raised",
        "<span>".repeat(2000).as_bytes(),
        &["--max-depth", "3000"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(file.exists());

    let attributes: String = (0..2000).map(|i| format!(" a{i}")).collect();
    let (out, file) = mask_page("attributes", format!("<p{attributes}>").as_bytes(), &[]);
    refused(
        &out,
        &file,
        &["more than 1024 attributes", "`--max-attributes N`"],
    );
    let (out, file) = mask_page("large", &[b' '; 2000], &["--max-bytes", "1000"]);
    refused(
        &out,
        &file,
        &[
            "the page is 2000 bytes (the limit is 1000)",
            "`--max-bytes N`",
        ],
    );
}

#[test]
fn pages_are_decoded_as_a_browser_decodes_them() {
    // UTF-16 with a byte order mark: its markup is markup (it used to be
    // read as one text node holding the scripts and handlers).
    let page: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "<p>Jane Cooper</p><script>var token='s3cret'</script><img src=x onerror=\"steal()\"><!-- note -->"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let (out, file) = mask_page("utf16", &page, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(
        html.contains("<p>**** ******</p><script></script>"),
        "{html}"
    );
    for gone in ["Jane", "s3cret", "steal", "note"] {
        assert!(!html.contains(gone), "`{gone}` in {html}");
    }
    // A declared Latin-1 page, and one named on the command line.
    let latin1 = b"<meta charset=\"latin1\"><h1 class=\"product-title\">Cr\xE8me</h1>";
    let (out, file) = mask_page("meta", latin1, &[]);
    assert!(out.status.success());
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(
        html.contains("<meta charset=\"utf-8\">") && html.contains("Cr\u{e8}me"),
        "{html}"
    );
    let undeclared = b"<h1 class=\"product-title\">Cr\xE8me</h1>";
    let (out, file) = mask_page("malformed", undeclared, &[]);
    refused(
        &out,
        &file,
        &[
            "the page is not valid UTF-8 (no encoding is declared): the bytes at offset 28 cannot be decoded",
            "`--encoding LABEL`",
        ],
    );
    let (out, file) = mask_page("given", undeclared, &["--encoding", "windows-1252"]);
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("Cr\u{e8}me")
    );
    let (out, file) = mask_page("unknown", undeclared, &["--encoding", "latin-9000"]);
    refused(&out, &file, &["unknown encoding `latin-9000`", "help:"]);
}

#[test]
fn raw_text_in_mathml_stays_text_under_the_patient_portal_policy() {
    // The portal's fail-closed `sensitive attributes` masks `encoding`;
    // help text is captured. The `<xmp>` must stay raw text in the replay.
    let dir = common::scratch("mask", "portal-mathml");
    let page = dir.join("page.html");
    std::fs::write(
        &page,
        r#"<div class="help-text">Dose: <math><annotation-xml encoding="text/html"><xmp><img src=x onerror=alert(1)></xmp></annotation-xml></math></div>"#,
    )
    .unwrap();
    let out = scrim(&[
        "mask",
        "--policy",
        "examples/patient-portal.scrim",
        "--url",
        "https://portal.example-health.org/appointments/book",
        "--consent",
        "session-replay,health-data-notice",
        &page.to_string_lossy(),
    ]);
    assert!(out.status.success());
    let html = stdout(&out);
    assert!(
        html.contains(
            r#"<annotation-xml encoding="text/html"><xmp><img src=x onerror=alert(1)></xmp>"#
        ),
        "{html}"
    );
}

#[test]
fn consent_categories_are_read_with_spaces_after_the_commas() {
    // The portal requires two categories; written as a person writes a
    // list, both are granted, as in a policy test file.
    let case = CASES
        .iter()
        .find(|c| c.consent.contains(','))
        .expect("a case with two consent categories");
    let spaced = case.consent.replace(',', ", ");
    assert_eq!(
        stdout(&mask_case(case, &spaced)),
        stdout(&mask_case(case, case.consent))
    );
    assert_ne!(stdout(&mask_case(case, &spaced)), EMPTY_DOCUMENT);
}
