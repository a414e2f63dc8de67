//! Finding and loading ONNX Runtime, and choosing the execution provider.
//!
//! ort panics with a bare dlopen message when the library is missing, so the library is
//! located and loaded here first, once per process, and failures become one sentence.

use crate::{EmbedError, ExecutionProvider};
use fastembed::ExecutionProviderDispatch;
use ort::ep::ExecutionProvider as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const LIB_NAME: &str = "libonnxruntime.so";

/// The loaded library and the one ONNX Runtime environment of the process (ONNX Runtime
/// allows one): fastembed's sessions and the benchmark's raw session share it.
static LOADED: OnceLock<Result<(PathBuf, ort::environment::Environment), String>> = OnceLock::new();

/// Where to look for `libonnxruntime.so`, in order: the explicit path, then
/// `PAPERSIFT_ORT_LIB` and `ORT_DYLIB_PATH`, then beside the executable, then
/// `../lib/papersift/` relative to it (installed packages).
pub fn find_runtime(explicit: Option<&Path>) -> Result<PathBuf, EmbedError> {
    let mut candidates = Vec::new();
    if let Some(p) = explicit {
        candidates.push(p.to_path_buf());
    }
    for var in ["PAPERSIFT_ORT_LIB", "ORT_DYLIB_PATH"] {
        if let Some(p) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            candidates.push(PathBuf::from(p));
        }
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        candidates.push(dir.join(LIB_NAME));
        candidates.push(dir.join("../lib/papersift").join(LIB_NAME));
    }
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        return Ok(found.clone());
    }
    let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
    Err(EmbedError::Runtime(format!(
        "ONNX Runtime (libonnxruntime.so) was not found (looked at {}); run scripts/setup.sh, or set ORT_DYLIB_PATH to the library's path",
        looked.join(", ")
    )))
}

/// Turns off ONNX Runtime's usage telemetry for this process. Microsoft's builds (the
/// PyPI wheel Papersift ships) send a `ProcessInfo` event to
/// mobile.events.data.microsoft.com when the runtime starts, before any API can say
/// no; only `ORT_DISABLE_TELEMETRY=1`, set before the runtime loads, stops it. Call it
/// first thing in `main`, before any thread starts (setting the environment is not
/// thread-safe). A value the user set is kept.
pub fn disable_telemetry() {
    if std::env::var_os("ORT_DISABLE_TELEMETRY").is_none() {
        std::env::set_var("ORT_DISABLE_TELEMETRY", "1");
    }
}

/// Loads ONNX Runtime once per process; later calls return the first outcome.
pub fn init_runtime(explicit: Option<&Path>) -> Result<PathBuf, EmbedError> {
    loaded(explicit).map(|(path, _)| path)
}

/// The process's ONNX Runtime environment (loading the library first if needed).
pub(crate) fn environment(
    explicit: Option<&Path>,
) -> Result<ort::environment::Environment, EmbedError> {
    loaded(explicit).map(|(_, env)| env)
}

fn loaded(explicit: Option<&Path>) -> Result<(PathBuf, ort::environment::Environment), EmbedError> {
    LOADED
        .get_or_init(|| {
            let path = find_runtime(explicit).map_err(|e| e.to_string())?;
            let cannot = |e: &dyn std::fmt::Display| {
                format!(
                    "ONNX Runtime at {} could not be loaded ({e}); run scripts/setup.sh to install version 1.31.1",
                    path.display()
                )
            };
            // Also off through the API (see `disable_telemetry` for the start-up event).
            let env = ort::init_from(&path)
                .map_err(|e| cannot(&e))?
                .with_telemetry(false)
                .build()
                .map_err(|e| cannot(&e))?;
            log::info!("ONNX Runtime loaded from {}", path.display());
            Ok((path, env))
        })
        .clone()
        .map_err(EmbedError::Runtime)
}

/// The execution providers to register for a configured choice, and its display name.
pub(crate) fn execution_providers(
    choice: ExecutionProvider,
) -> Result<(Vec<ExecutionProviderDispatch>, String), EmbedError> {
    let cuda = || vec![ort::ep::CUDA::default().build().error_on_failure()];
    match choice {
        ExecutionProvider::Cpu => Ok((Vec::new(), "cpu".into())),
        ExecutionProvider::Cuda => match cuda_starts() {
            Ok(()) => Ok((cuda(), "cuda".into())),
            Err(why) => Err(EmbedError::Config(format!(
                "the CUDA execution provider was requested but {why}; use provider 'cpu' or 'auto'"
            ))),
        },
        ExecutionProvider::Auto => match cuda_starts() {
            Ok(()) => Ok((cuda(), "cuda".into())),
            Err(why) => {
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| log::info!("execution provider auto: {why}; using the CPU"));
                Ok((Vec::new(), "cpu".into()))
            }
        },
    }
}

/// Whether CUDA can run here: the loaded ONNX Runtime offers it, and its provider
/// library, the CUDA libraries it needs and a device are all there. A GPU build of ONNX
/// Runtime offers CUDA on any machine; only registering it shows whether it starts, so
/// that is tried once, on a session builder without a model.
fn cuda_starts() -> Result<(), String> {
    let Some(Ok((_, env))) = LOADED.get() else {
        return Err("ONNX Runtime is not loaded".into());
    };
    static PROBE: OnceLock<Result<(), String>> = OnceLock::new();
    PROBE
        .get_or_init(|| {
            if !ort::ep::CUDA::is_available().unwrap_or(false) {
                return Err(
                    "this ONNX Runtime has no CUDA support (the GPU build of ONNX Runtime has)"
                        .into(),
                );
            }
            let cannot = |e: &dyn std::fmt::Display| format!("CUDA could not start ({e})");
            let builder = ort::session::Session::builder(env).map_err(|e| cannot(&e))?;
            let cuda = ort::ep::CUDA::default().build().error_on_failure();
            builder
                .with_execution_providers(vec![cuda])
                .map(|_| ())
                .map_err(|e| cannot(&e))
        })
        .clone()
}

/// Whether CUDA can run here (false when ONNX Runtime is not loaded; see `cuda_starts`).
pub fn cuda_available() -> bool {
    cuda_starts().is_ok()
}
