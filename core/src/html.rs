//! HTML character references decoded as Python's `html.unescape` decodes them.
//!
//! Python's decoder is the reference: `entities.rs` holds its tables (written by
//! `python -m g7lint.generate`), and a Python test compares the two decoders over
//! every entity name and code point. Decoding here, rather than handing the text
//! back to Python, lets a card written in HTML be read in one pass like any other.

use std::borrow::Cow;

use crate::entities::{DROPPED, NAMED, REMAPPED};

/// A named reference is at most this many characters long (before its `;`).
const MAX_NAME_CHARS: usize = 32;

/// `text` with its character references decoded, as `html.unescape(text)` gives it.
pub fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match decode_reference(after, &mut out) {
            Some(used) => rest = &after[used..],
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decode the reference that starts `text` (what follows an `&`) onto `out`, returning the
/// bytes it took, or `None` (nothing pushed) when no reference starts there.
fn decode_reference(text: &str, out: &mut String) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (first_digit, radix) = match bytes.get(1) {
            Some(b'x' | b'X') => (2, 16),
            _ => (1, 10),
        };
        let digits = bytes[first_digit..]
            .iter()
            .take_while(|b| char::from(**b).is_digit(radix))
            .count();
        if digits == 0 {
            return None;
        }
        let end = first_digit + digits;
        // Past U+10FFFF every number decodes alike, so the value is capped as it is read.
        let number = bytes[first_digit..end].iter().fold(0u32, |number, b| {
            let digit = char::from(*b).to_digit(radix).unwrap_or(0);
            number
                .saturating_mul(radix)
                .saturating_add(digit)
                .min(0x11_0000)
        });
        push_numeric(number, out);
        return Some(if bytes.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        });
    }
    let mut name_end = 0;
    for (count, (at, c)) in text.char_indices().enumerate() {
        if count == MAX_NAME_CHARS
            || matches!(c, '\t' | '\n' | '\x0c' | ' ' | '<' | '&' | '#' | ';')
        {
            break;
        }
        name_end = at + c.len_utf8();
    }
    if name_end == 0 {
        return None;
    }
    if text[name_end..].starts_with(';') {
        name_end += 1;
    }
    let name = &text[..name_end];
    if let Some(value) = named(name) {
        out.push_str(value);
        return Some(name_end);
    }
    // The longest known name the reference starts with, of two characters or more; the
    // rest stays as written ("&ampfoo" is "&foo").
    let cuts: Vec<usize> = name.char_indices().map(|(at, _)| at).skip(2).collect();
    for &cut in cuts.iter().rev() {
        if let Some(value) = named(&name[..cut]) {
            out.push_str(value);
            out.push_str(&name[cut..]);
            return Some(name_end);
        }
    }
    None
}

fn named(name: &str) -> Option<&'static str> {
    NAMED
        .binary_search_by(|(known, _)| (*known).cmp(name))
        .ok()
        .map(|index| NAMED[index].1)
}

fn push_numeric(number: u32, out: &mut String) {
    if let Ok(index) = REMAPPED.binary_search_by_key(&number, |(known, _)| *known) {
        out.push_str(REMAPPED[index].1);
    } else if (0xD800..=0xDFFF).contains(&number) || number > 0x10_FFFF {
        out.push('\u{FFFD}');
    } else if DROPPED.binary_search(&number).is_err() {
        out.push(char::from_u32(number).unwrap_or('\u{FFFD}'));
    }
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn named_numeric_and_unknown_references() {
        assert_eq!(unescape("Caf&eacute; &amp; bar"), "Café & bar");
        assert_eq!(unescape("&#233;&#xE9;&#XE9"), "ééé");
        assert_eq!(unescape("&ampfoo &notit; &bogus;"), "&foo ¬it; &bogus;");
        assert_eq!(
            unescape("&#128; &#0; &#1; &#55296; &#99999999999"),
            "€ \u{FFFD}  \u{FFFD} \u{FFFD}"
        );
        assert_eq!(unescape("& &# &#x; a&b"), "& &# &#x; a&b");
        assert_eq!(unescape("no references"), "no references");
    }
}
