//! TeX in paper metadata, as arXiv carries it: cleaned into readable text once, when a
//! paper is stored, and written back as valid TeX for BibTeX.
//!
//! [`clean`] turns the markup *outside* math into the characters it stands for
//! (`\%` → `%`, `{\"o}` → `ö`, `--` → `–`, `\emph{x}` → `x`) and keeps every formula
//! verbatim with its delimiters, reporting where each one is ([`MathSpan`], in UTF-16
//! units, the way the UI's strings count), so the UI can render it and a literal `$`
//! (`\$15`) is never mistaken for math. [`to_bibtex`] is the way back.
//!
//! This is not a TeX engine: unknown commands are kept as they were written, and the
//! original text is stored beside the cleaned one, so a later cleaner can redo it.
//! Every scan is linear (a formula is looked for at most [`MATH_MAX`] characters
//! ahead), so hostile input (10,000 `$` signs) costs no more than its length.
//!
//! ```
//! use papersift_core::tex::clean;
//! let c = clean(r#"Schr{\"o}dinger bridges in $O(n \log n)$ for \$15 -- 99\% faster"#);
//! assert_eq!(c.text, "Schrödinger bridges in $O(n \\log n)$ for $15 – 99% faster");
//! assert_eq!(c.math.len(), 1);
//! ```

use serde::{Deserialize, Serialize};

/// The version of [`clean`]'s rules. A library records the version that cleaned it; one
/// cleaned by an older version is cleaned again from the stored originals when it is
/// opened (`Store::reclean`).
pub const CLEANER_VERSION: i64 = 1;

/// How far ahead (in characters) the end of a formula is looked for.
pub const MATH_MAX: usize = 1_000;

/// Where a formula sits in cleaned text, in UTF-16 code units (JavaScript string
/// indices). `start..end` covers the delimiters, `tex_start..tex_end` the TeX inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MathSpan {
    /// Start of the formula, delimiters included.
    pub start: u32,
    /// End (exclusive), delimiters included.
    pub end: u32,
    /// Start of the TeX source inside the delimiters.
    pub tex_start: u32,
    /// End (exclusive) of the TeX source.
    pub tex_end: u32,
    /// Display math (`$$…$$`, `\[…\]`) rather than inline.
    pub display: bool,
}

/// Cleaned text and the formulas in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Readable text; formulas stay as their TeX source, with delimiters.
    pub text: String,
    /// The formulas, in order.
    pub math: Vec<MathSpan>,
}

/// Output being built: text plus its length in UTF-16 units.
#[derive(Default)]
struct Out {
    text: String,
    utf16: u32,
    math: Vec<MathSpan>,
}

impl Out {
    fn push(&mut self, c: char) {
        self.text.push(c);
        self.utf16 += c.len_utf16() as u32;
    }

    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c);
        }
    }

    /// One space, never two in a row and never at the start.
    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
            self.push(' ');
        }
    }
}

/// TeX's accent commands (without the backslash) and the combining mark each stands
/// for: symbols (`\"o`) and letters (`\c{c}`, `\v s`). Read both ways: cleaning and
/// writing BibTeX.
const ACCENTS: &[(&str, char)] = &[
    ("'", '\u{301}'),
    ("`", '\u{300}'),
    ("^", '\u{302}'),
    ("\"", '\u{308}'),
    ("~", '\u{303}'),
    ("=", '\u{304}'),
    (".", '\u{307}'),
    ("u", '\u{306}'),
    ("v", '\u{30c}'),
    ("H", '\u{30b}'),
    ("c", '\u{327}'),
    ("k", '\u{328}'),
    ("r", '\u{30a}'),
    ("d", '\u{323}'),
    ("b", '\u{331}'),
];

/// The combining mark of the accent command `name` (`"`, `c`).
fn accent_mark(name: &str) -> Option<char> {
    ACCENTS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

/// Letters TeX writes as commands (`\ss`, `\o`).
fn special_letter(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "aa" => "å",
        "AA" => "Å",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        "dh" => "ð",
        "DH" => "Ð",
        "th" => "þ",
        "TH" => "Þ",
        "ng" => "ŋ",
        "NG" => "Ŋ",
        _ => return None,
    })
}

