//! The Python module `g7lint._core`: thin bindings over the pure-Rust core.
//! Work on a card's text runs with the GIL released, so threads scale.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

use crate::blocks;
use crate::evidence;
use crate::html;
use crate::patterns;
use crate::yaml;

/// One block as Python reads it: (kind, text, line, start, level).
type BlockTuple = (u8, String, usize, usize, u8);

/// A parsed card body held in the core: the evidence search reads it without a copy, and
/// Python reads blocks and sections out only when it needs them (fixes, tests).
#[pyclass(frozen, module = "g7lint._core")]
struct Body {
    inner: Arc<blocks::Body>,
}

#[pymethods]
impl Body {
    /// Reading stopped at the block cap.
    #[getter]
    fn truncated(&self) -> bool {
        self.inner.truncated
    }

    /// The card's text holds `g7lint-`: only then can it hold a directive (a byte search here,
    /// where Python's `in` on a wide string costs a millisecond a megabyte).
    #[getter]
    fn mentions_directives(&self) -> bool {
        self.inner.mentions_directives
    }

    fn blocks(&self) -> Vec<BlockTuple> {
        self.inner
            .blocks
            .iter()
            .map(|b| (b.kind as u8, b.text.clone(), b.line, b.start, b.level))
            .collect()
    }

    /// (heading index, own end, subtree end, normalised title) per section.
    fn sections(&self) -> Vec<(usize, usize, usize, String)> {
        self.inner
            .sections
            .iter()
            .map(|s| (s.heading, s.own_end, s.subtree_end, s.title.clone()))
            .collect()
    }

    /// The first heading as (text, line), if the body has one.
    fn first_heading(&self) -> Option<(String, usize)> {
        self.inner
            .blocks
            .iter()
            .find(|b| b.kind == blocks::Kind::Heading)
            .map(|b| (b.text.clone(), b.line))
    }

    /// The texts of the first `count` blocks that are not code, joined by spaces, cut to `chars`.
    fn opening(&self, count: usize, chars: usize) -> String {
        let texts: Vec<&str> = self
            .inner
            .blocks
            .iter()
            .take(count)
            .filter(|b| b.kind != blocks::Kind::Code)
            .map(|b| b.text.as_str())
            .collect();
        texts.join(" ").chars().take(chars).collect()
    }
}

/// The Markdown body of `card_text` (from character `body_offset`, line `body_first_line`)
/// as blocks and sections; reading stops after `max_blocks` blocks. The whole text is passed,
/// not the body alone, so Python's cached UTF-8 form of it serves every call on the card.
#[pyfunction]
fn parse_body(
    py: Python<'_>,
    card_text: &str,
    body_offset: usize,
    body_first_line: usize,
    max_blocks: usize,
) -> Body {
    let parsed = py.allow_threads(|| body_at(card_text, body_offset, body_first_line, max_blocks));
    Body {
        inner: Arc::new(parsed),
    }
}

/// The body of `card_text` from character `body_offset` on (see `parse_body`).
fn body_at(
    card_text: &str,
    body_offset: usize,
    body_first_line: usize,
    max_blocks: usize,
) -> blocks::Body {
    let byte = card_text
        .char_indices()
        .nth(body_offset)
        .map_or(card_text.len(), |(i, _)| i);
    let mut body = blocks::parse_body(&card_text[byte..], body_offset, body_first_line, max_blocks);
    body.mentions_directives = memchr::memmem::find(card_text.as_bytes(), b"g7lint-").is_some();
    body
}

/// A policy's prose patterns, compiled on first use and matched in linear time (the
/// engine uses them through `Evidencer`; this face is for tests and tools).
#[pyclass(frozen, module = "g7lint._core")]
struct Matcher {
    inner: patterns::Matcher,
}

#[pymethods]
impl Matcher {
    #[new]
    fn new(sources: Vec<String>) -> PyResult<Self> {
        patterns::Matcher::new(sources)
            .map(|inner| Matcher { inner })
            .map_err(PyValueError::new_err)
    }

