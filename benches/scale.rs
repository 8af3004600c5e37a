//! In-process scale benchmark: `cargo bench --bench scale`.
//!
//! Synthesize (typed resources), render JSON and YAML, parse JSON and YAML,
//! validate (core), validate against the registry schemas, lint and diff, at
//! 100, 1,000, 10,000 and 100,000 resources. For each operation it prints the
//! median wall time of several runs, the cost per resource (so linearity is
//! visible) and the peak heap the operation allocated on top of what was
//! live before it (a counting global allocator around `System`).
//!
//! Options (after `--`): `--sizes 100,1000` to choose sizes, `--runs N` to
//! force the run count, `--json FILE` to also write the raw results. Run
//! without `--bench` (as `cargo test --benches` does), it makes one quick
//! pass at 100 resources.
//!
//! CloudFormation caps a template at 500 resources, so validation reports
//! that limit from 1,000 resources on; it still does all the other work,
//! which is what is measured.

#[path = "common/units.rs"]
mod units;

use cfn_cli::report;
use cfn_core::Template;
use cfn_tools::diff::diff;
use cfn_tools::lint::Linter;
use cfn_tools::schema::{self, RegistryFacts};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// `System`, counting live bytes and their high-water mark.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; the counters are
// only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One operation at one size.
struct Sample {
    op: &'static str,
    n: usize,
    runs: Vec<Duration>,
    /// The most any run allocated on top of what was live when it started.
    peak_bytes: usize,
}

impl Sample {
    fn median(&self) -> Duration {
        let mut r = self.runs.clone();
        r.sort();
        let m = r.len() / 2;
        if r.len() % 2 == 1 {
            r[m]
        } else {
            (r[m - 1] + r[m]) / 2
        }
    }
    fn min(&self) -> Duration {
        *self.runs.iter().min().unwrap()
    }
}

/// Runs `f` `runs` times; the result is dropped outside the timed part.
fn measure<T>(op: &'static str, n: usize, runs: usize, mut f: impl FnMut() -> T) -> Sample {
    let mut times = Vec::with_capacity(runs);
    let mut peak_bytes = 0;
    for _ in 0..runs {
        let base = CURRENT.load(Relaxed);
        PEAK.store(base, Relaxed);
        let start = Instant::now();
        let out = black_box(f());
        let elapsed = start.elapsed();
        peak_bytes = peak_bytes.max(PEAK.load(Relaxed).saturating_sub(base));
        drop(out);
        times.push(elapsed);
    }
    Sample {
        op,
        n,
        runs: times,
        peak_bytes,
    }
}

fn runs_for(n: usize) -> usize {
    match n {
        0..=100 => 31,
        101..=1_000 => 15,
        1_001..=10_000 => 7,
        _ => 3,
    }
}

fn fmt_time(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

fn fmt_bytes(b: usize) -> String {
    let b = b as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KiB", b / 1024.0)
    }
}

fn with_commas(n: usize) -> String {
    let digits: Vec<char> = n.to_string().chars().rev().collect();
    let groups: Vec<String> = digits
        .chunks(3)
        .map(|c| c.iter().rev().collect())
        .rev()
        .collect();
    groups.join(",")
}

const OPS: [&str; 12] = [
    "synthesize",
    "render JSON",
    "render YAML",
    "parse JSON",
    "parse YAML",
    "validate (core)",
    "validate (schemas)",
    "lint",
    "diff",
    "cfnkit validate (text in, report out)",
    "cfnkit lint (text in, report out)",
    "cfnkit diff (two texts in, report out)",
];

fn bench_size(n: usize, runs: usize, notes: &mut Vec<String>) -> Vec<Sample> {
    let build = |modified| units::build(n, modified).expect("benchmark template builds");
    let t = build(false);
    let changed = build(true);
    let json = t.to_json_pretty();
    let changed_json = changed.to_json_pretty();
    let yaml = t.to_yaml();

    // What each tool found, once, so the work measured is visible.
    let report = t.validate();
    let lint = Linter::new().run(&t);
    let d = diff(&t, &changed, &RegistryFacts);
    let parsed = Template::from_json(&json).expect("own JSON parses");
    assert_eq!(parsed.resources.len(), t.resources.len());
    notes.push(format!(
        "{:>7}: JSON {}, YAML {}; core validation {} errors, {} warnings{}; schema {} diagnostics; lint {} findings; diff {} changed resources",
        with_commas(n),
        fmt_bytes(json.len()),
        fmt_bytes(yaml.len()),
        report.errors().count(),
        report.warnings().count(),
        match report.errors().next() {
            Some(e) if n > 500 => format!(" (first: {})", first_line(&e.to_string())),
            _ => String::new(),
        },
        schema::validate(&t).len(),
        lint.findings.len(),
        d.resources.len(),
    ));
    drop((report, lint, d, parsed));

    vec![
        measure(OPS[0], n, runs, || build(false)),
        measure(OPS[1], n, runs, || t.to_json_pretty()),
        measure(OPS[2], n, runs, || t.to_yaml()),
        measure(OPS[3], n, runs, || Template::from_json(&json).unwrap()),
        measure(OPS[4], n, runs, || Template::from_yaml(&yaml).unwrap()),
        measure(OPS[5], n, runs, || t.validate()),
        measure(OPS[6], n, runs, || schema::validate(&t)),
        measure(OPS[7], n, runs, || Linter::new().run(&t)),
        measure(OPS[8], n, runs, || diff(&t, &changed, &RegistryFacts)),
        measure(OPS[9], n, runs, || validate_file(&json)),
        measure(OPS[10], n, runs, || lint_file(&json)),
        measure(OPS[11], n, runs, || diff_files(&json, &changed_json)),
    ]
}

