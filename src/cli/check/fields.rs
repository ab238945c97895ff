//! The texts of one JSON line read without parsing the line: what the consistency check's first
//! pass needs of a pair or a record (its source, its target and whether it is translatable),
//! found by looking only at the object's top-level keys and jumping over the other values.
//!
//! A fast reading, not a parser: it answers only when it is sure of the texts (plain strings
//! with no escape and no control character, the object well formed up to the last field it
//! needs) and says `None` otherwise, for the caller to parse the line with serde. It does not
//! validate what it skips; the checking pass parses every line whole and reports what is wrong.

/// The texts of a line: the source, the target (`None` for `null` or, in a pair, absent) and
/// the `translatable` flag when it was asked for.
#[derive(Debug, PartialEq)]
pub struct Texts<'a> {
    pub source: &'a str,
    pub target: Option<&'a str>,
    pub translatable: bool,
}

/// Reads `line`'s texts; a record (`record`) must have `translatable` and `target`, which a
/// pair may leave out (a pair is always translatable). Stops at the last field it needs.
pub fn read(line: &str, record: bool) -> Option<Texts<'_>> {
    let mut scan = Scan {
        bytes: line.as_bytes(),
        at: 0,
    };
    let mut source = None;
    let mut target: Option<Option<&str>> = None;
    let mut translatable = (!record).then_some(true);
    scan.blank();
    scan.eat(b'{')?;
    scan.blank();
    if scan.peek()? == b'}' {
        return None;
    }
    loop {
        let (key, plain) = scan.string()?;
        if !plain {
            return None;
        }
        scan.blank();
        scan.eat(b':')?;
        scan.blank();
        match &line[key.0..key.1] {
            "source" if source.is_none() => source = Some(scan.text(line)?),
            "target" if target.is_none() => {
                target = Some(if scan.peek()? == b'n' {
                    scan.literal(b"null")?;
                    None
                } else {
                    Some(scan.text(line)?)
                });
            }
            "translatable" if translatable.is_none() && record => {
                translatable = Some(match scan.peek()? {
                    b't' => scan.literal(b"true").map(|()| true)?,
                    _ => scan.literal(b"false").map(|()| false)?,
                });
            }
            "source" | "target" | "translatable" => return None,
            _ => scan.value()?,
        }
        if let (Some(source), Some(target), Some(translatable)) = (source, target, translatable) {
            return Some(Texts {
                source,
                target,
                translatable,
            });
        }
        scan.blank();
        match scan.next()? {
            b',' => scan.blank(),
            // the object ends: a pair may have no target
            b'}' if !record => {
                return Some(Texts {
                    source: source?,
                    target: None,
                    translatable: true,
                });
            }
            _ => return None,
        }
    }
}

struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// A string from its opening quote: its content's byte range, and whether it is plain (no
    /// escape, no control character), so that its content is its value.
    fn string(&mut self) -> Option<((usize, usize), bool)> {
        self.eat(b'"')?;
        let start = self.at;
        let mut escaped = false;
        loop {
            let found = memchr::memchr2(b'"', b'\\', &self.bytes[self.at..])?;
            self.at += found;
            if self.bytes[self.at] == b'"' {
                let end = self.at;
                self.at += 1;
                let plain = !escaped && !self.bytes[start..end].iter().any(|&byte| byte < 0x20);
                return Some(((start, end), plain));
            }
            // an escape: the next byte is never the closing quote (\uXXXX has no quote either)
            escaped = true;
            self.at += 2;
        }
    }

    /// A plain string value, borrowed from `line`.
    fn text<'l>(&mut self, line: &'l str) -> Option<&'l str> {
        let ((start, end), plain) = self.string()?;
        plain.then(|| &line[start..end])
    }

    /// Jumps over any value: a string, an object or array (to its matching end, strings
    /// inside skipped whole), or a literal or number (to the next delimiter).
    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                let start = self.at;
                while !matches!(
                    self.peek()?,
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                ) {
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::check::input::RecordTexts;
    use std::borrow::Cow;

    /// A pair's texts as serde reads them (a pair's id is the checking pass's business).
    #[derive(serde::Deserialize)]
    struct PairTexts<'a> {
        #[serde(borrow)]
        source: Cow<'a, str>,
        #[serde(default)]
        target: Option<String>,
    }

    /// What serde reads of the line's texts, as a pair or as a record.
    fn by_serde(line: &str, record: bool) -> Option<(String, Option<String>, bool)> {
        if record {
            let texts: RecordTexts<'_> = serde_json::from_str(line).ok()?;
            Some((
                texts.source.to_string(),
                texts.target.map(|target| target.to_string()),
                texts.translatable,
            ))
        } else {
            let pair: PairTexts<'_> = serde_json::from_str(line).ok()?;
            Some((pair.source.to_string(), pair.target, true))
        }
    }

    fn owned(texts: Texts<'_>) -> (String, Option<String>, bool) {
        (
            texts.source.to_string(),
            texts.target.map(str::to_string),
            texts.translatable,
        )
    }

    #[test]
    fn the_fast_reading_answers_the_common_lines_as_serde_does() {
        let pairs = [
            r#"{"id":"a","source":"Menteri","target":"Minister"}"#,
            r#"{"id": "a", "source": "Menteri", "target": null}"#,
            r#"{"id":"a","source":"Menteri"}"#,
            r#" { "target" : "“Talks”" , "id" : 7 , "source" : "“Pembicaraan” é" } "#,
            r#"{"meta":{"a":[1,{"b":"}]\"{"}],"c":-1.5e3,"d":true},"source":"x","note":"\\","target":"y"}"#,
        ];
        for line in pairs {
            let read = read(line, false).unwrap_or_else(|| panic!("no fast reading: {line}"));
            assert_eq!(Some(owned(read)), by_serde(line, false), "{line}");
        }
        let records = [
            r#"{"id":"a:1.1","kind":"paragraph","translatable":true,"source":"Menteri","target":"Minister","raw":"x","matches":[{"a":1}]}"#,
            r#"{"id":"a:1.2","kind":"byline","translatable":false,"source":"Foto","target":null}"#,
            r#"{"target":"y","source":"x","translatable":true}"#,
        ];
        for line in records {
            let read = read(line, true).unwrap_or_else(|| panic!("no fast reading: {line}"));
            assert_eq!(Some(owned(read)), by_serde(line, true), "{line}");
        }
    }

    #[test]
    fn the_fast_reading_leaves_to_serde_what_it_is_not_sure_of() {
        for (line, record) in [
            (r#"{"id":"a","source":"\"Kata\"","target":"x"}"#, false),
            (r#"{"id":"a","source":"a\u00e9","target":"x"}"#, false),
            ("{\"id\":\"a\",\"source\":\"a\tb\",\"target\":\"x\"}", false),
            (r#"{"id":"a","source":7,"target":"x"}"#, false),
            (
                r#"{"id":"a","source":"a","source":"b","target":"x"}"#,
                false,
            ),
            (r#"{"id":"a","target":"x"}"#, false),
            (r#"{"id":"a","source":"a","target":5}"#, false),
            (r#"{"id":"a","source":"a","target":nul}"#, false),
            (r#"{"id":"a","source":"a""#, false),
            (r#"["source","a"]"#, false),
            ("", false),
            ("{}", false),
            (r#"{"source":"x","target":"y"}"#, true),
            (r#"{"translatable":"yes","source":"x","target":"y"}"#, true),
            (r#"{"translatable":true,"source":"x"}"#, true),
            (
                r#"{"s\"ource":"x","translatable":true,"source":"x","target":"y"}"#,
                true,
            ),
        ] {
            assert_eq!(read(line, record), None, "{line}");
        }
    }

    /// Lines built from pieces, some of them malformed: wherever the fast reading answers,
    /// serde reads the same texts (the reverse is not asked: the fast reading may decline). A
    /// key repeated after the fields read is the one thing it does not see (serde refuses the
    /// line; so does the checking pass), so the keys of a line are distinct here.
    #[test]
    fn wherever_the_fast_reading_answers_serde_agrees() {
        let values = [
            r#""plain""#,
            r#""with \"quote\"""#,
            "null",
            "true",
            "false",
            "12",
            r#"{"x":["]",{"y":"}"}]}"#,
            "[]",
            r#""a\\""#,
            r#""“curly” é""#,
        ];
        let keys = ["id", "source", "target", "translatable", "raw"];
        let mut answered = 0;
        let mut lines = 0;
        for first in keys {
            for second in keys {
                for third in keys {
                    if first == second || second == third || first == third {
                        continue;
                    }
                    for value in values {
                        for other in values {
                            for last in values {
                                let line = format!(
                                    r#"{{"{first}":{value}, "{second}" :{other},"{third}":{last}}}"#
                                );
                                for record in [false, true] {
                                    lines += 1;
                                    if let Some(texts) = read(&line, record) {
                                        answered += 1;
                                        let serde = by_serde(&line, record);
                                        assert_eq!(Some(owned(texts)), serde, "{line}");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(
            answered > 1000 && answered < lines,
            "{answered} of {lines} answered"
        );
    }
}
