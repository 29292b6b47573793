//! Small text helpers that must agree with Python's `str` methods, because the
//! Python side compares, slices and reports what this crate returns.

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
