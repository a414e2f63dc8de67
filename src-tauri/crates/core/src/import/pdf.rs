//! PDFs through `lopdf`: the document information (title, subject, keywords), then the
//! first page's text (arXiv stamps it with `arXiv:ID [cat] date`; journals print the
//! DOI), then the file name (`2006.11239v2.pdf`).

use super::{ids, Entry};
use crate::model::ArxivId;
use crate::{Error, Result};
use lopdf::{Document, Object};

fn info_string(doc: &Document, key: &[u8]) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let dict = match info {
        Object::Reference(r) => doc.get_object(*r).ok()?.as_dict().ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let value = dict.get(key).ok()?;
    let bytes = value.as_str().ok()?;
    let s = lopdf::decode_text_string(value)
        .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned());
    let s = crate::model::normalize_whitespace(&s);
    (!s.is_empty()).then_some(s)
}

pub(super) fn parse(name: &str, bytes: &[u8]) -> Result<Vec<Entry>> {
    let doc = Document::load_mem(bytes)
        .map_err(|e| Error::Invalid(format!("not a readable PDF ({e})")))?;
    if doc.is_encrypted() {
        return Err(Error::Invalid(
            "the PDF is encrypted; export it without a password".into(),
        ));
    }
    let title = info_string(&doc, b"Title")
        .filter(|t| t.len() > 3 && !t.ends_with(".dvi") && !t.eq_ignore_ascii_case("untitled"));
    let mut entry = Entry {
        label: name.to_string(),
        arxiv: None,
        doi: None,
        title,
    };
    let meta: Vec<String> = [b"Subject".as_slice(), b"Keywords", b"Title"]
        .iter()
        .filter_map(|k| info_string(&doc, k))
        .collect();
    for m in &meta {
        super::scan_into(&mut entry, m);
    }
    if entry.arxiv.is_none() {
        let first = doc.get_pages().keys().next().copied();
        if let Some(page) = first {
            if let Ok(text) = doc.extract_text(&[page]) {
                if let Some(id) = ids::first_arxiv(&text) {
                    entry.arxiv = Some(id);
                }
                if entry.doi.is_none() {
                    entry.doi = ids::first_doi(&text);
                }
            }
        }
    }
    if entry.arxiv.is_none() {
        let stem = name.trim_end_matches(".pdf").trim_end_matches(".PDF");
        entry.arxiv = ArxivId::parse(stem).or_else(|| ArxivId::parse(&stem.replace('_', "/")));
    }
    Ok(vec![entry])
}
