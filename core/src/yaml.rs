//! Front matter read by libyaml (the parser PyYAML's C loader uses, here as
//! the `unsafe-libyaml` translation) and built into values the way PyYAML's
//! safe loader builds them, for the documents real cards carry: mappings,
//! sequences, strings, YAML 1.1 booleans (`yes`, `off`), decimal integers,
//! floats (NaN and infinities as the text the Python side makes of them, since
//! JSON has neither) and nulls.
//!
//! Anything rarer — a tag, an anchor or alias, a merge key, a timestamp, an
//! octal, hexadecimal, sexagesimal or huge integer, a key that is not a
//! string, an error of any kind — is not guessed at: the loader answers
//! [`Loaded::Fallback`] and the caller reads the document with PyYAML, so the
//! values, problems and messages stay exactly PyYAML's. Nothing is ever
//! constructed from a tag.

use regex::Regex;
use std::mem::MaybeUninit;
use std::sync::OnceLock;
use unsafe_libyaml as unsafe_yaml;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Value>),
    /// Keys in first-insertion order; a repeated key keeps its first place and its last value.
    Map(Vec<(String, Value)>),
}

#[derive(Debug, PartialEq)]
pub enum Loaded {
    /// The document's value (`Null` for an empty document).
    Value(Value),
    /// Not a document this loader builds; read it with PyYAML.
    Fallback,
}

/// Counted like the Python side's node budget: every container, key and value.
pub const MAX_NODES: usize = 100_000;

/// Front matter: only a mapping (or nothing) is; PyYAML words the complaint about anything else.
pub fn load(text: &str) -> Loaded {
    match load_value(text) {
        Loaded::Value(value @ (Value::Map(_) | Value::Null)) => Loaded::Value(value),
        _ => Loaded::Fallback,
    }
}

/// Any YAML document, whatever its top level (a policy file may be a list).
pub fn load_value(text: &str) -> Loaded {
    let mut events = match Events::new(text) {
        Some(events) => events,
        None => return Loaded::Fallback,
    };
    let mut budget = MAX_NODES;
    match build_document(&mut events, &mut budget) {
        Some(value) => Loaded::Value(value),
        None => Loaded::Fallback,
    }
}

/// A cheap upper bound on how deeply `text` nests (brackets, then block indentation and
/// `- ` runs at line starts), stopping once past `limit`: deeper YAML is refused unread.
pub fn nesting_depth(text: &str, limit: usize) -> usize {
    let mut depth: usize = 0;
    let mut deepest: usize = 0;
    for byte in text.bytes() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if deepest > limit {
                        return deepest;
                    }
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    for line in text.split('\n') {
        let bytes = line.as_bytes();
        let mut i = 0;
        loop {
            match bytes.get(i) {
                Some(b' ' | b'\t') => i += 1,
                Some(b'-') if bytes.get(i + 1) == Some(&b' ') => i += 2,
                _ => break,
            }
        }
        deepest = deepest.max(i / 2);
        if deepest > limit {
            break;
        }
    }
    deepest
}

/// Keys with the file line they stand on.
pub type KeyLines = Vec<(String, usize)>;

/// Top-level keys with their file lines, and the repeats (a YAML reader keeps only the last).
pub fn top_level_keys(text: &str, first_line: usize) -> (KeyLines, KeyLines) {
    static KEY: OnceLock<Regex> = OnceLock::new();
    let pattern = KEY.get_or_init(|| {
        let re2 =
            r#"^(?:"([^"]+)"|'([^']+)'|([^\s#'"{\[\-?:][^:#]*?|-[^\s:][^:#]*?))[ \t]*:(?:[ \t]|$)"#;
        Regex::new(&crate::dialect::from_re2(re2)).unwrap()
    });
    let mut keys: Vec<(String, usize)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut repeats = Vec::new();
    for (number, line) in text.split('\n').enumerate() {
        if line.is_empty() || matches!(line.as_bytes()[0], b' ' | b'\t' | b'#' | b'-') {
            continue;
        }
        // `find` runs the DFA, several times faster than `captures`; the key is what the match
        // holds before its colon, less the quotes of a quoted key (the only kind that opens
        // with a quote).
        let Some(found) = pattern.find(line) else {
            continue;
        };
        let before_colon = found
            .as_str()
            .trim_end_matches([' ', '\t'])
            .strip_suffix(':')
            .unwrap_or_default()
            .trim_end_matches([' ', '\t']);
        let raw = match before_colon.as_bytes().first() {
            Some(b'"' | b'\'') => &before_colon[1..before_colon.len() - 1],
            _ => before_colon,
        };
        let key = crate::text::py_strip(raw).to_string();
        let line_number = first_line + number;
        if seen.insert(key.clone()) {
            keys.push((key, line_number));
        } else {
            repeats.push((key, line_number));
        }
    }
    (keys, repeats)
}

enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Scalar { value: String, plain: bool },
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
}

struct Events {
    parser: Box<MaybeUninit<unsafe_yaml::yaml_parser_t>>,
    _input: Vec<u8>,
    finished: bool,
}

impl Events {
    fn new(text: &str) -> Option<Self> {
        let input = text.as_bytes().to_vec();
        let mut parser: Box<MaybeUninit<unsafe_yaml::yaml_parser_t>> =
            Box::new(MaybeUninit::uninit());
        // SAFETY: the parser is initialised before use and deleted in Drop; the input
        // buffer is owned by `Events` and outlives the parser.
        unsafe {
            if unsafe_yaml::yaml_parser_initialize(parser.as_mut_ptr()).fail {
                return None;
            }
            let initialised = parser.as_mut_ptr();
            unsafe_yaml::yaml_parser_set_encoding(initialised, unsafe_yaml::YAML_UTF8_ENCODING);
            unsafe_yaml::yaml_parser_set_input_string(
                initialised,
                input.as_ptr(),
                input.len() as u64,
            );
        }
        Some(Events {
            parser,
            _input: input,
            finished: false,
        })
    }

    /// The next event, or None on any error, tag or anchor (the caller falls back).
    fn next(&mut self) -> Option<Event> {
        if self.finished {
            return None;
        }
        let mut raw = MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
        // SAFETY: yaml_parser_parse fills `raw` on success; we read only the union
        // member that matches the event type and delete the event afterwards.
        unsafe {
            if unsafe_yaml::yaml_parser_parse(self.parser.as_mut_ptr(), raw.as_mut_ptr()).fail {
                self.finished = true;
                return None;
            }
            let event = raw.assume_init_mut();
            let converted = convert(event);
            unsafe_yaml::yaml_event_delete(event);
            if matches!(converted, Some(Event::StreamEnd) | None) {
                self.finished = true;
            }
            converted
        }
    }
}

