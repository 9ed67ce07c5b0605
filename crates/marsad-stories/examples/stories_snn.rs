//! Clusters every SaudiNewsNet article into stories and prints the ten
//! largest with their labels and the time taken.
//!
//! `cargo run -p marsad-stories --release --example stories_snn [DIR]`
//! (default `../shared/corpus/saudinewsnet`). Entities are skipped here:
//! terms and dates only, which is also the clusterer's fallback.

use std::time::Instant;

use marsad_stories::{StoryClusterer, StoryConfig, StoryDoc};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet").to_owned());
    let threshold: f32 =
        std::env::var("STORY_THRESHOLD").ok().and_then(|s| s.parse().ok()).unwrap_or(StoryConfig::default().threshold);
    let t0 = Instant::now();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut articles: Vec<(String, String, String, String)> = Vec::new();
    for f in &files {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f).expect("read")).expect("json");
        for (i, a) in v.as_array().into_iter().flatten().enumerate() {
            let s = |k: &str| a.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
            let id = format!("{}#{i}", f.file_stem().unwrap().to_string_lossy());
            articles.push((id, s("date_extracted"), s("title"), s("content")));
        }
    }
    // Publication order, as a feed delivers it.
    articles.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let read = t0.elapsed();
    let t1 = Instant::now();
    let docs: Vec<StoryDoc> = articles
        .iter()
        .map(|(id, date, title, text)| StoryDoc::from_text(id.clone(), Some(date), Some(title), text, &[], None))
        .collect();
    let terms = t1.elapsed();
    let t2 = Instant::now();
    let mut clusterer = StoryClusterer::new(StoryConfig { threshold, ..StoryConfig::default() });
    for d in &docs {
        clusterer.add(d);
    }
    let cluster = t2.elapsed();
    let stories = clusterer.stories();
    let titles: std::collections::HashMap<&str, &str> = articles.iter().map(|a| (a.0.as_str(), a.2.as_str())).collect();
    println!("{} articles → {} stories (threshold {threshold})", articles.len(), stories.len());
    println!("read {:.2?}, terms {:.2?}, clustering {:.2?}", read, terms, cluster);
    for s in stories.iter().take(10) {
        println!(
            "\n## {} docs, {}..{}: {}",
            s.size,
            s.from.as_deref().unwrap_or("-"),
            s.to.as_deref().unwrap_or("-"),
            s.label
        );
        println!("   terms: {}", s.terms.join("، "));
        for d in s.docs.iter().take(4) {
            println!("   - {}", titles[d.as_str()]);
        }
    }
    let json = serde_json::to_string(&clusterer).expect("serializable");
    println!("\nstate: {} MB as JSON", json.len() / 1_000_000);
}