/// Commands that stand for a symbol.
fn symbol_word(name: &str) -> Option<&'static str> {
    Some(match name {
        "ldots" | "dots" | "textellipsis" => "…",
        "textendash" => "–",
        "textemdash" => "—",
        "textasciitilde" => "~",
        "textasciicircum" => "^",
        "textbackslash" => "\\",
        "textquoteleft" => "‘",
        "textquoteright" => "’",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "textunderscore" => "_",
        "textbar" => "|",
        "textless" => "<",
        "textgreater" => ">",
        "textdegree" => "°",
        "textregistered" => "®",
        "texttrademark" | "trademark" => "™",
        "copyright" | "textcopyright" => "©",
        "S" => "§",
        "P" => "¶",
        "dag" => "†",
        "ddag" => "‡",
        "pounds" => "£",
        "euro" => "€",
        "LaTeX" => "LaTeX",
        "TeX" => "TeX",
        "BibTeX" => "BibTeX",
        "XeTeX" => "XeTeX",
        "LuaTeX" => "LuaTeX",
        "ie" => "i.e.",
        "eg" => "e.g.",
        "etal" => "et al.",
        _ => return None,
    })
}

/// Commands whose argument is shown as plain text (the command itself is dropped).
fn is_transparent(name: &str) -> bool {
    matches!(
        name,
        "emph"
            | "textbf"
            | "textit"
            | "texttt"
            | "textsc"
            | "textsl"
            | "textrm"
            | "textsf"
            | "textup"
            | "textmd"
            | "textnormal"
            | "underline"
            | "uline"
            | "mbox"
            | "hbox"
            | "text"
            | "url"
            | "nolinkurl"
            | "bf"
            | "it"
            | "em"
            | "rm"
            | "sc"
            | "sf"
            | "tt"
            | "sl"
            | "small"
            | "large"
            | "Large"
            | "footnotesize"
            | "normalsize"
            | "noindent"
            | "relax"
            | "protect"
            | "xspace"
            | "newline"
            | "linebreak"
            | "par"
    )
}

fn starts_with(cs: &[char], i: usize, s: &str) -> bool {
    (i..).zip(s.chars()).all(|(k, c)| cs.get(k) == Some(&c))
}

