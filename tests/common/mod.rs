//! Helpers shared by the end-to-end test binaries: fixture paths, the provisioned model
//! cache, and a loopback HTTP server that replays files.

#![allow(dead_code)]

pub mod zotero;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// `tests/fixtures/<name>` at the repository root.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// The repository root (the folder holding `tauri.conf.json`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|p| p.join("tauri.conf.json").is_file() && p.join("tests").is_dir())
        .expect("repository root above the crate")
        .to_path_buf()
}

/// The model cache provisioned by `scripts/setup.sh` (hub layout).
pub fn model_cache() -> PathBuf {
    let dir = std::env::var_os("PAPERSIFT_TEST_MODEL_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".deps/models"));
    assert!(
        dir.join("models--Qdrant--all-MiniLM-L6-v2-onnx/refs/main")
            .is_file()
            && dir
                .join("models--Xenova--all-MiniLM-L6-v2/refs/main")
                .is_file(),
        "the model cache {} is not provisioned: run scripts/setup.sh",
        dir.display()
    );
    dir
}

/// The default model's hub repository (the int8 all-MiniLM-L6-v2) and its files.
pub const DEFAULT_MODEL_REPO: &str = "Xenova/all-MiniLM-L6-v2";
pub const DEFAULT_MODEL_FILES: &[&str] = &[
    "onnx/model_quantized.onnx",
    "tokenizer.json",
    "config.json",
    "special_tokens_map.json",
    "tokenizer_config.json",
];

/// The provisioned snapshot folder of the default model.
pub fn model_snapshot() -> PathBuf {
    let repo = model_cache().join("models--Xenova--all-MiniLM-L6-v2");
    let rev = std::fs::read_to_string(repo.join("refs/main")).unwrap();
    repo.join("snapshots").join(rev.trim())
}

/// One canned response.
#[derive(Clone, Default)]
pub struct Route {
    /// HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Arc<Vec<u8>>,
    /// Wait this long before answering (timeouts).
    pub delay: std::time::Duration,
    /// Announce the full length but send only half the body, then close.
    pub truncate: bool,
}

impl Route {
    /// 200 with a body.
    pub fn ok(body: impl Into<Vec<u8>>) -> Route {
        Route {
            status: 200,
            body: Arc::new(body.into()),
            ..Default::default()
        }
    }

    /// A status with a short body.
    pub fn status(status: u16) -> Route {
        Route {
            status,
            body: Arc::new(b"error".to_vec()),
            ..Default::default()
        }
    }
}

/// Responses per path: each request takes the next; the last one repeats.
type Script = HashMap<String, Mutex<std::collections::VecDeque<Route>>>;

/// A loopback HTTP/1.1 server answering GETs from a route table, with `Range` support
/// (the Hugging Face hub client asks for `bytes=0-0`, then `bytes=N-`). Every request
/// path is recorded. Stops when dropped.
pub struct FixtureServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    exchanges: Arc<Mutex<Vec<Request>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FixtureServer {
    /// Serves `routes` (path → response) on 127.0.0.1 at a free port.
    pub fn start(routes: HashMap<String, Route>) -> FixtureServer {
        Self::start_scripted(routes.into_iter().map(|(k, v)| (k, vec![v])).collect())
    }

    /// Serves a sequence of responses per path (path includes the query string).
    pub fn start_scripted(routes: HashMap<String, Vec<Route>>) -> FixtureServer {
        let routes: Script = routes
            .into_iter()
            .map(|(k, v)| (k, Mutex::new(v.into())))
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let exchanges = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (log, stop2) = (requests.clone(), stop.clone());
        let full = exchanges.clone();
        let routes = Arc::new(routes);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (routes, log, full) = (routes.clone(), log.clone(), full.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &routes, &log, &full);
                });
            }
        });
        FixtureServer {
            addr,
            requests,
            exchanges,
            stop,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The environment that points Papersift's sources at this server: Hugging Face,
    /// the arXiv listing feed (`/atom`) and API (`/api/query`), with a short arXiv delay,
    /// bioRxiv/medRxiv (`/details/…`), OpenReview (`/notes…`) and Crossref (`/works/…`).
    pub fn source_env(&self) -> Vec<(&'static str, String)> {
        let url = self.url();
        vec![
            ("PAPERSIFT_HF_URL", url.clone()),
            ("PAPERSIFT_ARXIV_FEED_URL", format!("{url}/atom")),
            ("PAPERSIFT_ARXIV_API_URL", format!("{url}/api/query")),
            ("PAPERSIFT_ARXIV_DELAY_MS", "10".into()),
            ("PAPERSIFT_BIORXIV_URL", url.clone()),
            ("PAPERSIFT_OPENREVIEW_URL", url.clone()),
            ("PAPERSIFT_CROSSREF_URL", url),
        ]
    }

    /// Paths requested so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests so far, with method, headers and body.
    pub fn exchanges(&self) -> Vec<Request> {
        self.exchanges.lock().unwrap().clone()
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wake the accept loop
    }
}

