//! Markup in remote text (HTML in feed descriptions, JATS in Crossref abstracts) as a
//! sequence of text runs and tags: the one scanner the feed and Crossref readers reduce
//! to plain text. It parses nothing else and never runs or keeps markup.

/// A run of text or one tag.
pub(crate) enum Piece<'a> {
    /// Text between tags, entities still escaped.
    Text(&'a str),
    /// A tag: its name in lower case (with any `prefix:`), and whether it closes.
    Tag { name: String, closing: bool },
}

/// The pieces of `s` in order. An unclosed `<` ends the scan: what follows it is not
/// text.
pub(crate) fn pieces(s: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = s;
    let mut tag: Option<Piece<'_>> = None;
    std::iter::from_fn(move || {
        if let Some(t) = tag.take() {
            return Some(t);
        }
        if rest.is_empty() {
            return None;
        }
        let Some(open) = rest.find('<') else {
            return Some(Piece::Text(std::mem::take(&mut rest)));
        };
        let text = &rest[..open];
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            return Some(Piece::Text(text));
        };
        let raw = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name = raw
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let t = Piece::Tag {
            name,
            closing: raw.starts_with('/'),
        };
        if text.is_empty() {
            Some(t)
        } else {
            tag = Some(t);
            Some(Piece::Text(text))
        }
    })
}

/// XML/HTML entities decoded; the text as it is when it holds a malformed one.
pub(crate) fn unescape(s: &str) -> String {
    quick_xml::escape::unescape(s)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| s.to_string())
}