/// The index after the balanced group that opens at `cs[i] == '{'`, if it closes
/// within [`MATH_MAX`] characters.
fn group_end(cs: &[char], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut k = i;
    while k < cs.len().min(i + MATH_MAX) {
        match cs[k] {
            '\\' => k += 1,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// A formula opening at `i` with `$` or `$$`: `(end, tex_start, tex_end, display)`.
///
/// Inline math follows pandoc's rule, which tells formulas from prices: the opening `$`
/// is followed by a non-space, the closing one is preceded by a non-space, and the first
/// `$` found decides. A formula that starts with a digit may not close just before a
/// digit (`$5 and $10` is text; `R$^2$$>$0.99` is two formulas).
fn dollar_math(cs: &[char], i: usize) -> Option<(usize, usize, usize, bool)> {
    let limit = (i + MATH_MAX).min(cs.len());
    if cs.get(i + 1) == Some(&'$') {
        let mut k = i + 2;
        while k + 1 < limit {
            match cs[k] {
                '\\' => k += 1,
                '$' if cs[k + 1] == '$' => {
                    let inner = &cs[i + 2..k];
                    return (!inner.iter().all(|c| c.is_whitespace())).then_some((
                        k + 2,
                        i + 2,
                        k,
                        true,
                    ));
                }
                '$' => return None,
                _ => {}
            }
            k += 1;
        }
        return None;
    }
    let first = *cs.get(i + 1)?;
    if first.is_whitespace() {
        return None;
    }
    let mut k = i + 1;
    while k < limit {
        match cs[k] {
            '\\' => k += 1,
            '$' => {
                // A price opens with a digit and its "closing" sign is another price.
                let price =
                    first.is_ascii_digit() && cs.get(k + 1).is_some_and(|c| c.is_ascii_digit());
                let closes = !cs[k - 1].is_whitespace() && !price;
                return closes.then_some((k + 1, i + 1, k, false));
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// A formula opening at `i` with `\(` or `\[`.
fn bracket_math(cs: &[char], i: usize) -> Option<(usize, usize, usize, bool)> {
    let close = match cs.get(i + 1)? {
        '(' => ')',
        '[' => ']',
        _ => return None,
    };
    let limit = (i + MATH_MAX).min(cs.len());
    let mut k = i + 2;
    while k + 1 < limit {
        if cs[k] == '\\' {
            if cs[k + 1] == close {
                let inner = &cs[i + 2..k];
                return (!inner.iter().all(|c| c.is_whitespace())).then_some((
                    k + 2,
                    i + 2,
                    k,
                    close == ']',
                ));
            }
            k += 1;
        }
        k += 1;
    }
    None
}

/// The letter an accent applies to, at `k`: `o`, `{o}`, `\i`, `{\i}` (or `{}`: none).
/// Returns the letter and the index after it.
fn accent_argument(cs: &[char], mut k: usize) -> Option<(char, usize)> {
    while cs.get(k) == Some(&' ') {
        k += 1;
    }
    let dotless = |k: usize| -> Option<(char, usize)> {
        if cs.get(k) == Some(&'\\') && !cs.get(k + 2).is_some_and(|c| c.is_ascii_alphabetic()) {
            match cs.get(k + 1) {
                Some('i') => return Some(('i', k + 2)),
                Some('j') => return Some(('j', k + 2)),
                _ => {}
            }
        }
        None
    };
    match cs.get(k)? {
        '{' => {
            if let Some((c, after)) = dotless(k + 1) {
                return (cs.get(after) == Some(&'}')).then_some((c, after + 1));
            }
            let c = *cs.get(k + 1)?;
            (c.is_alphabetic() && cs.get(k + 2) == Some(&'}')).then_some((c, k + 3))
        }
        '\\' => dotless(k),
        c if c.is_alphabetic() => Some((*c, k + 1)),
        _ => None,
    }
}

fn push_accented(out: &mut Out, base: char, mark: char) {
    match unicode_normalization::char::compose(base, mark) {
        Some(c) => out.push(c),
        None => {
            out.push(base);
            out.push(mark);
        }
    }
}

/// Cleans TeX markup outside math; see the module docs.
pub fn clean(raw: &str) -> Cleaned {
    let cs: Vec<char> = raw.chars().collect();
    let n = cs.len();
    let mut out = Out::default();
    let mut i = 0;
    while i < n {
        let c = cs[i];
        // Addresses are copied as they are (`~user`, `--` and braces are theirs).
        if (c == 'h' && (starts_with(&cs, i, "http://") || starts_with(&cs, i, "https://")))
            && (i == 0 || !cs[i - 1].is_alphanumeric())
        {
            while i < n && !cs[i].is_whitespace() && cs[i] != '}' {
                out.push(cs[i]);
                i += 1;
            }
            continue;
        }
        let math = match c {
            '$' => dollar_math(&cs, i),
            '\\' => bracket_math(&cs, i),
            _ => None,
        };
        if let Some((end, tex_start, tex_end, display)) = math {
            let start = out.utf16;
            let mut span = MathSpan {
                start,
                end: 0,
                tex_start: 0,
                tex_end: 0,
                display,
            };
            for (k, &ch) in cs.iter().enumerate().take(end).skip(i) {
                if k == tex_start {
                    span.tex_start = out.utf16;
                }
                if k == tex_end {
                    span.tex_end = out.utf16;
                }
                out.push(ch);
            }
            span.end = out.utf16;
            out.math.push(span);
            i = end;
            continue;
        }
        match c {
            '\\' => i = command(&cs, i, &mut out),
            '{' | '}' => i += 1,
            '~' => {
                // A tie binds two words (`Fig.~1`); at a word's start it means "about".
                let tie = i > 0
                    && !cs[i - 1].is_whitespace()
                    && cs.get(i + 1).is_some_and(|c| !c.is_whitespace());
                out.push(if tie { '\u{a0}' } else { '~' });
                i += 1;
            }
            '-' if starts_with(&cs, i, "---") => {
                out.push('—');
                i += 3;
            }
            '-' if starts_with(&cs, i, "--") => {
                out.push('–');
                i += 2;
            }
            '`' if starts_with(&cs, i, "``") => {
                out.push('“');
                i += 2;
            }
            '\'' if starts_with(&cs, i, "''") => {
                out.push('”');
                i += 2;
            }
            c if c.is_whitespace() => {
                out.space();
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    while out.text.ends_with(' ') {
        out.text.pop();
        out.utf16 -= 1;
    }
    Cleaned {
        text: out.text,
        math: out.math,
    }
}

/// Cleaned text alone, for names and other fields where formulas are not rendered.
pub fn clean_text(raw: &str) -> String {
    clean(raw).text
}

/// A command at `cs[i] == '\\'`, written into `out`; returns the index after it.
fn command(cs: &[char], i: usize, out: &mut Out) -> usize {
    let Some(&next) = cs.get(i + 1) else {
        out.push('\\');
        return i + 1;
    };
    if matches!(next, '%' | '$' | '&' | '#' | '_' | '{' | '}') {
        out.push(next);
        return i + 2;
    }
    // Symbol accents here; letter ones (`\c`) once their whole name is read (`\url`).
    let mut symbol = [0; 4];
    let symbol_mark = (!next.is_ascii_alphabetic())
        .then(|| accent_mark(next.encode_utf8(&mut symbol)))
        .flatten();
    if let Some(mark) = symbol_mark {
        if let Some((base, after)) = accent_argument(cs, i + 2) {
            push_accented(out, base, mark);
            return after;
        }
        if next == '~' || next == '^' || next == '\'' {
            // `\~{}` and friends: the bare symbol.
            if starts_with(cs, i + 2, "{}") {
                out.push(next);
                return i + 4;
            }
        }
        out.push('\\');
        out.push(next);
        return i + 2;
    }
    match next {
        '\\' => {
            out.space();
            return i + 2;
        }
        ' ' | ',' | ';' | ':' | '>' => {
            out.space();
            return i + 2;
        }
        '!' | '-' | '/' | '@' => return i + 2,
        _ => {}
    }
    if !next.is_ascii_alphabetic() {
        out.push('\\');
        return i + 1;
    }
    let mut k = i + 1;
    while k < cs.len() && cs[k].is_ascii_alphabetic() {
        k += 1;
    }
    let name: String = cs[i + 1..k].iter().collect();
    if let Some(mark) = accent_mark(&name) {
        if let Some((base, after)) = accent_argument(cs, k) {
            push_accented(out, base, mark);
            return after;
        }
    }
    if let Some(letter) = special_letter(&name) {
        out.push_str(letter);
        // A control word swallows the spaces after it; `\ss{}` ends with an empty group.
        let mut after = k;
        if starts_with(cs, after, "{}") {
            after += 2;
        } else {
            while cs.get(after) == Some(&' ') {
                after += 1;
            }
        }
        return after;
    }
    if let Some(symbol) = symbol_word(&name) {
        out.push_str(symbol);
        return if starts_with(cs, k, "{}") { k + 2 } else { k };
    }
    if matches!(name.as_str(), "href" | "textcolor" | "color" | "colorbox")
        && cs.get(k) == Some(&'{')
    {
        // The address or colour is dropped; the text (the next group) stays.
        return group_end(cs, k).unwrap_or(k);
    }
    if is_transparent(&name) {
        if cs.get(k) == Some(&' ') && cs.get(k + 1) != Some(&'{') {
            return k + 1;
        }
        return k;
    }
    // Unknown: kept as written, with its argument, so nothing is lost.
    out.push('\\');
    out.push_str(&name);
    if cs.get(k) == Some(&'{') {
        if let Some(end) = group_end(cs, k) {
            for &c in &cs[k..end] {
                out.push(c);
            }
            return end;
        }
    }
    k
}

/// TeX for a special letter, the reverse of [`special_letter`].
fn letter_command(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "\\ss",
        'ø' => "\\o",
        'Ø' => "\\O",
        'å' => "\\aa",
        'Å' => "\\AA",
        'æ' => "\\ae",
        'Æ' => "\\AE",
        'œ' => "\\oe",
        'Œ' => "\\OE",
        'ł' => "\\l",
        'Ł' => "\\L",
        'ı' => "\\i",
        _ => return None,
    })
}

/// One character of text (outside math) as TeX.
fn tex_char(c: char, out: &mut String) {
    match c {
        '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
            out.push('\\');
            out.push(c);
        }
        '\\' => out.push_str("\\textbackslash{}"),
        '~' => out.push_str("\\textasciitilde{}"),
        '^' => out.push_str("\\textasciicircum{}"),
        '\u{a0}' => out.push('~'),
        '–' => out.push_str("--"),
        '—' => out.push_str("---"),
        '“' => out.push_str("``"),
        '”' => out.push_str("''"),
        '…' => out.push_str("\\ldots{}"),
        c if c.is_control() => {}
        c if c.is_ascii() => out.push(c),
        c => {
            if let Some(cmd) = letter_command(c) {
                out.push('{');
                out.push_str(cmd);
                out.push('}');
                return;
            }
            let mut parts = Vec::with_capacity(3);
            unicode_normalization::char::decompose_canonical(c, |p| parts.push(p));
            if let [base, mark] = parts[..] {
                if base.is_ascii_alphabetic() {
                    if let Some((cmd, _)) = ACCENTS.iter().find(|(_, m)| *m == mark) {
                        let letter = match base {
                            'i' if matches!(
                                mark,
                                '\u{301}' | '\u{300}' | '\u{302}' | '\u{308}'
                            ) =>
                            {
                                "\\i".to_string()
                            }
                            b => b.to_string(),
                        };
                        let _ = std::fmt::Write::write_fmt(
                            out,
                            format_args!("{{\\{cmd}{{{letter}}}}}"),
                        );
                        return;
                    }
                }
            }
            out.push(c);
        }
    }
}

/// Cleaned text as valid TeX, for BibTeX: specials escaped, accented letters as TeX
/// accents, formulas (`math`, as [`clean`] reported them) kept verbatim and web
/// addresses as `\url{…}`. With `protect_case`, every word with a capital letter is
/// braced (`{BERT}`), so styles that lower-case titles keep it.
pub fn to_bibtex(text: &str, math: &[MathSpan], protect_case: bool) -> String {
    let cs: Vec<char> = text.chars().collect();
    // UTF-16 offset of each char, to meet the spans.
    let mut at16 = Vec::with_capacity(cs.len() + 1);
    let mut p = 0u32;
    for c in &cs {
        at16.push(p);
        p += c.len_utf16() as u32;
    }
    at16.push(p);
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = String::new();
    let mut capital = false;
    let flush = |out: &mut String, word: &mut String, capital: &mut bool| {
        if protect_case && *capital {
            out.push('{');
            out.push_str(word);
            out.push('}');
        } else {
            out.push_str(word);
        }
        word.clear();
        *capital = false;
    };
    let mut spans = math.iter().peekable();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if let Some(span) = spans.peek().filter(|s| s.start == at16[i]) {
            flush(&mut out, &mut word, &mut capital);
            while i < cs.len() && at16[i] < span.end {
                out.push(cs[i]);
                i += 1;
            }
            spans.next();
            continue;
        }
        let url =
            word.is_empty() && (starts_with(&cs, i, "http://") || starts_with(&cs, i, "https://"));
        if url {
            out.push_str("\\url{");
            while i < cs.len() && !cs[i].is_whitespace() && cs[i] != '}' {
                out.push(cs[i]);
                i += 1;
            }
            out.push('}');
            continue;
        }
        i += 1;
        if c.is_whitespace() && c != '\u{a0}' {
            flush(&mut out, &mut word, &mut capital);
            out.push(' ');
            continue;
        }
        capital |= c.is_uppercase();
        tex_char(c, &mut word);
    }
    flush(&mut out, &mut word, &mut capital);
    out
}

#[cfg(test)]
mod tests;
