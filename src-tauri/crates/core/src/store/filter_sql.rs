//! A [`Filter`] as SQL over the `papers` table: dates, category, source and list as
//! conditions, a query's constraints through the FTS5 index.

use crate::query::{Expr, Field, Filter, Term};

impl Filter {
    /// SQL conditions over `papers` (alias `p`) and their parameters.
    pub(super) fn to_sql(&self) -> (String, Vec<String>) {
        let mut conds: Vec<String> = Vec::new();
        let mut args = Vec::new();
        if let Some(from) = &self.from {
            conds.push("p.published >= ?".into());
            args.push(from.clone());
        }
        if let Some(to) = &self.to {
            conds.push("p.published <= ?".into());
            args.push(to.clone());
        }
        if let Some(cat) = &self.category {
            conds.push("EXISTS (SELECT 1 FROM json_each(p.categories) WHERE value = ?)".into());
            args.push(cat.clone());
        }
        if let Some(src) = &self.source {
            conds.push("EXISTS (SELECT 1 FROM json_each(p.sources) WHERE value = ?)".into());
            args.push(src.clone());
        }
        if let Some(list) = self.list {
            conds.push(
                "p.id IN (SELECT paper_id FROM reading_list_items WHERE list_id = CAST(? AS INTEGER))"
                    .into(),
            );
            args.push(list.to_string());
        }
        if let Some(q) = &self.query {
            conds.push(constraint_sql(q, &mut args));
        }
        let sql = if conds.is_empty() {
            "1".to_string()
        } else {
            conds.join(" AND ")
        };
        (sql, args)
    }
}

/// A query constraint as an SQL condition over `papers p`: text terms through the FTS5
/// index (its stemming and accent folding, phrases by position), categories through
/// the JSON array (`cs` is the archive: `cs` and every `cs.*`).
fn constraint_sql(e: &Expr, args: &mut Vec<String>) -> String {
    let join = |es: &[Expr], op: &str, args: &mut Vec<String>| {
        let parts: Vec<String> = es.iter().map(|e| constraint_sql(e, args)).collect();
        format!("({})", parts.join(op))
    };
    match e {
        Expr::Leaf(Field::Category, term) => {
            let cat = match term {
                Term::Phrase(w) => w.join(" "),
                Term::Prefix(p) => p.clone(),
            };
            let escaped = cat
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            args.push(cat.to_lowercase());
            args.push(format!("{}.%", escaped.to_lowercase()));
            "EXISTS (SELECT 1 FROM json_each(p.categories) \
             WHERE lower(value) = ? OR lower(value) LIKE ? ESCAPE '\\')"
                .into()
        }
        Expr::Leaf(field, term) => {
            let cols = match field {
                Field::Title => "{title}",
                Field::Abstract => "{abstract}",
                Field::Author => "{authors}",
                Field::Any | Field::Category => "{title abstract authors}",
            };
            // The words are letters and digits only (the query module folds them): quoting
            // them is enough to keep FTS5's own syntax out.
            args.push(match term {
                Term::Phrase(w) => format!("{cols} : \"{}\"", w.join(" ")),
                Term::Prefix(p) => format!("{cols} : \"{p}\" *"),
            });
            "p.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)".into()
        }
        Expr::Not(e) => format!("NOT {}", constraint_sql(e, args)),
        Expr::And(es) => join(es, " AND ", args),
        Expr::Or(es) => join(es, " OR ", args),
    }
}