/// The script for the exact path and query, else for the path alone.
fn next_route(routes: &Script, path: &str) -> Option<Route> {
    let bare = path.split('?').next().unwrap_or(path);
    let mut queue = routes
        .get(path)
        .or_else(|| routes.get(bare))?
        .lock()
        .unwrap();
    if queue.len() > 1 {
        queue.pop_front()
    } else {
        queue.front().cloned()
    }
}

fn serve(
    stream: TcpStream,
    routes: &Script,
    log: &Mutex<Vec<String>>,
    full: &Mutex<Vec<Request>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut range: Option<(u64, Option<u64>)> = None;
        let mut content_length = 0usize;
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                let v = v.trim();
                headers.push((k.to_ascii_lowercase(), v.to_string()));
                match k.to_ascii_lowercase().as_str() {
                    "range" => {
                        if let Some((a, b)) = v.trim_start_matches("bytes=").split_once('-') {
                            range = Some((a.parse().unwrap_or(0), b.parse().ok()));
                        }
                    }
                    "content-length" => content_length = v.parse().unwrap_or(0),
                    _ => {}
                }
            }
        }
        let mut body_in = vec![0; content_length];
        reader.read_exact(&mut body_in)?;
        log.lock().unwrap().push(path.clone());
        full.lock().unwrap().push(Request {
            method: method.clone(),
            path: path.clone(),
            headers,
            body: body_in.clone(),
        });
        let Some(route) = next_route(routes, &path) else {
            out.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\n\r\nnot found")?;
            continue;
        };
        std::thread::sleep(route.delay);
        let total = route.body.len() as u64;
        let (status, slice, extra) = match range {
            Some((start, end)) if route.status == 200 && start < total.max(1) => {
                let end = end
                    .unwrap_or(total.saturating_sub(1))
                    .min(total.saturating_sub(1));
                (
                    206,
                    &route.body[start as usize..=end as usize],
                    format!("content-range: bytes {start}-{end}/{total}\r\n"),
                )
            }
            _ => (route.status, &route.body[..], String::new()),
        };
        let mut head = format!(
            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\n{extra}",
            slice.len()
        );
        for (k, v) in &route.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if route.truncate {
            out.write_all(&slice[..slice.len() / 2])?;
            out.flush()?;
            return Ok(()); // closing the connection mid-body
        }
        if method != "HEAD" {
            out.write_all(slice)?;
        }
        out.flush()?;
    }
}

/// Serves a model snapshot folder the way the Hugging Face hub does
/// (`/{repo}/resolve/main/{file}` with `etag` and `x-repo-commit`).
pub fn hub_server(repo: &str, snapshot: &Path, files: &[&str]) -> FixtureServer {
    let mut routes = HashMap::new();
    for f in files {
        let body = std::fs::read(snapshot.join(f)).unwrap();
        let etag = format!("\"{:016x}{:x}\"", fnv(&body), body.len());
        routes.insert(
            format!("/{repo}/resolve/main/{f}"),
            Route {
                headers: vec![
                    ("etag".into(), etag),
                    (
                        "x-repo-commit".into(),
                        "0123456789abcdef0123456789abcdef01234567".into(),
                    ),
                ],
                ..Route::ok(body)
            },
        );
    }
    FixtureServer::start(routes)
}

