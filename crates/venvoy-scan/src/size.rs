//! Disk use that is true: each env's allocated blocks (a file hardlinked
//! twice inside one env counted once), what removing it would free (only
//! files whose every link is inside it: a file shared with another env, as
//! venvoy clones share them, or with a cache, as uv's and pdm's link-mode
//! installs do, stays), and a total that counts every file once.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::facts::EnvFacts;

type Inode = (u64, u64);

/// One env's walk: its total, what only it holds, and its multiply-linked
/// files (bytes, and whether every link is inside the env).
#[derive(Default)]
struct Usage {
    total: u64,
    own: u64,
    linked: HashMap<Inode, (u64, bool)>,
}

/// Fill in `size` and `unique_size` of every env; return the total disk use
/// of all of them, each file once.
pub fn measure(envs: &mut [EnvFacts], threads: usize) -> u64 {
    let usages: Vec<Mutex<Usage>> = envs.iter().map(|_| Mutex::new(Usage::default())).collect();
    let next = AtomicUsize::new(0);
    let workers = if threads > 0 {
        threads
    } else {
        std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
    };
    std::thread::scope(|scope| {
        for _ in 0..workers.min(envs.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(env) = envs.get(i) else { break };
                    let usage = usage_of(&env.path);
                    if let Ok(mut slot) = usages[i].lock() {
                        *slot = usage;
                    }
                }
            });
        }
    });
    let usages: Vec<Usage> = usages.into_iter().map(|m| m.into_inner().unwrap_or_default()).collect();

    let mut shared: HashMap<Inode, u64> = HashMap::new();
    let mut total = 0;
    for (env, usage) in envs.iter_mut().zip(&usages) {
        let whole: u64 = usage.linked.values().filter(|(_, all)| *all).map(|(b, _)| b).sum();
        env.size = usage.total;
        env.unique_size = usage.own + whole;
        total += env.unique_size;
        shared.extend(usage.linked.iter().filter(|(_, (_, all))| !all).map(|(i, (b, _))| (*i, *b)));
    }
    total + shared.values().sum::<u64>()
}

fn usage_of(root: &Path) -> Usage {
    let mut usage = Usage::default();
    let mut counts: HashMap<Inode, (u64, u64, u64)> = HashMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let Ok(meta) = entry.metadata() else { continue };
            let bytes = meta.blocks() * 512;
            if meta.is_dir() {
                stack.push(entry.path());
            }
            if meta.is_dir() || meta.nlink() == 1 {
                usage.total += bytes;
                usage.own += bytes;
                continue;
            }
            let seen = counts.entry((meta.dev(), meta.ino())).or_insert((bytes, meta.nlink(), 0));
            if seen.2 == 0 {
                usage.total += bytes;
            }
            seen.2 += 1;
        }
    }
    usage.linked =
        counts.into_iter().map(|(inode, (bytes, nlink, seen))| (inode, (bytes, seen >= nlink))).collect();
    usage
}
