//! Bytes → text: UTF-8 first, then a guessed legacy encoding, never mojibake.
//!
//! Most Arabic news text today is UTF-8, but archives and older sites still
//! produce windows-1256 (and sometimes UTF-16 from Windows tools). Decoding the
//! wrong way does not fail loudly: it produces plausible-looking garbage that
//! then pollutes the index. So the order is strict:
//!
//! 1. a byte-order mark decides (UTF-8 BOM stripped, UTF-16 decoded);
//! 2. valid UTF-8 is taken as is;
//! 3. NUL bytes mean a binary file: refused;
//! 4. an encoding the document itself declares (HTML `<meta charset>`) is
//!    tried, then text that is *almost* UTF-8 (a few broken sequences among
//!    many good ones, as left by a truncated copy) is decoded with those few
//!    bytes replaced;
//! 5. otherwise [chardetng] guesses (it is Firefox's detector and knows
//!    windows-1256 and ISO-8859-6), and the guess is accepted only when the
//!    decoded text is mostly letters — random bytes decode to symbols and
//!    control characters, real text does not.
//!
//! Whenever the input was not clean UTF-8, the result carries a note
//! (`decoded from windows-1256`) that ends up in
//! [`crate::SourceDocument::encoding_note`].

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::ErrorReason;

/// Decoded text and, when it was not clean UTF-8, how it was decoded.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub note: Option<String>,
}

/// Decodes a whole one-document file. `declared` is an encoding named by the
/// document itself (HTML meta charset), tried before guessing.
pub(crate) fn decode_text(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<Decoded, ErrorReason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ErrorReason::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = &bytes[bom_len..];
        if encoding == UTF_8 {
            if let Ok(text) = std::str::from_utf8(rest) {
                return finish(text.to_string(), None);
            }
            // A UTF-8 BOM on broken UTF-8: fall through to the heuristics.
        } else if encoding == UTF_16LE || encoding == UTF_16BE {
            let (text, _) = encoding.decode_without_bom_handling(rest);
            return finish(text.into_owned(), Some(format!("decoded from {}", encoding.name())));
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text.to_string(), None);
    }
    if bytes.contains(&0) {
        return Err(ErrorReason::Binary);
    }
    if let Some(encoding) = declared.filter(|e| *e != UTF_8 && e.is_single_byte()) {
        let (text, _, _) = encoding.decode(bytes);
        if looks_like_text(&text) {
            return finish(text.into_owned(), Some(format!("decoded from {}", encoding.name())));
        }
    }
    if let Some(decoded) = nearly_utf8(bytes) {
        return finish(decoded.text, decoded.note);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _, _) = guess.decode(bytes);
    if looks_like_text(&text) {
        return finish(text.into_owned(), Some(format!("decoded from {}", guess.name())));
    }
    Err(ErrorReason::Undecodable { guessed: Some(guess.name()) })
}

fn finish(text: String, note: Option<String>) -> Result<Decoded, ErrorReason> {
    if text.contains('\0') {
        return Err(ErrorReason::Binary);
    }
    if text.trim().is_empty() {
        return Err(ErrorReason::Empty);
    }
    Ok(Decoded { text, note })
}

/// UTF-8 with a few broken sequences among many good multi-byte characters:
/// decode lossily rather than reinterpreting the whole file as a legacy
/// encoding (which would turn every good Arabic letter into two wrong ones).
fn nearly_utf8(bytes: &[u8]) -> Option<Decoded> {
    let mut invalid = 0usize;
    let mut multibyte = 0usize;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    if multibyte >= 20 && invalid * 50 <= multibyte {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let note = format!("invalid UTF-8: {invalid} broken byte sequence(s) replaced");
        return Some(Decoded { text, note: Some(note) });
    }
    None
}

/// True when `text` is mostly Arabic or Latin letters: the check that tells a
/// right decoding from random bytes pushed through a code page. Digits,
/// whitespace and ordinary punctuation are neutral; symbols, control
/// characters, replacement characters and other scripts count against.
pub(crate) fn looks_like_text(text: &str) -> bool {
    let mut letters = 0usize;
    let mut other = 0usize;
    for c in text.chars() {
        if c.is_whitespace() || c.is_ascii_digit() || is_common_punctuation(c) {
            continue;
        }
        if is_arabic_letter(c) || is_latin_letter(c) || ('\u{0660}'..='\u{0669}').contains(&c) {
            letters += 1;
        } else {
            other += 1;
        }
    }
    letters > 0 && letters * 10 >= (letters + other) * 9
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && (c.is_alphabetic() || marsad_text::normalize::is_mark(c))
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic() && c != '\u{00D7}' && c != '\u{00F7}')
}

fn is_common_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '،' | '؛'
                | '؟'
                | '«'
                | '»'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '–'
                | '—'
                | '…'
                | 'ـ'
                | '٪'
                | '٫'
                | '٬'
                | '\u{00A0}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{200E}'
                | '\u{200F}'
        )
}

/// The encoding an HTML page declares in its first kilobytes
/// (`<meta charset="windows-1256">` or the `http-equiv` form).
pub(crate) fn declared_html_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = find(&lower, b"charset=")?;
    let rest = &lower[at + b"charset=".len()..];
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let end = rest.iter().position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'>' | b'/')).unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1256_is_decoded_with_a_note() {
        let arabic = "هذا نص عربي قصير مكتوب بترميز قديم لاختبار القارئ.\nوهذه فقرة ثانية.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(arabic);
        let decoded = decode_text(&bytes, None).unwrap();
        assert_eq!(decoded.text, arabic);
        assert_eq!(decoded.note.as_deref(), Some("decoded from windows-1256"));
    }

    #[test]
    fn utf8_bom_is_stripped_and_binary_refused() {
        let decoded = decode_text("\u{FEFF}نص".as_bytes(), None).unwrap();
        assert_eq!(decoded.text, "نص");
        assert!(decoded.note.is_none());
        assert!(matches!(decode_text(b"ab\0cd", None), Err(ErrorReason::Binary)));
        assert!(matches!(decode_text(b" \n\t ", None), Err(ErrorReason::Empty)));
    }

    #[test]
    fn html_charset_is_found() {
        let page = br#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head>"#;
        assert_eq!(declared_html_charset(page), Some(encoding_rs::WINDOWS_1256));
        assert_eq!(declared_html_charset(b"<meta charset='utf-8'>"), Some(UTF_8));
    }
}