    /// Compile pattern `index` now; ValueError says why it cannot be.
    fn check(&self, index: usize) -> PyResult<()> {
        self.inner
            .regex(index)
            .map(|_| ())
            .map_err(PyValueError::new_err)
    }

    /// Matches of patterns `ids` over `joined`, by pattern, as (start, end) character offsets.
    fn find(
        &self,
        py: Python<'_>,
        joined: &str,
        char_starts: Vec<usize>,
        ids: Vec<usize>,
        whole: Vec<usize>,
    ) -> PyResult<HashMap<usize, Vec<(usize, usize)>>> {
        py.allow_threads(|| self.inner.find(joined, &char_starts, &ids, &whole))
            .map_err(PyValueError::new_err)
    }
}

/// One policy pattern (RE2 syntax) for the few the engine runs itself (which card is
/// generative, whether a title is a template's), compiled on first use.
#[pyclass(frozen, module = "g7lint._core")]
struct Pattern {
    compiled: std::sync::OnceLock<Result<crate::dialect::Regex, String>>,
    ignore_case: bool,
    #[pyo3(get)]
    source: String,
}

impl Pattern {
    fn regex(&self) -> PyResult<&crate::dialect::Regex> {
        self.compiled
            .get_or_init(|| crate::dialect::compile(&self.source, self.ignore_case))
            .as_ref()
            .map_err(|error| PyValueError::new_err(error.clone()))
    }
}

#[pymethods]
impl Pattern {
    #[new]
    #[pyo3(signature = (source, ignore_case=true))]
    fn new(source: String, ignore_case: bool) -> Self {
        Pattern {
            compiled: std::sync::OnceLock::new(),
            ignore_case,
            source,
        }
    }

    /// Compile now; ValueError says why it cannot be.
    fn check(&self) -> PyResult<()> {
        self.regex().map(|_| ())
    }

    fn is_match(&self, text: &str) -> PyResult<bool> {
        Ok(self.regex()?.is_match(text))
    }

    /// How many non-overlapping matches `text` holds.
    fn count(&self, py: Python<'_>, text: &str) -> PyResult<usize> {
        let regex = self.regex()?;
        Ok(py.allow_threads(|| regex.find_iter(text).count()))
    }
}

/// One section spec as Python gives it: heading, exclude and content patterns (RE2 syntax),
/// whether the content must match all of its patterns, min words, include code.
type SectionSpecIn = (Vec<String>, Vec<String>, Vec<String>, bool, usize, bool);
/// One requirement: its section specs, statement indexes, ignore-sections and ignore-context
/// patterns, whether its sections keep pointer sentences and whether its statements ignore them.
type RequirementIn = (
    Vec<SectionSpecIn>,
    Vec<usize>,
    Vec<String>,
    Vec<String>,
    bool,
    bool,
);

fn alternation(sources: &[String]) -> Option<evidence::LazyRegex> {
    if sources.is_empty() {
        return None;
    }
    Some(evidence::LazyRegex::new(
        sources
            .iter()
            .map(|s| format!("(?:{s})"))
            .collect::<Vec<_>>()
            .join("|"),
    ))
}

/// A policy's evidence search: its requirements' section and statement specs and its matchers.
#[pyclass(frozen, module = "g7lint._core")]
struct Evidencer {
    inner: Arc<evidence::Evidencer>,
}

/// What [`read_card`] gives: the parsed body, and its prose with the verdicts asked for
/// (none when the prose could not be read; no verdicts when one failed).
type CardRead = (
    Arc<blocks::Body>,
    Option<(evidence::CardProse, Option<Vec<(bool, usize)>>)>,
);

