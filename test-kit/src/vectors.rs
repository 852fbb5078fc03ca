//! What the vector runners share (the codec's `zap_vectors.rs` for
//! `spec/vectors/zap.toml`, `lrv_vectors.rs` for `spec/vectors/lrv.toml`):
//! the file, its tables read key by key so that a typo is an error, the
//! byte strings of the files' headers, and one run over every vector that
//! reports every failure at once. What a vector expects is each protocol's
//! own.

use std::collections::BTreeSet;

use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::framing::End;
use toml::{Table, Value};

/// A table whose keys are taken one by one; whatever is left is a typo.
#[derive(Debug)]
pub struct Keys {
    table: Table,
}

impl Keys {
    pub fn new(value: &Value, what: &str) -> Result<Self, String> {
        match value {
            Value::Table(t) => Ok(Keys { table: t.clone() }),
            other => Err(format!("{what} must be a table, found {other}")),
        }
    }

    /// `value`, a table, read by `read`; a key it leaves is an error.
    pub fn read<T>(
        value: &Value,
        what: &str,
        read: impl FnOnce(&mut Keys) -> Result<T, String>,
    ) -> Result<T, String> {
        let mut k = Keys::new(value, what)?;
        let out = read(&mut k)?;
        k.finish()?;
        Ok(out)
    }

