//! Policy patterns are written in RE2's dialect (the test suite checks each
//! under RE2); the `regex` crate reads nearly the same language. The
//! differences that change what matches are RE2's ASCII-only `\b`, `\w`, `\d`
//! and `\s` (the crate's are Unicode) and, inside a bracket class, the crate's
//! nested classes and set operators, for which `[`, `&` and `~` are not plain
//! characters. This module rewrites a pattern so the crate matches what RE2 does.

use regex_automata::util::syntax;

/// A compiled policy pattern: the engine inside the `regex` crate, built without the crate's
/// own literal prefilter, because the matcher's Aho-Corasick pass already confines each
/// pattern to the blocks that hold its literals (building that prefilter was over half of
/// each pattern's compile time).
pub type Regex = regex_automata::meta::Regex;

/// The compiled-program budget per pattern, as the RE2 engine had (`max_mem`).
const SIZE_LIMIT: usize = 64 << 20;

/// A pattern (RE2 syntax) compiled for the `regex` crate with RE2's meaning, case-insensitive
/// if asked; the error names the pattern and gives the crate's reason on one line.
pub fn compile(source: &str, ignore_case: bool) -> Result<Regex, String> {
    Regex::builder()
        .configure(
            Regex::config()
                .nfa_size_limit(Some(SIZE_LIMIT))
                .auto_prefilter(false),
        )
        .syntax(syntax::Config::new().case_insensitive(ignore_case))
        .build(&from_re2(source))
        .map_err(|error| {
            // Syntax errors draw the pattern over several lines; keep the reason.
            let text = match error.syntax_error() {
                Some(syntax_error) => syntax_error.to_string(),
                None => error.to_string(),
            };
            let reason = text
                .rsplit("error: ")
                .next()
                .unwrap_or(&text)
                .trim()
                .to_string();
            format!("pattern {source:?} is not accepted by the linear-time engine ({reason})")
        })
}

/// `text` with every match of `regex` replaced by one space, or `None` when nothing matched.
pub fn replace_with_space(regex: &Regex, text: &str) -> Option<String> {
    let mut out = String::new();
    let mut last = 0;
    for found in regex.find_iter(text) {
        out.push_str(&text[last..found.start()]);
        out.push(' ');
        last = found.end();
    }
    if out.is_empty() {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

const WORD: &str = "0-9A-Za-z_";
const DIGIT: &str = "0-9";
const SPACE: &str = r"\t\n\x0C\r ";

/// `pattern` (RE2 syntax) rewritten for the `regex` crate with RE2's meaning.
pub fn from_re2(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut in_class = false;
    let mut class_start = 0; // index of the first member of the current class
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let next = chars[i + 1];
            let ascii = match next {
                'w' => Some((WORD, false)),
                'W' => Some((WORD, true)),
                'd' => Some((DIGIT, false)),
                'D' => Some((DIGIT, true)),
                's' => Some((SPACE, false)),
                'S' => Some((SPACE, true)),
                _ => None,
            };
            match (ascii, in_class) {
                (Some((set, false)), true) => out.push_str(set),
                (Some((set, negated)), _) => {
                    out.push_str(if negated { "[^" } else { "[" });
                    out.push_str(set);
                    out.push(']');
                }
                (None, false) if next == 'b' || next == 'B' => {
                    out.push_str("(?-u:\\");
                    out.push(next);
                    out.push(')');
                }
                (None, _) => {
                    out.push('\\');
                    out.push(next);
                }
            }
            i += 2;
            continue;
        }
        if in_class {
            if c == ']' && i > class_start {
                in_class = false;
                out.push(']');
            } else if c == '[' && chars.get(i + 1) == Some(&':') {
                // A POSIX class such as [:alpha:]: copied as it is, up to its ':]'.
                let mut j = i + 2;
                while j + 1 < chars.len() && !(chars[j] == ':' && chars[j + 1] == ']') {
                    j += 1;
                }
                let end = (j + 2).min(chars.len());
                out.extend(&chars[i..end]);
                i = end;
                continue;
            } else if matches!(c, '[' | '&' | '~') {
                out.push('\\');
                out.push(c);
            } else {
                out.push(c);
            }
            i += 1;
            continue;
        }
        out.push(c);
        if c == '[' {
            in_class = true;
            class_start = i + 1;
            if chars.get(i + 1) == Some(&'^') {
                out.push('^');
                i += 1;
                class_start = i + 1;
            }
            // A ']' first in the class is a member, not its end.
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::RegexBuilder;

    fn matches(pattern: &str, text: &str) -> bool {
        RegexBuilder::new(&from_re2(pattern))
            .case_insensitive(true)
            .build()
            .unwrap()
            .is_match(text)
    }

    #[test]
    fn word_boundary_and_classes_are_ascii() {
        assert_eq!(from_re2(r"\bred\w+"), r"(?-u:\b)red[0-9A-Za-z_]+");
        // RE2: 'é' is not a word character, so there is a boundary before 'x'.
        assert!(matches(r"\bx", "éx"));
        assert!(!matches(r"\w", "é"));
        assert!(!matches(r"\s", "\u{a0}"));
        assert!(!matches(r"\d", "٣"));
    }

    #[test]
    fn classes_keep_their_meaning() {
        assert_eq!(from_re2(r"[^\W_]"), r"[^[^0-9A-Za-z_]_]");
        assert!(matches(r"[^\W_]", "a"));
        assert!(!matches(r"[^\W_]", "_"));
        assert!(matches(r"[]a]", "]"));
        assert!(matches(r"[a&&b]", "&"));
        assert!(matches(r"[[:alpha:]-]+x", "ab-x"));
        assert!(matches(r"[\s|]+$", " | "));
        assert!(matches(r"[[]", "["));
    }

    #[test]
    fn other_escapes_pass_through() {
        assert_eq!(from_re2(r"a\.b\(c\)"), r"a\.b\(c\)");
        assert!(matches(r"\x{4e2d}", "中"));
        assert!(matches(r"(?-i:\bPHI\b)", "the PHI rule"));
        assert!(!matches(r"(?-i:\bPHI\b)", "phi"));
    }
}