/// SAFETY: `event` is a valid event returned by the parser.
unsafe fn convert(event: &unsafe_yaml::yaml_event_t) -> Option<Event> {
    match event.type_ {
        unsafe_yaml::YAML_STREAM_START_EVENT => Some(Event::StreamStart),
        unsafe_yaml::YAML_STREAM_END_EVENT => Some(Event::StreamEnd),
        unsafe_yaml::YAML_DOCUMENT_START_EVENT => {
            let start = event.data.document_start;
            let has_directives = !start.version_directive.is_null()
                || start.tag_directives.start != start.tag_directives.end;
            (!has_directives).then_some(Event::DocumentStart)
        }
        unsafe_yaml::YAML_DOCUMENT_END_EVENT => Some(Event::DocumentEnd),
        unsafe_yaml::YAML_ALIAS_EVENT => None,
        unsafe_yaml::YAML_SCALAR_EVENT => {
            let scalar = event.data.scalar;
            if !scalar.anchor.is_null() || !scalar.tag.is_null() {
                return None;
            }
            let bytes = std::slice::from_raw_parts(scalar.value, scalar.length as usize);
            let value = std::str::from_utf8(bytes).ok()?.to_string();
            Some(Event::Scalar {
                value,
                plain: scalar.style == unsafe_yaml::YAML_PLAIN_SCALAR_STYLE,
            })
        }
        unsafe_yaml::YAML_SEQUENCE_START_EVENT => {
            let start = event.data.sequence_start;
            (start.anchor.is_null() && start.tag.is_null()).then_some(Event::SequenceStart)
        }
        unsafe_yaml::YAML_SEQUENCE_END_EVENT => Some(Event::SequenceEnd),
        unsafe_yaml::YAML_MAPPING_START_EVENT => {
            let start = event.data.mapping_start;
            (start.anchor.is_null() && start.tag.is_null()).then_some(Event::MappingStart)
        }
        unsafe_yaml::YAML_MAPPING_END_EVENT => Some(Event::MappingEnd),
        _ => None,
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        // SAFETY: the parser was initialised in `new`.
        unsafe { unsafe_yaml::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

fn build_document(events: &mut Events, budget: &mut usize) -> Option<Value> {
    if !matches!(events.next()?, Event::StreamStart) {
        return None;
    }
    let value = match events.next()? {
        Event::StreamEnd => return Some(Value::Null),
        Event::DocumentStart => {
            let first = events.next()?;
            let value = build(first, events, budget, 0)?;
            if !matches!(events.next()?, Event::DocumentEnd) {
                return None;
            }
            value
        }
        _ => return None,
    };
    // A second document is an error PyYAML words itself.
    matches!(events.next()?, Event::StreamEnd).then_some(value)
}

/// Deeper than this, the Python side's nesting check (and PyYAML) decide.
const MAX_DEPTH: usize = 200;

fn build(event: Event, events: &mut Events, budget: &mut usize, depth: usize) -> Option<Value> {
    *budget = budget.checked_sub(1)?;
    if depth > MAX_DEPTH {
        return None;
    }
    match event {
        Event::Scalar { value, plain } => {
            if plain {
                resolve_plain(&value)
            } else {
                Some(Value::Str(value))
            }
        }
        Event::SequenceStart => {
            let mut items = Vec::new();
            loop {
                match events.next()? {
                    Event::SequenceEnd => return Some(Value::Seq(items)),
                    item => items.push(build(item, events, budget, depth + 1)?),
                }
            }
        }
        Event::MappingStart => {
            let mut entries: Vec<(String, Value)> = Vec::new();
            loop {
                let key = match events.next()? {
                    Event::MappingEnd => return Some(Value::Map(entries)),
                    Event::Scalar { value, plain } => {
                        *budget = budget.checked_sub(1)?;
                        // Only keys PyYAML would also make the same strings; `1:`, `yes:`, `~:`
                        // or `.nan:` (a float, whose text the Python side changes) fall back.
                        if plain
                            && !matches!(resolve_plain(&value)?, Value::Str(text) if text == value)
                        {
                            return None;
                        }
                        value
                    }
                    _ => return None,
                };
                let first = events.next()?;
                let value = build(first, events, budget, depth + 1)?;
                match entries.iter_mut().find(|(existing, _)| *existing == key) {
                    Some(entry) => entry.1 = value,
                    None => entries.push((key, value)),
                }
            }
        }
        _ => None,
    }
}

struct Resolvers {
    float: Regex,
    int: Regex,
    timestamp: Regex,
}

fn resolvers() -> &'static Resolvers {
    static RESOLVERS: OnceLock<Resolvers> = OnceLock::new();
    RESOLVERS.get_or_init(|| Resolvers {
        // PyYAML's implicit resolvers (resolver.py), YAML 1.1.
        float: Regex::new(
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\n?$",
        )
        .unwrap(),
        int: Regex::new(
            r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)\n?$",
        )
        .unwrap(),
        timestamp: Regex::new(
            r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\n?$",
        )
        .unwrap(),
    })
}

/// A plain scalar as PyYAML's safe loader types it, or None where PyYAML's own reading is needed.
fn resolve_plain(value: &str) -> Option<Value> {
    let first = value.chars().next();
    let Some(first) = first else {
        return Some(Value::Null);
    };
    if "yYnNtTfFoO".contains(first) {
        match value {
            "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
                return Some(Value::Bool(true))
            }
            "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
                return Some(Value::Bool(false))
            }
            _ => {}
        }
    }
    let resolvers = resolvers();
    if "-+0123456789.".contains(first) && resolvers.float.is_match(value) {
        let cleaned = value.replace('_', "").to_lowercase();
        if cleaned.contains(':') {
            return None;
        }
        // JSON has no NaN or infinity: the Python side writes PyYAML's as text (`_as_json_data`).
        if cleaned.ends_with(".nan") {
            return Some(Value::Str("nan".into()));
        }
        if cleaned.ends_with(".inf") {
            let text = if cleaned.starts_with('-') {
                "-inf"
            } else {
                "inf"
            };
            return Some(Value::Str(text.into()));
        }
        return cleaned.parse::<f64>().ok().map(Value::Float);
    }
    if "-+0123456789".contains(first) && resolvers.int.is_match(value) {
        let cleaned = value.replace('_', "");
        let digits = cleaned.trim_start_matches(['-', '+']);
        if cleaned.contains(':') || digits.starts_with("0b") || digits.starts_with("0x") {
            return None;
        }
        if digits.len() > 1 && digits.starts_with('0') {
            return None; // octal
        }
        return cleaned.parse::<i64>().ok().map(Value::Int);
    }
    match value {
        "<<" | "=" => return None,
        "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        _ => {}
    }
    if first.is_ascii_digit() && resolvers.timestamp.is_match(value) {
        return None;
    }
    Some(Value::Str(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        match load(text) {
            Loaded::Value(value) => value,
            Loaded::Fallback => panic!("fell back on {text:?}"),
        }
    }

    #[test]
    fn a_list_is_a_document_but_not_front_matter() {
        assert!(matches!(
            load_value("- a\n- 1\n"),
            Loaded::Value(Value::Seq(_))
        ));
        assert_eq!(load("- a\n- 1\n"), Loaded::Fallback);
    }

    #[test]
    fn mappings_sequences_and_scalars() {
        let loaded =
            value("license: mit\ntags:\n- a\n- 'b'\ncount: 3\nratio: 0.5\nflag: yes\nnone:\n");
        assert_eq!(
            loaded,
            Value::Map(vec![
                ("license".into(), Value::Str("mit".into())),
                (
                    "tags".into(),
                    Value::Seq(vec![Value::Str("a".into()), Value::Str("b".into())])
                ),
                ("count".into(), Value::Int(3)),
                ("ratio".into(), Value::Float(0.5)),
                ("flag".into(), Value::Bool(true)),
                ("none".into(), Value::Null),
            ])
        );
    }

    #[test]
    fn yaml_1_1_words_and_numbers() {
        assert_eq!(
            value("a: off"),
            Value::Map(vec![("a".into(), Value::Bool(false))])
        );
        assert_eq!(
            value("a: 1_000"),
            Value::Map(vec![("a".into(), Value::Int(1000))])
        );
        assert_eq!(
            value("a: '1_000'"),
            Value::Map(vec![("a".into(), Value::Str("1_000".into()))])
        );
        assert_eq!(
            value("a: 1e5"),
            Value::Map(vec![("a".into(), Value::Str("1e5".into()))])
        );
        assert_eq!(
            value("a: 1.5e+3"),
            Value::Map(vec![("a".into(), Value::Float(1500.0))])
        );
        assert_eq!(
            value("a: [.NaN, -.Inf, +.inf, .Nan]"),
            Value::Map(vec![(
                "a".into(),
                Value::Seq(vec![
                    Value::Str("nan".into()),
                    Value::Str("-inf".into()),
                    Value::Str("inf".into()),
                    Value::Str(".Nan".into()),
                ])
            )])
        );
    }

    #[test]
    fn repeated_keys_keep_the_first_place_and_the_last_value() {
        assert_eq!(
            value("a: 1\nb: 2\na: 3\n"),
            Value::Map(vec![
                ("a".into(), Value::Int(3)),
                ("b".into(), Value::Int(2))
            ])
        );
    }

    #[test]
    fn rare_or_unsafe_documents_fall_back() {
        for text in [
            "a: !!python/object:os.system x",
            "a: &x 1\nb: *x",
            "a: 2023-01-01",
            "a: 0x1F",
            "a: 017",
            "a: 1:30",
            "1: a",
            "yes: a",
            "a: [1, 2",
            "- a\n- b",
            "just text",
            "a: 1\n---\nb: 2",
            "<<: {a: 1}",
            "a: 99999999999999999999",
            "%YAML 1.1\n---\na: 1",
        ] {
            assert_eq!(load(text), Loaded::Fallback, "{text}");
        }
    }

    #[test]
    fn nesting_and_keys() {
        assert_eq!(nesting_depth("a: [[{x: 1}]]\n", 200), 3);
        assert_eq!(nesting_depth("a:\n  - - - x\n", 200), 4);
        assert_eq!(nesting_depth(&"[".repeat(500), 200), 201);
        let (keys, repeats) = top_level_keys(
            "license: mit\n\"quoted key\": 1\n  nested: 2\nlicense: apache-2.0\nno colon\n",
            2,
        );
        assert_eq!(
            keys,
            vec![("license".to_string(), 2), ("quoted key".to_string(), 3)]
        );
        assert_eq!(repeats, vec![("license".to_string(), 5)]);
        // Single quotes, spaces before the colon, a colon at the line's end, a URL in a value.
        let (keys, _) = top_level_keys(
            "'base model' : x\ntags:\n  - a\nurl: https://x.org/a:b\nkey:value\n-dash: 1\n",
            1,
        );
        let names: Vec<&str> = keys.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(names, vec!["base model", "tags", "url"]);
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(value(""), Value::Null);
        assert_eq!(value("# only a comment\n"), Value::Null);
    }

    #[test]
    fn node_budget_falls_back() {
        let big = format!("a: [{}]", vec!["1"; MAX_NODES + 10].join(","));
        assert_eq!(load(&big), Loaded::Fallback);
    }
}
