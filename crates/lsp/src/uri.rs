//! Document URIs and the paths the compiler names files by.
//!
//! The compiler joins include paths to the including file's name with `/`
//! (`scrim_compiler::join`), so a document opened from disk is named by its
//! file system path, with `/` as the separator on every platform, as the
//! `scrim` command names the files it is given. A document that is not a
//! file (an unsaved `untitled:` buffer) is named by its URI: nothing can be
//! included relative to it.

use lsp_types::Uri;
use std::path::PathBuf;
use std::str::FromStr;

/// The name the compiler knows the document at `uri` by.
pub(crate) fn to_name(uri: &Uri) -> String {
    match file_path(uri) {
        Some(path) => path.to_string_lossy().replace('\\', "/"),
        None => uri.as_str().to_string(),
    }
}

/// The file system path of a `file:` URI.
pub(crate) fn file_path(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    if url.scheme() != "file" {
        return None;
    }
    url.to_file_path().ok()
}

/// The URI of a file the compiler named: a path, or a URI that a document
/// was named by. `None` for what is no file (`preset:rrweb`).
pub(crate) fn from_name(name: &str) -> Option<Uri> {
    if name.starts_with("preset:") {
        return None;
    }
    let path = PathBuf::from(name);
    let url = if path.is_absolute() {
        url::Url::from_file_path(&path).ok()?
    } else {
        // Not a path the server gave the compiler: a document's own URI.
        url::Url::parse(name).ok()?
    };
    Uri::from_str(url.as_str()).ok()
}

// Paths in these tests are Unix paths.
#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn file_uris_become_paths_and_back() {
        let shop = uri("file:///home/jane/policies/shop%20v2.scrim");
        assert_eq!(to_name(&shop), "/home/jane/policies/shop v2.scrim");
        assert_eq!(
            from_name("/home/jane/policies/shop v2.scrim").unwrap(),
            shop
        );
        let untitled = uri("untitled:Untitled-1");
        assert_eq!(to_name(&untitled), "untitled:Untitled-1");
        assert_eq!(from_name("untitled:Untitled-1").unwrap(), untitled);
        assert_eq!(from_name("preset:rrweb"), None);
    }

    proptest! {
        #[test]
        fn any_file_name_survives_the_round_trip(
            segments in prop::collection::vec("[a-zA-Z0-9 é€𝕏%#?&;=+_.-]{1,8}", 1..4),
        ) {
            prop_assume!(segments.iter().all(|s| s != "." && s != ".."));
            let name = format!("/{}.scrim", segments.join("/"));
            let uri = from_name(&name).expect("an absolute path has a URI");
            prop_assert_eq!(to_name(&uri), name);
        }
    }
}
