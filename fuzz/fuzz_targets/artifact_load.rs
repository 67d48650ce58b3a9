//! Load any bytes as a compiled artifact: the loader never panics, and an
//! artifact it accepts decides a page and masks a document without
//! panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;

const PAGE: &str = "<!DOCTYPE html><title>t</title><form><input type=password value=s>\
<input name=q value=v autocomplete=cc-number><p class=a id=b title=t>Jane \
<a href='https://h.example/u/123456?token=x#y'>x</a><img src=/i.png alt=a></p>\
<style>p{content:'x';background:url(/b.png)}</style></form>";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = scrim_matcher::Policy::from_json(text) else {
        return;
    };
    for url in [
        "https://shop.example.com/checkout/payment?token=1",
        "https://h.example/",
        "not a url",
    ] {
        let page = policy.page(&scrim_matcher::Context {
            url: url.into(),
            consent: vec!["session-replay".into(), "marketing".into()],
            region: Some("EU".into()),
        });
        let _ = page.redact_url(url);
        let _ = scrim_html::mask_html(PAGE, &page);
    }
});