fn read_card(
    evidencer: &evidence::Evidencer,
    card_text: &str,
    body_offset: usize,
    body_first_line: usize,
    max_blocks: usize,
    wanted: &[usize],
) -> CardRead {
    let body = Arc::new(body_at(card_text, body_offset, body_first_line, max_blocks));
    let Ok(prose) = evidencer.prose(card_text.to_string(), Arc::clone(&body)) else {
        return (body, None);
    };
    let verdicts: Result<Vec<_>, _> = wanted
        .iter()
        .map(|&r| evidencer.verdict(&prose, r))
        .collect();
    (body, Some((prose, verdicts.ok())))
}

impl Evidencer {
    #[allow(clippy::type_complexity)]
    fn wrap(
        &self,
        body: Arc<blocks::Body>,
        found: Option<(evidence::CardProse, Option<Vec<(bool, usize)>>)>,
    ) -> (Body, Option<CardProse>, Option<Vec<(bool, usize)>>) {
        let body = Body { inner: body };
        match found {
            Some((prose, verdicts)) => (
                body,
                Some(CardProse {
                    evidencer: Arc::clone(&self.inner),
                    prose,
                }),
                verdicts,
            ),
            None => (body, None, None),
        }
    }
}

#[pymethods]
impl Evidencer {
    /// `tables`: what [`Evidencer::literal_tables`] gave for the same placeholders and
    /// statements (a cached policy keeps them), so their literals need not be read again.
    #[new]
    #[pyo3(signature = (requirements, placeholders, statements, whole, pointers=Vec::new(), tables=None))]
    fn new(
        requirements: Vec<RequirementIn>,
        placeholders: Vec<String>,
        statements: Vec<String>,
        whole: Vec<usize>,
        pointers: Vec<String>,
        tables: Option<(patterns::Tables, patterns::Tables)>,
    ) -> PyResult<Self> {
        let mut specs = Vec::with_capacity(requirements.len());
        for (
            sections,
            statement_ids,
            ignore_sections,
            ignore_context,
            keep_pointers,
            ignore_pointers,
        ) in requirements
        {
            let mut section_specs = Vec::with_capacity(sections.len());
            for (headings, excludes, content, content_all, min_words, include_code) in sections {
                let heading = alternation(&headings)
                    .ok_or_else(|| PyValueError::new_err("a section needs a heading"))?;
                let content = if content_all {
                    content.into_iter().map(evidence::LazyRegex::new).collect()
                } else {
                    alternation(&content).into_iter().collect()
                };
                section_specs.push(evidence::SectionSpec {
                    heading,
                    exclude: alternation(&excludes),
                    content,
                    min_words,
                    include_code,
                });
            }
            specs.push(evidence::RequirementSpec {
                sections: section_specs,
                statements: statement_ids,
                ignore_sections: alternation(&ignore_sections),
                ignore_context: alternation(&ignore_context),
                keep_pointers,
                ignore_pointers,
            });
        }
        let (placeholders, statements) = match tables {
            Some((placeholder_tables, statement_tables)) => (
                patterns::Matcher::from_tables(placeholders, placeholder_tables),
                patterns::Matcher::from_tables(statements, statement_tables),
            ),
            None => (
                patterns::Matcher::new(placeholders),
                patterns::Matcher::new(statements),
            ),
        };
        let placeholders = Arc::new(placeholders.map_err(PyValueError::new_err)?);
        let statements = Arc::new(statements.map_err(PyValueError::new_err)?);
        Ok(Evidencer {
            inner: Arc::new(evidence::Evidencer::new(
                specs,
                placeholders,
                statements,
                whole,
                alternation(&pointers),
            )),
        })
    }

    /// The requirements (by number) with a section spec whose heading matches `title` (normalised).
    fn headed_requirements(&self, title: &str) -> Vec<usize> {
        let mut numbers: Vec<usize> = match self.inner.heading_matches(title) {
            Ok(hits) => hits.iter().map(|&(r, _)| r).collect(),
            Err(_) => Vec::new(), // a pattern that cannot compile matches nothing; the load reported it
        };
        numbers.dedup();
        numbers
    }