    pub fn take(&mut self, key: &str) -> Option<Value> {
        self.table.remove(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    pub fn string(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{key}` must be a string, found {other}")),
        }
    }

    pub fn required(&mut self, key: &str) -> Result<String, String> {
        self.string(key)?
            .ok_or_else(|| format!("`{key}` is required"))
    }

    pub fn usize(&mut self, key: &str) -> Result<Option<usize>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Integer(n)) => usize::try_from(n)
                .map(Some)
                .map_err(|e| format!("`{key}`: {e}")),
            Some(other) => Err(format!("`{key}` must be an integer, found {other}")),
        }
    }

    pub fn bool(&mut self, key: &str) -> Result<Option<bool>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(b)),
            Some(other) => Err(format!("`{key}` must be a boolean, found {other}")),
        }
    }

    /// A byte string made of the common pieces and the file's `own`.
    pub fn bytes(&mut self, key: &str, own: &[Piece]) -> Result<Option<Vec<u8>>, String> {
        self.take(key)
            .map(|v| bytes(&v, own).map_err(|e| format!("`{key}`: {e}")))
            .transpose()
    }

    /// A non-empty array, such as a stream's `expect`.
    pub fn items(&mut self, key: &str) -> Result<Vec<Value>, String> {
        match self.take(key) {
            Some(Value::Array(items)) if !items.is_empty() => Ok(items),
            _ => Err(format!("`{key}` must be a non-empty array")),
        }
    }

    /// `section`, which must cite the spec.
    pub fn section(&mut self) -> Result<(), String> {
        let section = self.required("section")?;
        if section.starts_with('§') {
            Ok(())
        } else {
            Err(format!(
                "section must cite the spec (\"§…\"), found {section:?}"
            ))
        }
    }

    /// `end`: whether the input ends at a read boundary.
    pub fn end(&mut self) -> Result<End, String> {
        one_of(
            "end",
            &self.required("end")?,
            &[("more", End::More), ("boundary", End::Boundary)],
        )
    }

    pub fn finish(&mut self) -> Result<(), String> {
        if self.table.is_empty() {
            Ok(())
        } else {
            let keys: Vec<_> = self.table.keys().map(String::as_str).collect();
            Err(format!("unknown keys {keys:?}"))
        }
    }
}

/// The value `name` stands for, of those a key allows.
pub fn one_of<T: Copy>(key: &str, name: &str, values: &[(&str, T)]) -> Result<T, String> {
    match values.iter().find(|(n, _)| *n == name) {
        Some((_, v)) => Ok(*v),
        None => {
            let names: Vec<_> = values.iter().map(|(n, _)| *n).collect();
            Err(format!("{key} must be {}, found {name:?}", or_list(&names)))
        }
    }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A file's own kind of piece, beyond those every file has (a string,
/// `{ hex }`, `{ repeat, count }`): the key that marks it, its shape for
/// error messages, and the bytes it stands for.
#[derive(Debug)]
pub struct Piece {
    pub key: &'static str,
    pub shape: &'static str,
    pub bytes: fn(&Value) -> Result<Vec<u8>, String>,
}

/// A byte string: a TOML string, or an array of pieces (see the file header).
pub fn bytes(value: &Value, own: &[Piece]) -> Result<Vec<u8>, String> {
    match value {
        Value::String(s) => Ok(s.as_bytes().to_vec()),
        Value::Array(pieces) => {
            let mut out = Vec::new();
            for p in pieces {
                out.extend(piece(p, own)?);
            }
            Ok(out)
        }
        other => Err(format!(
            "bytes must be a string or an array of pieces, found {other}"
        )),
    }
}

fn piece(value: &Value, own: &[Piece]) -> Result<Vec<u8>, String> {
    if let Value::String(s) = value {
        return Ok(s.as_bytes().to_vec());
    }
    Keys::read(value, "a piece", |k| {
        if let Some(h) = k.string("hex")? {
            return hex(&h);
        }
        if let Some(text) = k.string("repeat")? {
            let count = k.usize("count")?.ok_or("`repeat` needs `count`")?;
            return Ok(text.repeat(count).into_bytes());
        }
        for p in own {
            if let Some(v) = k.take(p.key) {
                return (p.bytes)(&v);
            }
        }
        let mut shapes = vec!["a string", "{ hex }", "{ repeat, count }"];
        shapes.extend(own.iter().map(|p| p.shape));
        Err(format!("a piece is {}: {value}", or_list(&shapes)))
    })
}

pub fn hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err(format!("odd number of hex digits in {text:?}"));
    }
    digits
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).map_err(|e| e.to_string())?;
            u8::from_str_radix(s, 16).map_err(|e| format!("bad hex {s:?}: {e}"))
        })
        .collect()
}

/// How the streaming decoder, given a vector's bytes at a read boundary,
/// compares with the vector's outcome (`same`) and with waiting for more
/// (`waits`), and how many bytes a message it decoded used.
#[derive(Debug)]
pub struct Streamed {
    pub same: Result<(), String>,
    pub waits: Result<(), String>,
    pub used: Option<usize>,
}

/// A vector's `stream` key (see the files' headers) against what the
/// streaming decoder did: `Ok(Some(_))` is a failure, `Err` a key that is
/// none of absent, `"incomplete"` and `false`.
pub fn check_stream(
    stream: Option<Value>,
    input_len: usize,
    streamed: Streamed,
) -> Result<Option<String>, String> {
    Ok(match stream {
        None => match streamed.same {
            Err(e) => Some(format!("decode_stream (same outcome expected): {e}")),
            Ok(()) => streamed
                .used
                .filter(|&used| used != input_len)
                .map(|used| format!("decode_stream used {used} of {input_len} bytes")),
        },
        Some(Value::String(s)) if s == "incomplete" => {
            streamed.waits.err().map(|e| format!("decode_stream: {e}"))
        }
        Some(Value::Boolean(false)) => None,
        Some(other) => {
            return Err(format!(
                "`stream` must be absent, \"incomplete\" or false, found {other}"
            ));
        }
    })
}

/// `(name, value)` pairs as a failure message shows them.
pub fn describe_fields(fields: &[(String, String)]) -> String {
    let parts: Vec<_> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_excerpt(v.as_bytes(), 40)))
        .collect();
    parts.join(" ")
}

/// What a runner learnt of a vector besides whether it passed: its name,
/// and whatever the coverage checks count.
pub trait Seen {
    /// Nothing learnt yet but the name.
    fn named(name: String) -> Self;
    fn name(&self) -> &str;
}

/// Runs `check` on a vector (`what`: "a vector", "a stream", …) once its
/// `name` and `section` are read; what it saw comes back even when the
/// vector is malformed, named `<unnamed>` if it has no name.
pub fn run<S: Seen>(
    value: &Value,
    what: &str,
    check: impl FnOnce(&mut Keys, &mut S) -> Result<(), String>,
) -> (S, Result<(), String>) {
    let mut seen = S::named("<unnamed>".into());
    let result = (|| {
        let mut k = Keys::new(value, what)?;
        seen = S::named(k.required("name")?);
        k.section()?;
        check(&mut k, &mut seen)
    })();
    (seen, result)
}

/// Checks one vector: what it showed, and `Err` with every failure.
pub type Runner<S> = fn(&Value) -> (S, Result<(), String>);

/// A vector file, loaded.
#[derive(Debug)]
pub struct Vectors {
    path: &'static str,
    file: Table,
}

impl Vectors {
    pub fn load(path: &'static str) -> Self {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let file = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        Vectors { path, file }
    }

    /// The `[[key]]` tables.
    pub fn array(&self, key: &str) -> &[Value] {
        match self.file.get(key) {
            Some(Value::Array(a)) => a,
            other => panic!(
                "{}: `[[{key}]]` missing or not an array: {other:?}",
                self.path
            ),
        }
    }

    /// Runs every `[[kind]]` with its runner and fails listing every failing
    /// vector by kind and name, every duplicate name, and any top-level key
    /// that is no kind.
    pub fn every_vector_passes<S: Seen>(&self, kinds: &[(&str, Runner<S>)]) {
        let unknown: Vec<_> = self
            .file
            .keys()
            .filter(|k| !kinds.iter().any(|(kind, _)| kind == k))
            .collect();
        assert!(unknown.is_empty(), "unknown top-level keys {unknown:?}");
        let mut failures = Vec::new();
        let mut names = BTreeSet::new();
        let mut total = 0;
        for (kind, runner) in kinds {
            for value in self.array(kind) {
                total += 1;
                let (seen, result) = runner(value);
                if !names.insert(seen.name().to_owned()) {
                    failures.push(format!("[{kind}] {}: duplicate name", seen.name()));
                }
                if let Err(e) = result {
                    failures.push(format!("[{kind}] {}:\n    {e}", seen.name()));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {total} vectors failed:\n\n{}\n",
            failures.len(),
            failures.join("\n\n")
        );
    }

    /// What every `[[kind]]` showed, for the coverage checks.
    pub fn seen<S>(&self, kinds: &[(&str, Runner<S>)]) -> Vec<S> {
        kinds
            .iter()
            .flat_map(|(kind, runner)| self.array(kind).iter().map(runner))
            .map(|(seen, _)| seen)
            .collect()
    }
}
