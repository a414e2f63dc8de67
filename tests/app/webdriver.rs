//! The real app in a real WebKit window: type a query and the expected paper comes
//! first; click Sync and new papers from a loopback fixture server arrive, with the
//! progress bar and the report.
//!
//! Needs `tauri-driver` (installed by scripts/setup.sh) and `WebKitWebDriver`
//! (Debian's webkit2gtk-driver). Their absence fails the test: a skipped UI test would
//! hide a broken set-up. Starts its own Xvfb when no display is set.

use crate::common::{fixture, model_cache, repo_root, FixtureServer, Route};
use fantoccini::{ClientBuilder, Locator};
use std::collections::HashMap;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Kills a spawned helper and everything it started (its process group: tauri-driver
/// starts WebKitWebDriver, which starts the app) when the test ends, even on panic.
struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn tauri_driver() -> PathBuf {
    let home_bin =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"));
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join("tauri-driver"))
        .chain(home_bin)
        .find(|p| p.is_file())
        .expect("tauri-driver is not installed: run scripts/setup.sh")
}

/// A display for the app: the session's, or a private Xvfb.
fn display() -> (String, Option<Guard>) {
    if let Some(d) = std::env::var_os("DISPLAY").filter(|d| !d.is_empty()) {
        return (d.to_string_lossy().into_owned(), None);
    }
    let n = (100..400)
        .find(|n| {
            !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !std::path::Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display number");
    let child = Command::new("Xvfb")
        .args([
            format!(":{n}"),
            "-screen".into(),
            "0".into(),
            "1280x800x24".into(),
            "-nolisten".into(),
            "tcp".into(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb is not installed: run scripts/setup.sh");
    for _ in 0..100 {
        if std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (format!(":{n}"), Some(Guard(child)))
}

/// The Hugging Face and arXiv stand-ins: the recorded Daily Papers page for every day
/// (slowly, so the progress bar is seen) and the recorded listing feed.
fn sources() -> FixtureServer {
    let hf = std::fs::read(fixture("sources/hf_api_daily_papers_sample.json")).unwrap();
    let feed = std::fs::read(fixture("sources/arxiv_atom_listing_from_official_spec.xml")).unwrap();
    FixtureServer::start(HashMap::from([
        (
            "/api/daily_papers".to_string(),
            Route {
                delay: Duration::from_millis(400),
                ..Route::ok(hf)
            },
        ),
        ("/atom/cs.LG+cs.CL+cs.AI+cs.CV".to_string(), Route::ok(feed)),
    ]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_then_sync_in_the_real_window() {
    assert!(
        std::path::Path::new("/usr/bin/WebKitWebDriver").is_file(),
        "WebKitWebDriver is missing (Debian package webkit2gtk-driver): run scripts/setup.sh"
    );
    let (display, _xvfb) = display();
    let data = tempfile::tempdir().unwrap();
    let server = sources();
    let (port, native_port) = (free_port(), free_port());
    let driver = Command::new(tauri_driver())
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
        .env("DISPLAY", &display)
        .env("NO_AT_BRIDGE", "1")
        // What the app inherits: a fresh library, the provisioned model, the CPU.
        .env("PAPERSIFT_DATA_DIR", data.path())
        .env("PAPERSIFT_MODEL_CACHE", model_cache())
        .env("PAPERSIFT_EXECUTION_PROVIDER", "cpu")
        .env("PAPERSIFT_HF_URL", server.url())
        .env("PAPERSIFT_ARXIV_FEED_URL", format!("{}/atom", server.url()))
        .env(
            "PAPERSIFT_ARXIV_API_URL",
            format!("{}/api/query", server.url()),
        )
        .env("PAPERSIFT_ARXIV_DELAY_MS", "10")
        .env_remove("HF_HOME")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start tauri-driver");
    let _driver = Guard(driver);

    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": env!("CARGO_BIN_EXE_papersift-app") }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut client = None;
    for _ in 0..100 {
        // Plain HTTP to the loopback driver: no TLS stack needed.
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        match builder.capabilities(caps.clone()).connect(&url).await {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let client = client.expect("connect to tauri-driver");

    let result = async {
        // First start: the starter corpus is imported and embedded in the background.
        client
            .wait()
            .at_most(Duration::from_secs(180))
            .for_element(Locator::Css("#status[data-ready='true']"))
            .await?;
        let status = client.find(Locator::Css("#status")).await?.text().await?;
        assert!(status.starts_with("61 papers"), "{status}");

        let search = client.find(Locator::Css("#search")).await?;
        search
            .send_keys("shrinking the key value cache by keeping only the important tokens while generating")
            .await?;
        let first = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("#results .result .title"))
            .await?;
        let title = first.text().await?;
        assert_eq!(title, "Keyformer: KV Cache Reduction through Key Tokens Selection for Efficient Generative Inference");
        let why = client.find(Locator::Css("#results .result .why")).await?.text().await?;
        assert!(why.starts_with("meaning 0."), "{why}");
        let count = client.find_all(Locator::Css("#results .result")).await?.len();
        assert_eq!(count, 30);

        // Keep a picture of the real window for the README.
        tokio::time::sleep(Duration::from_millis(600)).await;
        let png = client.screenshot().await?;
        let dir = repo_root().join("target/screenshots");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("search.png"), png)?;

        // Sync: the button starts it, the progress bar shows while it runs, the report
        // counts what arrived, and the new papers are searchable by meaning at once.
        client.find(Locator::Css("#sync")).await?.click().await?;
        client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#sync-progress:not([hidden])"))
            .await?;
        let stage = client.find(Locator::Css("#sync-stage")).await?.text().await?;
        assert!(stage.contains("Hugging Face") || stage.contains("Starting"), "{stage}");
        client
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css("#sync-report[data-done='true']"))
            .await?;
        let hf = client.find(Locator::Css("#sync-report li[data-source='hf']")).await?;
        assert_eq!(hf.text().await?, "Hugging Face: 2 new, 0 updated");
        let ax = client.find(Locator::Css("#sync-report li[data-source='arxiv']")).await?;
        assert_eq!(ax.text().await?, "arXiv: 1 new, 0 updated");
        assert!(!client.find(Locator::Css("#sync-progress")).await?.is_displayed().await?);
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::XPath("//span[@id='status' and starts-with(., '64 papers')]"))
            .await?;
        let search = client.find(Locator::Css("#search")).await?;
        search.clear().await?;
        search
            .send_keys("a recurrent model that reasons in latent space and learns in context")
            .await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::XPath(
                "//section[@id='results']/article[1]/h2[starts-with(., 'BDH-CQ')]",
            ))
            .await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
        std::fs::write(dir.join("sync.png"), client.screenshot().await?)?;
        Ok::<(), Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = client.close().await;
    result.unwrap();
}
