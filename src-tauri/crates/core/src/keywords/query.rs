//! A search as tantivy queries: the free words rank by BM25; a filter and the query's
//! constraints (`query`: phrases, fields, exclusions, prefixes, AND/OR) only
//! admit, they add nothing to the score.

use super::tokenizer::WordTokenizer;
use super::Fields;
use crate::query::words::for_each_word;
use crate::query::Filter;
use crate::query::{Expr, Field, Term};
use crate::rank::keyword::is_stop_word;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field as SchemaField, IndexRecordOption};

/// The stems a query's free words rank by (stop words dropped, each once; a hyphenated
/// name with a digit also joined, as papers are indexed).
pub fn rank_stems(text: &str, tok: &mut WordTokenizer) -> Vec<String> {
    let mut folded: Vec<String> = Vec::new();
    for_each_word(text, &mut String::new(), |w, _| {
        if !is_stop_word(w) {
            folded.push(w.to_string());
        }
    });
    let mut out: Vec<String> = Vec::new();
    for w in folded {
        for (_, s) in tok.positions(&w) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// What ranks: BM25 of the stems in the ranking field, which holds the title twice, the
/// abstract and the authors (FTS5's weights of 2 and 1; authors count 1 there instead
/// of ½). Summing BM25 per field instead, title ×2, abstract, authors ×½, scored SciFact
/// nDCG@10 0.634 against this one's 0.703 (docs/benchmarks.md).
pub fn ranking(fields: &Fields, stems: &[String]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        stems
            .iter()
            .map(|s| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    tantivy::Term::from_field_text(fields.all, s),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, q)
            })
            .collect(),
    ))
}

/// What admits a paper, or `None` when everything is admitted. The reading list of a
/// filter is not here (the index does not hold lists): the caller narrows by it.
pub fn admits(fields: &Fields, filter: &Filter, tok: &mut WordTokenizer) -> Option<Box<dyn Query>> {
    let mut musts: Vec<Box<dyn Query>> = Vec::new();
    let day = |d: &str| -> Option<i64> { super::day_number(Some(d)) };
    let from = filter.from.as_deref().and_then(day);
    let to = filter.to.as_deref().and_then(day);
    if from.is_some() || to.is_some() {
        let bound = |d: Option<i64>| match d {
            Some(d) => Bound::Included(tantivy::Term::from_field_i64(fields.published, d)),
            None => Bound::Unbounded,
        };
        musts.push(Box::new(RangeQuery::new(bound(from), bound(to))));
    }
    if let Some(c) = &filter.category {
        musts.push(raw_term(fields.categories, &c.to_lowercase()));
    }
    if let Some(s) = &filter.source {
        musts.push(raw_term(fields.sources, s));
    }
    if let Some(e) = &filter.query {
        musts.push(expr(fields, e, tok));
    }
    match musts.len() {
        0 => None,
        1 => musts.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            musts.into_iter().map(|q| (Occur::Must, q)).collect(),
        ))),
    }
}

/// A ranking query narrowed to what a filter admits (which adds nothing to scores).
pub fn narrowed(ranking: Box<dyn Query>, admits: Option<Box<dyn Query>>) -> Box<dyn Query> {
    match admits {
        None => ranking,
        Some(a) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, ranking),
            (Occur::Must, Box::new(ConstScoreQuery::new(a, 0.0))),
        ])),
    }
}

fn raw_term(field: SchemaField, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        tantivy::Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn any_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.len() == 1 {
        return qs.pop().expect("one");
    }
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Terms from `prefix` up to (not including) the next prefix: every term starting with it.
fn prefix_range(field: SchemaField, prefix: &str) -> Box<dyn Query> {
    let upper = format!("{prefix}\u{10FFFF}");
    Box::new(RangeQuery::new(
        Bound::Included(tantivy::Term::from_field_text(field, prefix)),
        Bound::Excluded(tantivy::Term::from_field_text(field, &upper)),
    ))
}

fn expr(fields: &Fields, e: &Expr, tok: &mut WordTokenizer) -> Box<dyn Query> {
    match e {
        Expr::Leaf(Field::Category, term) => {
            let cat = match term {
                Term::Phrase(w) => w.join(" "),
                Term::Prefix(p) => p.clone(),
            }
            .to_lowercase();
            // `cs` is also every `cs.*`: the terms from `cs.` up to `cs/`.
            let archive = Box::new(RangeQuery::new(
                Bound::Included(tantivy::Term::from_field_text(
                    fields.categories,
                    &format!("{cat}."),
                )),
                Bound::Excluded(tantivy::Term::from_field_text(
                    fields.categories,
                    &format!("{cat}/"),
                )),
            ));
            any_of(vec![raw_term(fields.categories, &cat), archive])
        }
        Expr::Leaf(field, term) => {
            let targets = match field {
                Field::Title => vec![fields.title],
                Field::Abstract => vec![fields.abstract_text],
                Field::Author => vec![fields.authors],
                Field::Any | Field::Category => fields.text().to_vec(),
            };
            any_of(targets.into_iter().map(|f| leaf(f, term, tok)).collect())
        }
        Expr::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery)),
            (Occur::MustNot, expr(fields, inner, tok)),
        ])),
        Expr::And(es) => Box::new(BooleanQuery::new(
            es.iter()
                .map(|e| (Occur::Must, expr(fields, e, tok)))
                .collect(),
        )),
        Expr::Or(es) => any_of(es.iter().map(|e| expr(fields, e, tok)).collect()),
    }
}

/// A phrase or prefix in one text field.
fn leaf(field: SchemaField, term: &Term, tok: &mut WordTokenizer) -> Box<dyn Query> {
    match term {
        Term::Phrase(words) => {
            // The phrase's words tokenized as papers are: stems at their positions (a
            // stop word leaves a gap; a joined name would double a position, so only
            // the words themselves are kept).
            let mut terms: Vec<(usize, tantivy::Term)> = Vec::new();
            for (offset, w) in words.iter().enumerate() {
                if let Some((_, s)) = tok.positions(w).into_iter().next() {
                    terms.push((offset, tantivy::Term::from_field_text(field, &s)));
                }
            }
            match terms.len() {
                // Only stop words: nothing the index can require.
                0 => Box::new(AllQuery),
                1 => Box::new(TermQuery::new(
                    terms.pop().expect("one").1,
                    IndexRecordOption::Basic,
                )),
                _ => Box::new(PhraseQuery::new_with_offset(terms)),
            }
        }
        Term::Prefix(p) => {
            // Papers' words are indexed stemmed: `transformers*` is looked for as typed
            // and as its stem `transform`.
            let stem = tok
                .positions(p)
                .into_iter()
                .next()
                .map(|(_, s)| s)
                .unwrap_or_default();
            if p.is_empty() {
                return Box::new(EmptyQuery);
            }
            let mut qs = vec![prefix_range(field, p)];
            if !stem.is_empty() && stem != *p {
                qs.push(prefix_range(field, &stem));
            }
            any_of(qs)
        }
    }
}
