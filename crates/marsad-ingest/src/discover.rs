//! Finding the files to ingest under the paths a user gave.
//!
//! The command line mixes files and folders (`marsad ingest a.json news/`).
//! A file named explicitly is something the user wants read, so an
//! unsupported one is an error. A folder is a collection that usually also
//! holds READMEs, images and licence files, so unsupported files found inside
//! it are listed as skipped (with the reason) rather than failing the run,
//! and hidden files and folders (`.git`, `.DS_Store`) are passed over
//! silently. Files are returned in a stable order — each folder walked in
//! sorted name order, arguments in the order given, duplicates removed — so
//! two runs over the same input produce documents in the same order.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{ErrorReason, IngestError};
use crate::read::format_for_path;

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Readable files, in reading order.
    pub files: Vec<PathBuf>,
    /// Paths not read, each with its reason: unsupported files inside folders
    /// ([`IngestError::is_skip`]), and errors (an explicitly named file of
    /// unknown format, a missing path, an unreadable folder).
    pub skipped: Vec<IngestError>,
    /// Total size of `files`, in bytes (for progress bars).
    pub total_bytes: u64,
}

/// Expands files and folders (recursively) into the list of files to read.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    let mut seen = HashSet::new();
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                discovery.skipped.push(IngestError::file(path.display().to_string(), ErrorReason::Io(e)));
                continue;
            }
        };
        if metadata.is_dir() {
            walk_folder(path, &mut discovery, &mut seen);
        } else if format_for_path(path).is_some() {
            if seen.insert(path.clone()) {
                discovery.total_bytes += metadata.len();
                discovery.files.push(path.clone());
            }
        } else {
            let reason = ErrorReason::UnknownFormat { extension: extension_of(path) };
            discovery.skipped.push(IngestError::file(path.display().to_string(), reason));
        }
    }
    discovery
}

fn walk_folder(folder: &Path, discovery: &mut Discovery, seen: &mut HashSet<PathBuf>) {
    let walker = WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(folder).display().to_string();
                let io = e.into_io_error().unwrap_or_else(|| std::io::Error::other("file system loop"));
                discovery.skipped.push(IngestError::file(path, ErrorReason::Io(io)));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        if format_for_path(path).is_none() {
            let reason = ErrorReason::UnsupportedInFolder { extension: extension_of(path) };
            discovery.skipped.push(IngestError::file(path.display().to_string(), reason));
            continue;
        }
        // Only files we could read are worth the note check: an unsupported
        // README.md is already reported as unsupported.
        if is_dataset_note(path) {
            discovery.skipped.push(IngestError::file(path.display().to_string(), ErrorReason::DatasetNoteInFolder));
            continue;
        }
        if seen.insert(path.to_path_buf()) {
            discovery.total_bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
            discovery.files.push(path.to_path_buf());
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn extension_of(path: &Path) -> Option<String> {
    path.extension().map(|e| e.to_string_lossy().into_owned())
}

/// Files that travel with a collection of articles but are not articles:
/// `SOURCE.txt`, `README.txt`, `LICENSE` and the like. Matched on the file
/// stem, case-insensitively.
fn is_dataset_note(path: &Path) -> bool {
    const NOTES: &[&str] = &["readme", "source", "sources", "license", "licence", "copying", "notice", "changelog"];
    path.file_stem()
        .and_then(|stem| stem.to_str())
        .map(|stem| stem.split('.').next().unwrap_or(stem).to_ascii_lowercase())
        .is_some_and(|stem| NOTES.contains(&stem.as_str()))
}

#[cfg(test)]
mod dataset_note_tests {
    use super::*;

    #[test]
    fn collection_notes_are_recognised_and_articles_are_not() {
        for note in ["SOURCE.txt", "README.md", "readme.txt", "LICENSE", "README.upstream.md"] {
            assert!(is_dataset_note(Path::new(note)), "{note}");
        }
        for article in ["000_7f7829b64ebcc593.txt", "sources-of-water.txt", "2015-08-06.json"] {
            assert!(!is_dataset_note(Path::new(article)), "{article}");
        }
    }

    #[test]
    fn a_folder_walk_skips_notes_but_reads_articles() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SOURCE.txt"), "origin of the data").unwrap();
        std::fs::write(dir.path().join("article.txt"), "نص الخبر").unwrap();
        let found = discover(&[dir.path().to_path_buf()]);
        assert_eq!(found.files, vec![dir.path().join("article.txt")]);
        assert!(found.skipped.iter().any(|s| s.is_skip() && s.to_string().contains("SOURCE.txt")));
        assert!(!found.skipped.iter().any(|s| s.to_string().contains("article.txt")));
    }
}