/// What `cfnkit validate FILE` does in memory: the text (a copy stands for
/// the file read), the template parsed from it, every check, the problems
/// placed in the text, the human report written (to a sink).
fn validate_file(json: &str) -> usize {
    let src = json.to_owned();
    let t = Template::parse_str(&src, cfn_core::Format::Json, Some("t.json")).unwrap();
    let diagnostics = cfn_tools::verdict::check(&t).diagnostics;
    let problems = report::from_validation("t.json", Some("t.json"), Some(&src), &diagnostics);
    let mut out = std::io::BufWriter::new(std::io::sink());
    report::write_human(&mut out, &problems, false).unwrap();
    problems.len()
}

/// `cfnkit lint FILE`, likewise.
fn lint_file(json: &str) -> usize {
    let src = json.to_owned();
    let t = Template::parse_str(&src, cfn_core::Format::Json, Some("t.json")).unwrap();
    let r = Linter::new().run(&t);
    let (problems, _) = report::from_lint_owned("t.json", Some("t.json"), Some(&src), r);
    let mut out = std::io::BufWriter::new(std::io::sink());
    report::write_human(&mut out, &problems, false).unwrap();
    problems.len()
}

/// `cfnkit diff OLD NEW`: each text is dropped once parsed; both templates
/// are held for the diff; the text report.
fn diff_files(old: &str, new: &str) -> usize {
    let load = |json: &str| {
        let src = json.to_owned();
        Template::parse_str(&src, cfn_core::Format::Json, Some("t.json")).unwrap()
    };
    let (a, b) = (load(old), load(new));
    let d = diff(&a, &b, &RegistryFacts);
    cfn_tools::diff::render_text(&d, false).len()
}

fn first_line(s: &str) -> String {
    let l = s.lines().next().unwrap_or("");
    if l.chars().count() > 90 {
        format!("{}…", l.chars().take(90).collect::<String>())
    } else {
        l.to_owned()
    }
}

fn main() {
    let opts = Options::parse(std::env::args().skip(1).collect());
    let (sizes, forced_runs) = (&opts.sizes, opts.forced_runs);

    // First use: the registry schemas are parsed lazily, once per process.
    let warm = units::build(100, false).unwrap();
    let cold = Instant::now();
    black_box(schema::validate(&warm));
    let cold_schema = cold.elapsed();
    black_box(Linter::new().run(&warm));
    black_box(diff(&warm, &warm, &RegistryFacts));

    println!("scale benchmark: median of N runs per operation (N = {}), peak heap above the live set at start\n",
        sizes.iter().map(|&n| format!("{} at {}", forced_runs.unwrap_or(runs_for(n)), with_commas(n))).collect::<Vec<_>>().join(", "));
    println!(
        "first use of the registry schemas in a process (parsing them, not counted below): {}\n",
        fmt_time(cold_schema)
    );

    let mut all = Vec::new();
    let mut notes = Vec::new();
    for &n in sizes {
        let runs = forced_runs.unwrap_or(runs_for(n));
        let started = Instant::now();
        let samples = bench_size(n, runs, &mut notes);
        eprintln!(
            "  {} resources done in {:.1} s",
            with_commas(n),
            started.elapsed().as_secs_f64()
        );
        all.extend(samples);
    }
    print_size_tables(sizes, &all, &notes);
    all.extend(bench_raven(forced_runs));
    if let Some(path) = &opts.json_out {
        write_json(path, cold_schema, &all, &notes);
    }
}

/// The options after `--`.
struct Options {
    sizes: Vec<usize>,
    forced_runs: Option<usize>,
    json_out: Option<String>,
}

impl Options {
    fn parse(args: Vec<String>) -> Self {
        // `cargo bench` passes `--bench`; `cargo test --benches` does not: then
        // one quick pass at 100 resources checks that the benchmark still works.
        let smoke = !args.iter().any(|a| a == "--bench");
        let mut sizes = if smoke {
            vec![100usize]
        } else {
            vec![100usize, 1_000, 10_000, 100_000]
        };
        let mut forced_runs = smoke.then_some(1);
        let mut json_out = None;
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "--sizes" => {
                    sizes = args[i + 1]
                        .split(',')
                        .map(|s| s.replace('_', "").parse().expect("--sizes 100,1000"))
                        .collect();
                    i += 1;
                }
                "--runs" => {
                    forced_runs = Some(args[i + 1].parse().expect("--runs N"));
                    i += 1;
                }
                "--json" => {
                    json_out = Some(args[i + 1].clone());
                    i += 1;
                }
                _ => {} // `cargo bench` passes `--bench`
            }
            i += 1;
        }
        Options {
            sizes,
            forced_runs,
            json_out,
        }
    }
}

