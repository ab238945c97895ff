//! Glossary term pairs for `align` (anchors) and `eval` (term accuracy): the `source` and
//! `target` columns of a glossary TSV file. A stopgap reader until the full glossary loader
//! feeds these commands; it checks only what it uses and never prints.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// The glossary file to use: the one named, or `glossary/official-titles.tsv` under the
/// project root when it exists, or none.
pub fn glossary_path(explicit: Option<&Path>, root: &Path) -> Option<PathBuf> {
    match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => {
            let default = root.join("glossary").join("official-titles.tsv");
            default.is_file().then_some(default)
        }
    }
}

/// Reads the (source, target) pairs of a glossary TSV: `#` lines are comments, the first
/// other line is the header and must name `source` and `target` columns.
pub fn load_term_pairs(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the glossary", path.display()))?;
    parse_term_pairs(&text).with_context(|| format!("{}: not a glossary TSV", path.display()))
}

fn parse_term_pairs(text: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut columns: Option<(usize, usize)> = None;
    let mut pairs = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let Some((source_column, target_column)) = columns else {
            let find = |name: &str| fields.iter().position(|field| field.trim() == name);
            match (find("source"), find("target")) {
                (Some(source), Some(target)) => columns = Some((source, target)),
                _ => {
                    bail!("line {line_number}: the header must name `source` and `target` columns")
                }
            }
            continue;
        };
        let field = |column: usize| fields.get(column).map_or("", |field| field.trim());
        let (source, target) = (field(source_column), field(target_column));
        if source.is_empty() || target.is_empty() {
            bail!("line {line_number}: an entry needs both a source and a target term");
        }
        pairs.push((source.to_string(), target.to_string()));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_source_and_target_columns() {
        let text = "# comment\nsource\ttarget\tkind\nPerdana Menteri\tPrime Minister\ttitle\n\nMenlu\tMinister of Foreign Affairs\n";
        assert_eq!(
            parse_term_pairs(text).unwrap(),
            [
                ("Perdana Menteri".to_string(), "Prime Minister".to_string()),
                (
                    "Menlu".to_string(),
                    "Minister of Foreign Affairs".to_string()
                ),
            ]
        );
        let error = parse_term_pairs("a\tb\n").unwrap_err().to_string();
        assert!(error.contains("line 1"), "{error}");
        let error = parse_term_pairs("source\ttarget\nPresiden\t\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
    }
}