    /// The literal tables of the placeholders and the statements, for a cache to keep.
    fn literal_tables(&self) -> (patterns::Tables, patterns::Tables) {
        (
            self.inner.placeholders.tables(),
            self.inner.statements.tables(),
        )
    }

    /// Compile every pattern now (an untrusted policy at load); ValueError names the first that fails.
    fn check(&self) -> PyResult<()> {
        let inner = &self.inner;
        let patterns =
            (0..inner.placeholders.len()).map(|i| inner.placeholders.regex(i).map(|_| ()));
        let statements = (0..inner.statements.len()).map(|i| inner.statements.regex(i).map(|_| ()));
        let requirements = inner
            .requirements
            .iter()
            .map(evidence::RequirementSpec::check);
        let pointers = inner.pointers.iter().map(|p| p.get().map(|_| ()));
        patterns
            .chain(statements)
            .chain(pointers)
            .chain(requirements)
            .collect::<Result<(), String>>()
            .map_err(PyValueError::new_err)
    }

    /// Many cards' bodies, prose and prose verdicts (see `CardProse.verdict`), read in one call
    /// with the GIL released, so that threads linting chunks of cards side by side run in
    /// parallel. Each item is (card text, body offset, body's first line, the requirements whose
    /// verdicts to give, in that order: none for a full report, which searches for the evidence
    /// itself). The body parse is `parse_body`'s; a body with HTML entities to decode (which
    /// Python decodes) or a verdict that fails comes back with no prose and no verdicts, for the
    /// caller to finish one step at a time.
    #[allow(clippy::type_complexity)]
    fn read_many(
        &self,
        py: Python<'_>,
        cards: Vec<(String, usize, usize, Vec<usize>)>,
        max_blocks: usize,
    ) -> Vec<(Body, Option<CardProse>, Option<Vec<(bool, usize)>>)> {
        let inner = Arc::clone(&self.inner);
        let read: Vec<_> = py.allow_threads(|| {
            cards
                .iter()
                .map(|(text, offset, first_line, wanted)| {
                    read_card(&inner, text, *offset, *first_line, max_blocks, wanted)
                })
                .collect()
        });
        read.into_iter()
            .map(|(body, found)| self.wrap(body, found))
            .collect()
    }

    /// One card's prose, read from its parsed `body`.
    fn prose(&self, py: Python<'_>, text: String, body: &Body) -> PyResult<CardProse> {
        let inner = Arc::clone(&self.inner);
        let body = Arc::clone(&body.inner);
        let prose = py
            .allow_threads(|| inner.prose(text, body))
            .map_err(PyValueError::new_err)?;
        Ok(CardProse {
            evidencer: Arc::clone(&self.inner),
            prose,
        })
    }
}

