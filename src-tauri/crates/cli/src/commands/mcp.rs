//! `mcp`: the library as a Model Context Protocol server over stdio (the official Rust
//! SDK, `rmcp`), for AI assistants. Read-only by default: search, get_paper, similar,
//! lists, list_papers, recommend, today. `--allow-writes` adds add_to_list and rate.
//! It opens the library as the CLI does (WAL: it runs beside the open app).

use super::Ctx;
use anyhow::Result;
use papersift_core::library::Library;
use papersift_core::model::Paper;
use papersift_core::query::Filter;
use papersift_core::rank::{SearchMode, SearchOptions};
use papersift_core::store::Rating;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, RoleServer, ServerHandler};
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::Write;
use std::sync::Arc;

/// Serve the library to AI assistants over the Model Context Protocol (stdio).
#[derive(Debug, clap::Args)]
pub(crate) struct McpArgs {
    /// Also offer the tools that change the library: add_to_list and rate.
    #[arg(long)]
    allow_writes: bool,
}

/// The tools that change the library.
const WRITE_TOOLS: [&str; 2] = ["add_to_list", "rate"];
/// Characters of an abstract in a result list (get_paper gives it whole).
const ABSTRACT_PREVIEW: usize = 400;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct SearchParams {
    /// The query, in the app's syntax: free words rank by meaning and keywords;
    /// "phrases", author:, title:, abstract:, cat:, -exclusions and prefix* must hold.
    query: String,
    /// hybrid (default), dense (meaning only) or keyword.
    mode: Option<String>,
    /// Number of results (default 10, at most 100).
    k: Option<usize>,
    /// Only papers published on or after this day (YYYY-MM-DD).
    from: Option<String>,
    /// Only papers published on or before this day (YYYY-MM-DD).
    to: Option<String>,
    /// Only papers in this arXiv category (e.g. cs.CL).
    category: Option<String>,
    /// Only papers from this source (hf, arxiv, biorxiv, medrxiv, openreview, feed).
    source: Option<String>,
    /// Only papers in this reading list (name or number).
    list: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct PaperParams {
    /// The paper: its key, arXiv id or DOI.
    key: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct SimilarParams {
    /// The paper: its key, arXiv id or DOI.
    key: String,
    /// Number of papers (default 10, at most 100).
    k: Option<usize>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct ListParams {
    /// The reading list: its name or number.
    list: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct RecommendParams {
    /// The reading list (name or number); without it, for all lists and thumbs-up
    /// together ("For you").
    list: Option<String>,
    /// Number of papers (default 20, at most 100).
    k: Option<usize>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct TodayParams {
    /// The day (YYYY-MM-DD); default: the newest day with papers.
    day: Option<String>,
    /// Days back from the day, that day included (default 1, at most 31).
    days: Option<u32>,
    /// newest, trending (Hugging Face upvotes, the default) or for-you.
    order: Option<String>,
    /// Number of papers (default 30, at most 200).
    k: Option<usize>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct AddParams {
    /// The reading list: its name or number.
    list: String,
    /// The paper: its key, arXiv id or DOI.
    paper: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct RateParams {
    /// The paper: its key, arXiv id or DOI.
    paper: String,
    /// up, down or clear.
    rating: String,
    /// The reading list the rating is given inside (name or number).
    list: Option<String>,
}

/// The server: the library, and the tools offered.
#[derive(Clone)]
struct Papers {
    lib: Arc<Library>,
    allow_writes: bool,
    tool_router: ToolRouter<Papers>,
}

fn invalid(msg: impl Into<String>) -> ErrorData {
    ErrorData::invalid_params(msg.into(), None)
}

fn internal(e: impl std::fmt::Display) -> ErrorData {
    ErrorData::internal_error(e.to_string(), None)
}

/// A library error: bad input is the caller's, the rest is ours.
fn from_core(e: papersift_core::Error) -> ErrorData {
    match e {
        papersift_core::Error::Invalid(m) => invalid(m),
        e => internal(e),
    }
}

fn json_result(v: Value) -> Result<CallToolResult, ErrorData> {
    Ok(CallToolResult::success(vec![ContentBlock::text(
        v.to_string(),
    )]))
}

/// A paper as a result list shows it: the abstract cut to a preview.
fn brief(p: &Paper) -> Value {
    let mut abs: String = p.abstract_text.chars().take(ABSTRACT_PREVIEW).collect();
    if abs.len() < p.abstract_text.len() {
        abs.push('…');
    }
    json!({
        "key": p.key,
        "title": p.title,
        "authors": p.authors,
        "published": p.published,
        "categories": p.categories,
        "journal": p.journal,
        "doi": p.doi,
        "link": papersift_core::export::link(p),
        "abstract": abs,
    })
}

impl Papers {
    fn list_id(&self, name: &str) -> Result<i64, ErrorData> {
        self.lib.find_list(name).map_err(from_core)?.ok_or_else(|| {
            invalid(format!(
                "there is no reading list “{name}” (see the lists tool)"
            ))
        })
    }

    fn paper(&self, key: &str) -> Result<Paper, ErrorData> {
        self.lib
            .paper(key)
            .map_err(from_core)?
            .ok_or_else(|| invalid(format!("there is no paper {key} in the library")))
    }
}

fn capped(k: Option<usize>, default: usize, max: usize) -> Result<usize, ErrorData> {
    match k.unwrap_or(default) {
        0 => Err(invalid("k must be at least 1")),
        k if k > max => Err(invalid(format!("k must be at most {max}"))),
        k => Ok(k),
    }
}

#[tool_router]
impl Papers {
    /// Searches the library.
    #[tool(
        description = "Search the user's paper library by meaning and keywords, with the app's query syntax (\"phrase\", author:, title:, abstract:, cat:, -exclusion, prefix*) and filters. Returns papers with a relevance score.",
        annotations(read_only_hint = true)
    )]
    async fn search(
        &self,
        Parameters(p): Parameters<SearchParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let mode = match p.mode.as_deref() {
            None => SearchMode::Hybrid,
            Some(m) => m
                .parse::<SearchMode>()
                .map_err(|_| invalid(format!("mode “{m}”: use hybrid, dense or keyword")))?,
        };
        if p.query.trim().is_empty() {
            return Err(invalid("the query is empty"));
        }
        let list = match &p.list {
            Some(l) => Some(self.list_id(l)?),
            None => None,
        };
        let opts = SearchOptions {
            k: capped(p.k, 10, 100)?,
            mode,
            filter: Filter {
                from: p.from,
                to: p.to,
                category: p.category,
                source: p.source,
                list,
                query: None,
            },
            ..SearchOptions::default()
        };
        let parsed = papersift_core::query::parse(&p.query);
        let hits = self.lib.search_parsed(&parsed, &opts).map_err(from_core)?;
        let results: Vec<Value> = hits
            .iter()
            .map(|h| {
                let mut v = brief(&h.paper);
                v["score"] = json!(h.score);
                v
            })
            .collect();
        json_result(json!({ "results": results, "hint": parsed.hint }))
    }

    /// One paper, whole.
    #[tool(
        description = "One paper of the library by key, arXiv id or DOI: title, authors, full abstract, dates, categories, journal, DOI and links.",
        annotations(read_only_hint = true)
    )]
    async fn get_paper(
        &self,
        Parameters(p): Parameters<PaperParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let paper = self.paper(&p.key)?;
        let mut v = serde_json::to_value(&paper).map_err(internal)?;
        if let Some(o) = v.as_object_mut() {
            o.remove("math");
            o.remove("original");
        }
        json_result(v)
    }

    /// Papers nearest in meaning.
    #[tool(
        description = "Papers of the library nearest in meaning to one paper (by key, arXiv id or DOI), with their similarity.",
        annotations(read_only_hint = true)
    )]
    async fn similar(
        &self,
        Parameters(p): Parameters<SimilarParams>,
    ) -> Result<CallToolResult, ErrorData> {
        self.paper(&p.key)?;
        let k = capped(p.k, 10, 100)?;
        let near = self.lib.similar(&p.key, k).map_err(from_core)?;
        let results: Vec<Value> = near
            .iter()
            .map(|(paper, s)| {
                let mut v = brief(paper);
                v["similarity"] = json!(s);
                v
            })
            .collect();
        json_result(json!({ "results": results }))
    }

    /// The reading lists.
    #[tool(
        description = "The user's reading lists: id, name, how many papers, and what a linked list follows (a Zotero collection or a .bib file).",
        annotations(read_only_hint = true)
    )]
    async fn lists(&self) -> Result<CallToolResult, ErrorData> {
        let lists = self.lib.lists().map_err(from_core)?;
        json_result(serde_json::to_value(lists).map_err(internal)?)
    }

    /// A list's papers.
    #[tool(
        description = "The papers of one reading list (by name or number); entries not resolved to a library paper come with the reason.",
        annotations(read_only_hint = true)
    )]
    async fn list_papers(
        &self,
        Parameters(p): Parameters<ListParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let id = self.list_id(&p.list)?;
        let items = self.lib.list_items(id).map_err(from_core)?;
        let out: Vec<Value> = items
            .iter()
            .map(|it| match &it.paper {
                Some(paper) => brief(paper),
                None => json!({
                    "entry": it.label.as_deref().unwrap_or(&it.key),
                    "title": it.title,
                    "unresolved": it.unresolved_reason,
                }),
            })
            .collect();
        json_result(json!({ "papers": out }))
    }

    /// Recommendations.
    #[tool(
        description = "Papers of the library recommended for one reading list, or for all lists and thumbs-up together when no list is given, best first, with why.",
        annotations(read_only_hint = true)
    )]
    async fn recommend(
        &self,
        Parameters(p): Parameters<RecommendParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let k = capped(p.k, 20, 100)?;
        let id = match &p.list {
            Some(l) => Some(self.list_id(l)?),
            None => None,
        };
        let recs = self
            .lib
            .recommend(id, k, papersift_core::rank::recommend::Method::default())
            .map_err(from_core)?;
        let out: Vec<Value> = recs
            .iter()
            .map(|r| {
                let mut v = brief(&r.paper);
                v["score"] = json!(r.score.is_finite().then_some(r.score));
                v["because"] = serde_json::to_value(&r.because).unwrap_or(Value::Null);
                v
            })
            .collect();
        json_result(json!({ "recommendations": out }))
    }

    /// The feed.
    #[tool(
        description = "The papers of a day (default: the newest day with papers) or of the days up to it, in one of the app's orders: newest, trending (Hugging Face upvotes) or for-you (ranked for the user's lists and thumbs-up).",
        annotations(read_only_hint = true)
    )]
    async fn today(
        &self,
        Parameters(p): Parameters<TodayParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let k = capped(p.k, 30, 200)?;
        let days = p.days.unwrap_or(1);
        if !(1..=31).contains(&days) {
            return Err(invalid("days must be from 1 to 31"));
        }
        let today = papersift_core::day::format_day(papersift_core::day::today_utc());
        let day = match p.day {
            Some(d) => {
                papersift_core::day::parse_day(&d)
                    .ok_or_else(|| invalid(format!("day “{d}”: expected YYYY-MM-DD")))?;
                d
            }
            None => self
                .lib
                .latest_day(&today)
                .map_err(from_core)?
                .unwrap_or(today),
        };
        let last = papersift_core::day::parse_day(&day).unwrap_or_default();
        let from = papersift_core::day::format_day(last - i64::from(days) + 1);
        let order = p.order.as_deref().unwrap_or("trending");
        let papers: Vec<Value> = match order {
            "newest" | "trending" => self
                .lib
                .feed(&from, &day, order == "trending", k)
                .map_err(from_core)?
                .iter()
                .map(brief)
                .collect(),
            "for-you" => self
                .lib
                .feed_for_you(&from, &day, k)
                .map_err(from_core)?
                .iter()
                .map(|r| {
                    let mut v = brief(&r.paper);
                    v["because"] = serde_json::to_value(&r.because).unwrap_or(Value::Null);
                    v
                })
                .collect(),
            other => {
                return Err(invalid(format!(
                    "order “{other}”: use newest, trending or for-you"
                )))
            }
        };
        json_result(json!({ "from": from, "to": day, "order": order, "papers": papers }))
    }

    /// Adds a paper to a list.
    #[tool(
        description = "Add a library paper (key, arXiv id or DOI) to a reading list (name or number). Changes the user's library."
    )]
    async fn add_to_list(
        &self,
        Parameters(p): Parameters<AddParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let id = self.list_id(&p.list)?;
        let paper = self.paper(&p.paper)?;
        self.lib.add_to_list(id, &paper.key).map_err(from_core)?;
        json_result(json!({ "added": paper.key, "list": id }))
    }

    /// Rates a paper.
    #[tool(
        description = "Rate a library paper: up (recommend more like it), down (never recommend it; papers like it move down) or clear; optionally inside one reading list. Changes the user's library."
    )]
    async fn rate(
        &self,
        Parameters(p): Parameters<RateParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let rating = match p.rating.as_str() {
            "up" => Some(Rating::Up),
            "down" => Some(Rating::Down),
            "clear" => None,
            other => return Err(invalid(format!("rating “{other}”: use up, down or clear"))),
        };
        let list = match &p.list {
            Some(l) => Some(self.list_id(l)?),
            None => None,
        };
        let paper = self.paper(&p.paper)?;
        self.lib.rate(&paper.key, list, rating).map_err(from_core)?;
        json_result(json!({ "rated": paper.key, "rating": p.rating }))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Papers {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("papersift", env!("CARGO_PKG_VERSION")))
            .with_instructions(if self.allow_writes {
                "The user's private library of research papers (Papersift): search it, read papers, see reading lists and recommendations, add papers to lists and rate them."
            } else {
                "The user's private library of research papers (Papersift), read-only: search it, read papers, see reading lists, recommendations and the day's papers."
            })
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if !self.allow_writes && WRITE_TOOLS.contains(&request.name.as_ref()) {
            return Err(ErrorData::invalid_request(
                format!(
                    "{} changes the library, and this server is read-only: start it with `papersift mcp --allow-writes` to allow it",
                    request.name
                ),
                None,
            ));
        }
        let tcc = ToolCallContext::new(self, request, context);
        self.tool_router.call(tcc).await
    }
}

pub(crate) fn mcp(ctx: &Ctx, a: McpArgs, _out: &mut dyn Write) -> Result<()> {
    // Meaning search needs the model; without it, search ranks by keywords.
    let lib = match ctx.open(&ctx.data_dir, true) {
        Ok(l) => l,
        Err(e) => {
            log::warn!("{e:#}; search ranks by keywords only");
            ctx.open(&ctx.data_dir, false)?
        }
    };
    let mut tool_router = Papers::tool_router();
    if !a.allow_writes {
        for name in WRITE_TOOLS {
            tool_router.disable_route(name);
        }
    }
    let server = Papers {
        lib: Arc::new(lib),
        allow_writes: a.allow_writes,
        tool_router,
    };
    super::runtime()?.block_on(async move {
        use rmcp::ServiceExt;
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| anyhow::anyhow!("the MCP connection could not start: {e}"))?;
        running.waiting().await?;
        anyhow::Ok(())
    })
}