/// The tables of the synthetic sizes: per operation and size, then the
/// per-resource time across sizes; and what was measured.
fn print_size_tables(sizes: &[usize], all: &[Sample], notes: &[String]) {
    println!(
        "| operation | resources | median | min | per resource | peak heap | heap per resource |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for op in OPS {
        for s in all.iter().filter(|s| s.op == op) {
            let per = s.median().as_secs_f64() / s.n as f64;
            println!(
                "| {} | {} | {} | {} | {:.2} µs | {} | {:.0} B |",
                s.op,
                with_commas(s.n),
                fmt_time(s.median()),
                fmt_time(s.min()),
                per * 1e6,
                fmt_bytes(s.peak_bytes),
                s.peak_bytes as f64 / s.n as f64,
            );
        }
    }

    println!("\nper-resource time (median / resources); flat rows mean linear cost\n");
    print!("| operation |");
    for &n in sizes {
        print!(" {} |", with_commas(n));
    }
    println!(" largest / smallest |");
    print!("|---|");
    for _ in sizes {
        print!("---:|");
    }
    println!("---:|");
    for op in OPS {
        print!("| {op} |");
        let per: Vec<f64> = all
            .iter()
            .filter(|s| s.op == op)
            .map(|s| s.median().as_secs_f64() / s.n as f64 * 1e6)
            .collect();
        for p in &per {
            print!(" {p:.2} µs |");
        }
        match (per.first(), per.last()) {
            (Some(a), Some(b)) if *a > 0.0 => println!(" {:.2}x |", b / a),
            _ => println!(" |"),
        }
    }

    println!("\nwhat was measured (once per size):");
    for n in notes {
        println!("  {n}");
    }
}

/// The Raven stack, every environment, in-process: what `raven synth`
/// does before writing files. Prints its table; returns its samples.
fn bench_raven(forced_runs: Option<usize>) -> Vec<Sample> {
    let envs = raven_stack::environments().expect("Raven configs load");
    let stacks: Vec<Template> = envs
        .iter()
        .map(|e| raven_stack::build(e).expect("Raven builds").template)
        .collect();
    let raven_resources: usize = stacks.iter().map(|t| t.resources.len()).sum();
    let raven_runs = forced_runs.unwrap_or(31);
    let raven = [
        measure(
            "Raven: build every environment",
            raven_resources,
            raven_runs,
            || {
                envs.iter()
                    .map(|e| raven_stack::build(e).unwrap())
                    .collect::<Vec<_>>()
            },
        ),
        measure(
            "Raven: validate (core)",
            raven_resources,
            raven_runs,
            || stacks.iter().map(|t| t.validate()).collect::<Vec<_>>(),
        ),
        measure(
            "Raven: validate (schemas)",
            raven_resources,
            raven_runs,
            || stacks.iter().map(schema::validate).collect::<Vec<_>>(),
        ),
        measure("Raven: lint", raven_resources, raven_runs, || {
            stacks
                .iter()
                .map(|t| Linter::new().run(t))
                .collect::<Vec<_>>()
        }),
        measure("Raven: render JSON", raven_resources, raven_runs, || {
            stacks
                .iter()
                .map(|t| t.to_json_pretty())
                .collect::<Vec<_>>()
        }),
    ];
    println!(
        "\nthe Raven stack, {} environments, {} resources in all (median of {} runs)\n",
        stacks.len(),
        raven_resources,
        raven_runs
    );
    println!("| operation | median | min | peak heap |");
    println!("|---|---:|---:|---:|");
    for s in &raven {
        println!(
            "| {} | {} | {} | {} |",
            s.op,
            fmt_time(s.median()),
            fmt_time(s.min()),
            fmt_bytes(s.peak_bytes)
        );
    }
    raven.into()
}

/// The raw results as JSON, for `--json FILE`.
fn write_json(path: &str, cold_schema: Duration, all: &[Sample], notes: &[String]) {
    let rows: Vec<serde_json::Value> = all
        .iter()
        .map(|s| {
            serde_json::json!({
                "op": s.op,
                "resources": s.n,
                "runs_s": s.runs.iter().map(|d| d.as_secs_f64()).collect::<Vec<_>>(),
                "median_s": s.median().as_secs_f64(),
                "min_s": s.min().as_secs_f64(),
                "peak_heap_bytes": s.peak_bytes,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "cold_schema_first_use_s": cold_schema.as_secs_f64(),
        "results": rows,
        "notes": notes,
    });
    std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap() + "\n")
        .expect("write --json file");
    println!("\nraw results: {path}");
}
