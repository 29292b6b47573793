//! Small text helpers that must agree with Python's `str` methods, because the
//! Python side compares, slices and reports what this crate returns.

use std::borrow::Cow;

/// Python's `str.isspace()` for one character: Unicode White_Space plus the
/// four information separators U+001C..U+001F, which Python also counts.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` with no argument.
pub fn py_strip(text: &str) -> &str {
    text.trim_matches(is_py_space)
}

/// Python's `str.lstrip()` with no argument.
pub fn py_lstrip(text: &str) -> &str {
    text.trim_start_matches(is_py_space)
}

/// Python's `str.isspace()`: true for a non-empty string of whitespace only.
pub fn py_isspace(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_py_space)
}

/// A character as the policy's patterns read it: any whitespace a space, a Unicode hyphen
/// (U+2010, the no-break U+2011) the ASCII one, an invisible format character (zero-width space
/// and joiners, word joiner, soft hyphen, byte-order mark) nothing. Patterns spell the gap
/// between two words as one space and a hyphen as `-`; a paragraph wrapped at a fixed width, set
/// with no-break spaces or pasted with zero-width spaces says what the plain one says.
fn folded(c: char) -> Option<char> {
    match c {
        ' ' => Some(' '),
        '\u{2010}' | '\u{2011}' => Some('-'),
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => None,
        c if is_py_space(c) => Some(' '),
        c => Some(c),
    }
}

/// `text` with each character [`folded`]; borrowed when none changes.
pub fn fold_for_patterns(text: &str) -> Cow<'_, str> {
    let plain = |b: u8| (0x20..0x7f).contains(&b);
    if text.bytes().all(plain) || text.chars().all(|c| folded(c) == Some(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter_map(folded).collect())
}

/// `text` [`folded`], each run of spaces then made one, and for each character of the result the
/// position (in characters) of the character of `text` it came from: so a phrase from the folded
/// prose can be found in the file however its lines were wrapped or indented, and placed there.
pub fn squeeze_for_search(text: &str) -> (String, Vec<usize>) {
    let mut squeezed = String::with_capacity(text.len());
    let mut origins = Vec::with_capacity(text.len());
    let mut in_run = false;
    for (position, c) in text.chars().enumerate() {
        let Some(c) = folded(c) else {
            continue;
        };
        if c == ' ' {
            if in_run {
                continue;
            }
            in_run = true;
        } else {
            in_run = false;
        }
        squeezed.push(c);
        origins.push(position);
    }
    (squeezed, origins)
}

/// Collapse runs of spaces and tabs to one space (Python: `re.sub(r"[ \t]+", " ", text)`).
pub fn collapse_blanks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if c == ' ' || c == '\t' {
            if !in_run {
                out.push(' ');
                in_run = true;
            }
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

/// Number of characters (code points) in `bytes`, which is valid UTF-8 or a slice of it.
pub fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Maps byte offsets of one string to character offsets, for offsets met in ascending order.
pub struct CharCursor<'a> {
    bytes: &'a [u8],
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        CharCursor {
            bytes: text.as_bytes(),
            byte: 0,
            chars: 0,
        }
    }

    /// The character offset of byte offset `byte` (restarting from 0 if it lies behind the cursor).
    pub fn chars_at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.bytes.len());
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += char_count(&self.bytes[self.byte..byte]);
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_matches_python() {
        assert_eq!(py_strip("\u{1f} a b\u{a0}\n"), "a b");
        assert_eq!(py_lstrip("  x "), "x ");
        assert!(py_isspace(" \t\u{3000}"));
        assert!(!py_isspace(""));
    }

    #[test]
    fn blanks_collapse() {
        assert_eq!(collapse_blanks("a \t  b\n  c"), "a b\n c");
    }

    #[test]
    fn text_folds_for_patterns() {
        assert!(matches!(fold_for_patterns("a b"), Cow::Borrowed("a b")));
        assert!(matches!(fold_for_patterns("é b"), Cow::Borrowed("é b")));
        assert_eq!(
            fold_for_patterns("a\nb\u{a0}c\td\u{3000}é red\u{2011}team\u{200b}ing\u{ad}"),
            "a b c d é red-teaming"
        );
    }

    #[test]
    fn text_squeezes_and_remembers_where_from() {
        let (squeezed, origins) = squeeze_for_search("ab \n   c\u{a0}d\u{200b}e");
        assert_eq!(squeezed, "ab c de");
        assert_eq!(origins, vec![0, 1, 2, 7, 8, 9, 11]);
    }

    #[test]
    fn char_offsets() {
        let text = "aé中b";
        let mut cursor = CharCursor::new(text);
        assert_eq!(cursor.chars_at(1), 1);
        assert_eq!(cursor.chars_at(3), 2);
        assert_eq!(cursor.chars_at(6), 3);
        assert_eq!(cursor.chars_at(0), 0);
        assert_eq!(char_count("中文".as_bytes()), 2);
    }
}
