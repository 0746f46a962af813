//! Runs the real `ecsimg` binary with a private HOME, XDG directories and (for `--demo`) a
//! simulator state file, so runs share the demo images and nothing leaks in from the
//! developer's environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// One sandbox: a home, a config dir, a state dir, and the demo state file.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for "never printed" checks.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        for sub in ["home", "config", "state"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `$XDG_CONFIG_HOME/ecsimg/config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.path().join("config/ecsimg/config.toml")
    }

    pub fn write_config(&self, text: &str) {
        let path = self.config_file();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// The journal `--demo` writes (`demo == true`) or the real one.
    pub fn journal_file(&self, demo: bool) -> PathBuf {
        self.path().join("state/ecsimg").join(if demo {
            "demo-journal.jsonl"
        } else {
            "journal.jsonl"
        })
    }

    pub fn journal_lines(&self, demo: bool) -> Vec<String> {
        std::fs::read_to_string(self.journal_file(demo))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The journal's entries, one per change (an intent and its settlement folded into
    /// one), as JSON.
    pub fn journal_entries(&self, demo: bool) -> Vec<serde_json::Value> {
        ecsimg::store::Journal::at(self.journal_file(demo))
            .entries()
            .expect("a readable journal")
            .iter()
            .map(|e| serde_json::to_value(e).unwrap())
            .collect()
    }

    /// The binary with a clean environment pointed at the sandbox.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ecsimg"));
        cmd.env_clear()
            .env("HOME", self.path().join("home"))
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("ECSIMG_DEMO_STATE", self.path().join("demo-state.json"))
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    pub fn run_with(&self, mut cmd: Command) -> Run {
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("run ecsimg");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(self.command(args))
    }

    /// `ecsimg --demo ARGS…`
    pub fn demo(&self, args: &[&str]) -> Run {
        let mut all = vec!["--demo"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// The demo images as `images list --output json` prints them.
    pub fn demo_images(&self) -> Vec<serde_json::Value> {
        let run = self.demo(&["images", "list", "--output", "json"]);
        run.expect_code(0);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("list json");
        doc["images"].as_array().expect("images array").clone()
    }

    /// An Available, unshared demo image, as `images list --output json` shows it.
    pub fn plain_demo_image(&self) -> serde_json::Value {
        let images = self.demo_images();
        find(&images, "Available unshared image", |i| {
            i["status"] == "Available" && !i["shared"].as_bool().unwrap()
        })
        .clone()
    }

    /// `cmd` with the simulator's demo key in the environment, as a script against
    /// `ecsimg sim` (or a simulator a test started) would have it.
    pub fn with_demo_key(mut cmd: Command) -> Command {
        cmd.env(
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            ecsimg::sim::DEMO_ACCESS_KEY_ID,
        )
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            ecsimg::sim::DEMO_ACCESS_KEY_SECRET,
        );
        cmd
    }

    /// One image as `images show --output json` prints it.
    pub fn demo_show(&self, id: &str) -> serde_json::Value {
        let run = self.demo(&["images", "show", id, "--output", "json"]);
        run.expect_code(0);
        serde_json::from_str(&run.stdout).expect("show json")
    }
}

/// The first image that matches.
pub fn find<'a>(
    images: &'a [serde_json::Value],
    what: &str,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> &'a serde_json::Value {
    images
        .iter()
        .find(|i| pred(i))
        .unwrap_or_else(|| panic!("the demo inventory has no {what}"))
}

pub fn s<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}