/// What one piece of evidence is: (kind, line, column, excerpt, location).
type FoundOut = (&'static str, usize, usize, String, String);

#[pyclass(frozen, module = "g7lint._core")]
struct CardProse {
    evidencer: Arc<evidence::Evidencer>,
    prose: evidence::CardProse,
}

#[pymethods]
impl CardProse {
    /// Requirement `requirement`'s section and statement evidence, given `already` pieces from
    /// metadata, and the near misses as (line, message).
    fn evidence(
        &self,
        py: Python<'_>,
        requirement: usize,
        already: usize,
    ) -> PyResult<(Vec<FoundOut>, evidence::NearMisses)> {
        // Too little work per call to be worth releasing the GIL; `prose` releases it.
        let _ = py;
        let (found, near) = self
            .evidencer
            .evidence(&self.prose, requirement, already)
            .map_err(PyValueError::new_err)?;
        let found = found
            .into_iter()
            .map(|f| (f.kind, f.line, f.column, f.excerpt, f.location))
            .collect();
        Ok((found, near))
    }

    /// Whether requirement `requirement` has section or statement evidence, and else the line
    /// of its first near miss (0: none): the search of `evidence` without excerpts.
    fn verdict(&self, requirement: usize) -> PyResult<(bool, usize)> {
        self.evidencer
            .verdict(&self.prose, requirement)
            .map_err(PyValueError::new_err)
    }

    /// The prose blocks joined by blank lines, placeholders removed.
    fn joined(&self) -> &str {
        self.prose.joined()
    }
}

/// The literal sets a pattern (RE2 syntax) cannot match without, lower case (see core/src/literals.rs).
#[pyfunction]
fn required_literals(pattern: &str) -> Vec<Vec<String>> {
    crate::literals::required_literals(&crate::dialect::from_re2(pattern))
}

use crate::yaml::KeyLines;

/// What the core reads of a front matter's YAML text: its nesting depth (bounded by
/// `max_nesting`), top-level keys with lines and their repeats, and the value, or None
/// in the last place when the document must be read by PyYAML (see core/src/yaml.rs).
#[pyfunction]
fn read_front_matter(
    py: Python<'_>,
    text: &str,
    first_line: usize,
    max_nesting: usize,
) -> PyResult<(usize, KeyLines, KeyLines, bool, PyObject)> {
    let (depth, keys, repeats, loaded) = py.allow_threads(|| {
        let depth = yaml::nesting_depth(text, max_nesting);
        let (keys, repeats) = yaml::top_level_keys(text, first_line);
        let loaded = if depth > max_nesting {
            yaml::Loaded::Fallback
        } else {
            yaml::load(text)
        };
        (depth, keys, repeats, loaded)
    });
    Ok(match loaded {
        yaml::Loaded::Value(value) => (depth, keys, repeats, true, to_python(py, &value)?),
        yaml::Loaded::Fallback => (depth, keys, repeats, false, py.None()),
    })
}

/// A YAML document built by the core, or None when PyYAML must read it (see core/src/yaml.rs).
/// The first item says which: (True, value) or (False, None).
#[pyfunction]
fn load_yaml(py: Python<'_>, text: &str) -> PyResult<(bool, PyObject)> {
    match py.allow_threads(|| yaml::load_value(text)) {
        yaml::Loaded::Value(value) => Ok((true, to_python(py, &value)?)),
        yaml::Loaded::Fallback => Ok((false, py.None())),
    }
}

fn to_python(py: Python<'_>, value: &yaml::Value) -> PyResult<PyObject> {
    use pyo3::types::{PyDict, PyList};
    Ok(match value {
        yaml::Value::Null => py.None(),
        yaml::Value::Bool(flag) => flag.into_pyobject(py)?.to_owned().into_any().unbind(),
        yaml::Value::Int(number) => number.into_pyobject(py)?.into_any().unbind(),
        yaml::Value::Float(number) => number.into_pyobject(py)?.into_any().unbind(),
        yaml::Value::Str(text) => text.into_pyobject(py)?.into_any().unbind(),
        yaml::Value::Seq(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any().unbind()
        }
        yaml::Value::Map(entries) => {
            let dict = PyDict::new(py);
            for (key, item) in entries {
                dict.set_item(key, to_python(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// `text` with its HTML character references decoded as `html.unescape` decodes them (the
/// core decodes HTML blocks this way; exposed so a test can hold the two decoders together).
#[pyfunction]
fn unescape_html(text: &str) -> String {
    html::unescape(text).into_owned()
}

#[pymodule]
fn _core(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(parse_body, module)?)?;
    module.add_class::<Body>()?;
    module.add_function(wrap_pyfunction!(read_front_matter, module)?)?;
    module.add_function(wrap_pyfunction!(required_literals, module)?)?;
    module.add_function(wrap_pyfunction!(load_yaml, module)?)?;
    module.add_function(wrap_pyfunction!(unescape_html, module)?)?;
    module.add_class::<Matcher>()?;
    module.add_class::<Evidencer>()?;
    module.add_class::<Pattern>()?;
    module.add_class::<CardProse>()?;
    Ok(())
}
