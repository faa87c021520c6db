//! Maps between key paths and places in the scenario text, using
//! `toml_edit`'s spans: a validation problem's key path becomes a line and
//! column, and a parser error's position becomes the key it is under.

use std::ops::Range;

use toml_edit::{Document, Item, Table};

use super::problem::{KeyPath, Segment};
use super::validate::charge;

/// The span of the value at `path`, or of its nearest ancestor that is
/// written in the file (a defaulted key has no place of its own).
pub fn span_of(doc: &Document<String>, path: &KeyPath) -> Option<Range<usize>> {
    charge(path.0.len());
    let mut best = None;
    let mut item: Option<&Item> = None;
    let mut table: Option<&Table> = Some(doc.as_table());
    for segment in &path.0 {
        let next = match (segment, item, table) {
            (Segment::Key(key), _, Some(table)) => {
                let Some((key_repr, child)) = table.get_key_value(key) else {
                    break;
                };
                best = child.span().or_else(|| key_repr.span()).or(best);
                Some(child)
            }
            (Segment::Key(key), Some(item), None) => {
                let Some(like) = item.as_table_like() else {
                    break;
                };
                let Some((key_repr, child)) = like.get_key_value(key) else {
                    break;
                };
                best = child.span().or_else(|| key_repr.span()).or(best);
                Some(child)
            }
            (Segment::Element { index, .. }, Some(item), _) => {
                if let Some(array) = item.as_array_of_tables() {
                    let Some(element) = array.get(*index) else {
                        break;
                    };
                    best = element.span().or(best);
                    table = Some(element);
                    continue;
                }
                let Some(value) = item.as_array().and_then(|a| a.get(*index)) else {
                    break;
                };
                best = value.span().or(best);
                break;
            }
            _ => break,
        };
        item = next;
        table = item.and_then(Item::as_table);
    }
    best
}

/// The dotted key whose key or value contains byte `offset`, if any.
pub fn key_at(doc: &Document<String>, offset: usize) -> Option<String> {
    let mut found = None;
    walk_table(doc.as_table(), &mut Vec::new(), offset, &mut found);
    found
}

fn contains(span: Option<Range<usize>>, offset: usize) -> bool {
    span.is_some_and(|s| s.start <= offset && offset < s.end.max(s.start + 1))
}

fn walk_table(table: &Table, prefix: &mut Vec<String>, offset: usize, found: &mut Option<String>) {
    if contains(table.span(), offset) {
        *found = Some(prefix.join("."));
    }
    for (key, item) in table.iter() {
        charge(1);
        prefix.push(key.to_string());
        let key_span = table.key(key).and_then(|k| k.span());
        if contains(key_span, offset) || contains(item.span(), offset) {
            *found = Some(prefix.join("."));
        }
        match item {
            Item::Table(child) => walk_table(child, prefix, offset, found),
            Item::ArrayOfTables(array) => {
                for (index, element) in array.iter().enumerate() {
                    let label = element
                        .get("id")
                        .and_then(Item::as_str)
                        .map_or_else(|| index.to_string(), str::to_string);
                    prefix.push(label);
                    walk_table(element, prefix, offset, found);
                    prefix.pop();
                }
            }
            _ => {}
        }
        prefix.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[scenario]\nname = \"x\"\n[[spoilers]]\nid = \"israel\"\ncapability = 7\n";

    #[test]
    fn finds_the_value_of_an_array_element_by_index() {
        let doc = Document::parse(TEXT.to_string()).unwrap();
        let path = KeyPath::default()
            .child("spoilers")
            .element(0, Some("israel"))
            .child("capability");
        let span = span_of(&doc, &path).unwrap();
        assert_eq!(&TEXT[span], "7");
    }

    #[test]
    fn falls_back_to_the_nearest_written_ancestor() {
        let doc = Document::parse(TEXT.to_string()).unwrap();
        let path = KeyPath::default()
            .child("spoilers")
            .element(0, Some("israel"))
            .child("pressure");
        let span = span_of(&doc, &path).unwrap();
        assert!(TEXT[span].starts_with("[[spoilers]]"));
    }

    #[test]
    fn names_the_key_at_an_offset() {
        let doc = Document::parse(TEXT.to_string()).unwrap();
        let offset = TEXT.find("capability").unwrap();
        assert_eq!(
            key_at(&doc, offset).as_deref(),
            Some("spoilers.israel.capability")
        );
    }
}
