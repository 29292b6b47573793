//! The Python module `g7lint._core`: thin bindings over the pure-Rust core.
//! Work on a card's text runs with the GIL released, so threads scale.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

use crate::blocks;
use crate::patterns;
use crate::yaml;

/// One block as Python reads it: (kind, text, line, start, level, needs_unescape).
type BlockTuple = (u8, String, usize, usize, u8, bool);

/// The blocks of a Markdown body, and whether reading stopped at `max_blocks`.
#[pyfunction]
fn parse_blocks(
    py: Python<'_>,
    body: &str,
    body_offset: usize,
    body_first_line: usize,
    max_blocks: usize,
) -> (Vec<BlockTuple>, bool) {
    let parsed = py.allow_threads(|| blocks::parse_body(body, body_offset, body_first_line, max_blocks));
    let tuples = parsed
        .blocks
        .into_iter()
        .map(|b| (b.kind as u8, b.text, b.line, b.start, b.level, b.needs_unescape))
        .collect();
    (tuples, parsed.truncated)
}

/// A policy's prose patterns, compiled on first use and matched in linear time.
#[pyclass(frozen, module = "g7lint._core")]
struct Matcher {
    inner: Arc<patterns::Matcher>,
}

/// One card's prose, scanned once for every pattern's literals; patterns run on demand.
#[pyclass(frozen, module = "g7lint._core")]
struct ProseIndex {
    matcher: Arc<patterns::Matcher>,
    index: patterns::Index,
}

#[pymethods]
impl ProseIndex {
    /// Matches of patterns `ids` as (start, end, position in ids), by start then position.
    fn matches(&self, py: Python<'_>, ids: Vec<usize>, whole: Vec<usize>) -> PyResult<Vec<(usize, usize, usize)>> {
        py.allow_threads(|| self.matcher.matches(&self.index, &ids, &whole)).map_err(PyValueError::new_err)
    }
}

#[pymethods]
impl Matcher {
    #[new]
    fn new(sources: Vec<String>) -> PyResult<Self> {
        patterns::Matcher::new(sources)
            .map(|inner| Matcher { inner: Arc::new(inner) })
            .map_err(PyValueError::new_err)
    }

    /// Compile pattern `index` now; ValueError says why it cannot be.
    fn check(&self, index: usize) -> PyResult<()> {
        self.inner.regex(index).map(|_| ()).map_err(PyValueError::new_err)
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

    /// Index one card's prose (blocks joined by blank lines, starting at `char_starts`).
    fn index(&self, py: Python<'_>, joined: &str, char_starts: Vec<usize>) -> ProseIndex {
        let index = py.allow_threads(|| self.inner.index(joined, &char_starts));
        ProseIndex { matcher: Arc::clone(&self.inner), index }
    }

    /// `texts` with the placeholder patterns `ids` removed.
    fn strip(&self, py: Python<'_>, texts: Vec<String>, ids: Vec<usize>) -> PyResult<Vec<String>> {
        let borrowed: Vec<&str> = texts.iter().map(String::as_str).collect();
        py.allow_threads(|| self.inner.strip(&borrowed, &ids)).map_err(PyValueError::new_err)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// The literal sets a pattern (RE2 syntax) cannot match without, lower case (see core/src/literals.rs).
#[pyfunction]
fn required_literals(pattern: &str) -> Vec<Vec<String>> {
    crate::literals::required_literals(&crate::dialect::from_re2(pattern))
}

type KeyLines = Vec<(String, usize)>;

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
        let loaded = if depth > max_nesting { yaml::Loaded::Fallback } else { yaml::load(text) };
        (depth, keys, repeats, loaded)
    });
    Ok(match loaded {
        yaml::Loaded::Value(value) => (depth, keys, repeats, true, to_python(py, &value)?),
        yaml::Loaded::Fallback => (depth, keys, repeats, false, py.None()),
    })
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

#[pymodule]
fn _core(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(parse_blocks, module)?)?;
    module.add_function(wrap_pyfunction!(read_front_matter, module)?)?;
    module.add_function(wrap_pyfunction!(required_literals, module)?)?;
    module.add_class::<Matcher>()?;
    module.add_class::<ProseIndex>()?;
    Ok(())
}