fn fnv(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, x| {
        (h ^ u64::from(*x)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Cosine similarity.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

/// Real papers (title, authors, category, date, opening of the abstract), served in the
/// arXiv API's Atom shape.
pub const PAPERS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("1706.03762v7", "Attention Is All You Need", "Ashish Vaswani|Noam Shazeer|Niki Parmar", "cs.CL", "2017-06-12", "The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms."),
    ("1810.04805v2", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "Jacob Devlin|Ming-Wei Chang|Kenton Lee|Kristina Toutanova", "cs.CL", "2018-10-11", "We introduce a new language representation model called BERT, which stands for Bidirectional Encoder Representations from Transformers."),
    ("2006.11239v2", "Denoising Diffusion Probabilistic Models", "Jonathan Ho|Ajay Jain|Pieter Abbeel", "cs.LG", "2020-06-19", "We present high quality image synthesis results using diffusion probabilistic models, a class of latent variable models inspired by considerations from nonequilibrium thermodynamics."),
    ("hep-th/9711200v3", "The Large N Limit of Superconformal Field Theories and Supergravity", "Juan M. Maldacena", "hep-th", "1997-11-27", "We show that the large N limit of certain conformal field theories in various dimensions include in their Hilbert space a sector describing supergravity on the product of Anti-deSitter spacetimes, spheres and other compact manifolds."),
    ("2112.10752v2", "High-Resolution Image Synthesis with Latent Diffusion Models", "Robin Rombach|Andreas Blattmann|Dominik Lorenz|Patrick Esser|Björn Ommer", "cs.CV", "2021-12-20", "By decomposing the image formation process into a sequential application of denoising autoencoders, diffusion models achieve state-of-the-art synthesis results on image data and beyond."),
    ("2202.00512v2", "Progressive Distillation for Fast Sampling of Diffusion Models", "Tim Salimans|Jonathan Ho", "cs.LG", "2022-02-01", "Diffusion models have recently shown great promise for generative modeling, outperforming GANs on perceptual quality and autoregressive models at density estimation."),
];

/// An arXiv API (`id_list`) response holding those of [`PAPERS`] named by `ids`.
pub fn arxiv_api_feed(ids: &[&str]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">"#,
    );
    xml.push_str(&format!(
        "<opensearch:totalResults>{}</opensearch:totalResults>",
        ids.len()
    ));
    for (id, title, authors, cat, date, abs) in PAPERS.iter().filter(|p| {
        ids.contains(&p.0.split('v').next().unwrap_or(""))
            || ids.iter().any(|i| p.0.starts_with(&format!("{i}v")))
    }) {
        xml.push_str(&format!("<entry><id>http://arxiv.org/abs/{id}</id><updated>{date}T00:00:00Z</updated><published>{date}T00:00:00Z</published><title>{title}</title><summary>{abs}</summary>"));
        for a in authors.split('|') {
            xml.push_str(&format!("<author><name>{a}</name></author>"));
        }
        xml.push_str(&format!(
            r#"<arxiv:primary_category term="{cat}"/><category term="{cat}"/></entry>"#
        ));
    }
    xml.push_str("</feed>");
    xml
}

/// A Daily Papers page (`/api/daily_papers` JSON) holding arXiv-listing records (the
/// `arxiv_sample_40.jsonl` shape) as papers of `date`.
pub fn hf_daily_items(papers: &[serde_json::Value], date: &str) -> Vec<u8> {
    let items: Vec<serde_json::Value> = papers
        .iter()
        .map(|p| {
            let authors: Vec<serde_json::Value> = p["authors"]
                .as_array()
                .map(|a| a.iter().map(|n| serde_json::json!({ "name": n })).collect())
                .unwrap_or_default();
            serde_json::json!({ "paper": {
                "id": p["id"], "title": p["title"], "summary": p["abstract"],
                "authors": authors, "publishedAt": format!("{date}T00:00:00.000Z"),
                "upvotes": 3 }, "title": p["title"] })
        })
        .collect();
    serde_json::to_vec(&items).unwrap()
}
