//! What every end-to-end test of the `marsad` binary needs: running it on a
//! data directory, reading its JSON, finding the shared seed corpus.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

pub fn marsad(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_marsad"));
    command.arg("--data").arg(data).env_remove("MARSAD_DATA");
    command
}

pub fn run(data: &Path, args: &[&str]) -> Output {
    marsad(data).args(args).output().expect("run marsad")
}

pub fn run_json(data: &Path, args: &[&str]) -> Value {
    let out = run(data, args);
    assert!(out.status.success(), "marsad {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("marsad {args:?} printed invalid JSON ({e}): {}", String::from_utf8_lossy(&out.stdout))
    })
}

pub fn seeds() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent (the shared seed corpus)", dir.display());
        None
    }
}

/// Publication dates of the seeds that carry none, as a user would give
/// them: fixtures of the tests, not part of the project's data. 000 and 001
/// were published on 5 September 2023 (001: "أمس، الاثنين 4 سبتمبر"), 002
/// after Putin's visit to Pyongyang of Wednesday 19 June 2024, 004 the day
/// after the Vladivostok summit's aftermath of Friday 26 April 2019; 003
/// gives its own date (13 September 2023) in its byline.
pub const PUBLISHED: &[(&str, &str)] = &[
    ("000_7f7829b64ebcc593", "2023-09-05"),
    ("001_1079a25d0afd9581", "2023-09-05"),
    ("002_da7ccb45ff20fa50", "2024-06-22"),
    ("004_b4ac602b67b6769e", "2019-04-27"),
];

/// The seeds in one store: 003 as its text file (it dates itself), the
/// others as JSON Lines with their publication dates.
pub fn dated_store() -> Option<(tempfile::TempDir, PathBuf)> {
    let seeds = seeds()?;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    let mut jsonl = String::new();
    for (id, date) in PUBLISHED {
        let text = std::fs::read_to_string(seeds.join(format!("{id}.txt"))).unwrap();
        let line = serde_json::json!({ "id": id, "date": date, "content": text });
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    std::fs::write(input.join("seeds.jsonl"), jsonl).unwrap();
    std::fs::copy(seeds.join("003_a85c5ca27367db1f.txt"), input.join("003_a85c5ca27367db1f.txt")).unwrap();
    let data = dir.path().join("data");
    let out = run(&data, &["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "ingest: {}", String::from_utf8_lossy(&out.stderr));
    Some((dir, data))
}

/// A running server, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(data: &Path, args: &[&str]) -> Server {
    let mut child = marsad(data).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("start marsad");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("the server printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("listening on http://") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr }
}

/// One request; returns (status, body).
pub fn request(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    request_with(addr, method, path, "", body)
}

/// One request with extra header lines (each ending in `\r\n`), e.g. an
/// `Authorization`; returns (status, body).
pub fn request_with(addr: &str, method: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body =
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_owned() };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

pub fn get_json(addr: &str, path: &str) -> Value {
    let (status, body) = request(addr, "GET", path, "");
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_str(&body).unwrap()
}
