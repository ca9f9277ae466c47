//! `venvoy seed [-e ENV] [PKG…]`, and the seeding `venvoy create` and
//! `venvoy cache update` share: the wheel sources as this environment
//! configures them (`PIP_INDEX_URL`, `https_proxy`, `NO_PROXY`), the choice of
//! wheels, the download progress bar, and installing into a venv.

use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use venvoy_python::{Interpreter, PythonRequest};
use venvoy_venv::{Layout, SeedHook};
use venvoy_wheel::seed::{self, Progress, SEED_PACKAGES, Seeded};
use venvoy_wheel::{
    Implementation, InstallScheme, LinkMode, PythonVersion, SeedWheel, Sources, TargetPython, WheelCache,
    WheelStore,
};

use crate::cli::{SeedArgs, SeedLinkMode};
use crate::printer::Printer;
use crate::progress::Bar;
use crate::report::{Context as _, Result, UserError};
use crate::settings::Settings;

/// The download cache of `.whl` files.
pub fn wheel_store(settings: &Settings) -> WheelStore {
    settings.own_cache_dir();
    WheelStore::new(settings.cache_dir.join("wheels"))
}

/// The cache of unpacked wheel images files are linked from.
pub fn wheel_cache(settings: &Settings) -> WheelCache {
    settings.own_cache_dir();
    WheelCache::new(settings.cache_dir.join("wheel-images"))
}

/// The seed packages asked for: the default (`pip`), or a list checked against what can be seeded.
pub fn packages(asked: &[String]) -> Result<Vec<String>> {
    if asked.is_empty() {
        return Ok(vec!["pip".to_string()]);
    }
    let mut out: Vec<String> = Vec::new();
    for word in asked {
        let name = venvoy_dist_name(word);
        if !SEED_PACKAGES.contains(&name.as_str()) {
            return Err(UserError::new(format!("`{word}` cannot be seeded"))
                .hint(format!(
                    "seed packages are {}; install anything else with pip; name the env with `-e ENV`",
                    SEED_PACKAGES.join(", ")
                ))
                .into());
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(out)
}

fn venvoy_dist_name(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '.'], "-")
}

/// The wheel tags and version seed wheels are chosen for.
fn target_of(interpreter: &Interpreter) -> (PythonVersion, TargetPython) {
    let (major, minor) = (interpreter.major(), interpreter.minor());
    let python = PythonVersion::new(major, minor, interpreter.micro());
    let mut target = TargetPython::cpython(major as u8, minor as u8, Vec::new());
    if interpreter.implementation() == venvoy_python::Implementation::PyPy {
        target.implementation = Implementation::PyPy;
        target.abi_tags = Vec::new();
    }
    (python, target)
}

/// Seed wheels chosen for one interpreter, ready to install into its venvs.
#[derive(Debug)]
pub struct SeedPlan {
    wheels: Vec<SeedWheel>,
    target: TargetPython,
    layout: Layout,
    cache: WheelCache,
    mode: LinkMode,
    /// What the last install did.
    done: Mutex<Vec<Seeded>>,
}

impl SeedPlan {
    /// Choose wheels of `packages` for `interpreter`: downloads happen here,
    /// before any venv is touched.
    pub fn choose(
        settings: &Settings,
        printer: &Printer,
        interpreter: &Interpreter,
        packages: &[String],
        mode: SeedLinkMode,
        upgrade: bool,
    ) -> Result<Self> {
        let sources = Sources {
            store: Some(wheel_store(settings)),
            ensurepip: interpreter.details().map(|d| d.ensurepip_wheels.clone()).unwrap_or_default(),
            index: settings.index.clone(),
        };
        let (python, target) = target_of(interpreter);
        let progress = DownloadBar::new(printer);
        if upgrade {
            // The index's newest into the cache first; then the usual choice
            // takes the newest there is.
            match sources.update(packages, &[python], &progress) {
                Ok(fetched) if sources.index.is_some() => {
                    tracing::info!("the index's newest: {fetched:?}");
                }
                Ok(_) => printer.warn(
                    "`PIP_NO_INDEX` is set, so `--upgrade-deps` takes the newest in venvoy's cache or the interpreter's ensurepip",
                ),
                Err(err) => printer.warn(format_args!(
                    "cannot get the newest {} from the index ({err}); taking the newest in venvoy's cache or the interpreter's ensurepip",
                    packages.join(", ")
                )),
            }
        }
        let wheels = sources.choose(packages, python, &target, &progress)?;
        let layout = Layout::for_interpreter(interpreter)?;
        let mode = match mode {
            SeedLinkMode::Hardlink => LinkMode::Hardlink,
            SeedLinkMode::Copy => LinkMode::Copy,
            SeedLinkMode::Clone => LinkMode::Clone,
        };
        Ok(Self {
            wheels,
            target,
            layout,
            cache: usable_cache(settings, printer),
            mode,
            done: Mutex::new(Vec::new()),
        })
    }

    /// Install into the venv being built at `dir`, which will live at `root`.
    pub fn install(&self, dir: &Path, root: &Path) -> Result<(), venvoy_wheel::SeedError> {
        let python_name =
            if self.layout.exe_names().any(|n| n == "python") { "python" } else { &self.layout.main_exe };
        let scheme = InstallScheme {
            purelib: dir.join(&self.layout.purelib),
            platlib: dir.join(&self.layout.platlib),
            scripts: dir.join(&self.layout.scripts),
            data: dir.to_path_buf(),
            include: dir
                .join(&self.layout.include)
                .join("site")
                .join(format!("python{}.{}", self.target.major, self.target.minor)),
            python: root.join(&self.layout.scripts).join(python_name),
        };
        let done = if self.cache.is_read_only() {
            self.install_without_cache(dir, &scheme)?
        } else {
            seed::install(&self.wheels, &scheme, &self.target, &self.cache, self.mode)?
        };
        *self.done.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = done;
        Ok(())
    }

    /// With a cache this user cannot write: images already in it are used as
    /// they are; any other wheel is unpacked into a scratch directory inside
    /// `dir` (same file system, so files are still hardlinked), removed after.
    fn install_without_cache(
        &self,
        dir: &Path,
        scheme: &InstallScheme,
    ) -> Result<Vec<Seeded>, venvoy_wheel::SeedError> {
        let mut scratch: Option<tempfile::TempDir> = None;
        let mut done = Vec::new();
        for wheel in &self.wheels {
            let one = std::slice::from_ref(wheel);
            match seed::install(one, scheme, &self.target, &self.cache, self.mode) {
                Err(venvoy_wheel::SeedError::Install {
                    source: venvoy_wheel::InstallError::NotCached { .. },
                    ..
                }) => {
                    if scratch.is_none() {
                        // Named with this process's pid, so a later run
                        // removes it if this one is killed.
                        scratch = Some(venvoy_fs::atomic::temp_sibling(&dir.join("seed")).map_err(
                            venvoy_wheel::SeedError::io("cannot create a temporary directory in", dir),
                        )?);
                    }
                    let images =
                        WheelCache::new(scratch.as_ref().map(|t| t.path().to_path_buf()).unwrap_or_default());
                    done.extend(seed::install(one, scheme, &self.target, &images, self.mode)?);
                }
                other => done.extend(other?),
            }
        }
        Ok(done)
    }

    /// The hook `venvoy_venv::create` calls while the venv is still in its temporary directory.
    pub fn hook(self: &Arc<Self>) -> SeedHook {
        let plan = Arc::clone(self);
        SeedHook::new(move |dir, root| plan.install(dir, root).map_err(venvoy_fs::BoxedHint::new))
    }

    /// Say what was seeded, one line per package.
    pub fn report(&self, printer: &Printer) {
        for seeded in self.done.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
            match seeded {
                Seeded::Installed(wheel, _) => {
                    printer.message(format_args!(
                        "Seeded {} {} from {}",
                        wheel.name, wheel.version, wheel.origin
                    ));
                }
                Seeded::AlreadyInstalled(wheel, version) => {
                    printer.message(format_args!("{} {version} is already installed", wheel.name));
                }
            }
        }
    }

    /// `name`, `version`, `origin` of each package installed, for `--json`.
    pub fn installed(&self) -> Vec<crate::json::Installed> {
        self.done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter_map(|s| match s {
                Seeded::Installed(w, _) => Some(crate::json::Installed {
                    name: w.name.to_string(),
                    version: w.version.to_string(),
                    origin: w.origin.word(),
                }),
                Seeded::AlreadyInstalled(..) => None,
            })
            .collect()
    }
}

/// The image cache, or, when this user cannot write it (a home that does not
/// exist, another user's read-only cache), the same cache read-only: said
/// once, in one line, and seeding goes on without writing to it.
fn usable_cache(settings: &Settings, printer: &Printer) -> WheelCache {
    let cache = wheel_cache(settings);
    match cache.check_writable() {
        Ok(()) => cache,
        Err(err) => {
            printer.warn(format_args!(
                "venvoy's cache `{}` cannot be written ({err}); seeding without caching",
                cache.root().display()
            ));
            WheelCache::read_only(cache.root())
        }
    }
}

/// `venvoy seed [-e ENV] [PKG…]`: add seed packages to an existing venv.
pub fn run(args: SeedArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    // Words are packages only (ENV comes with `-e`), checked before anything else.
    let packages = packages(&args.packages)?;
    // ENV as every command reads it: a path, a name in the env home, else the
    // active env, else the nearest `.venv` (directory or pointer file).
    let env = settings.env_context().resolve(args.env.as_deref())?.root;
    let plan = seed_env(settings, printer, &env, &packages, args.link_mode)?;
    plan.report(printer);
    Ok(ExitCode::SUCCESS)
}

/// Install `packages` into the existing env at `env` (a seed package that is
/// there but incomplete is installed again over itself).
pub fn seed_env(
    settings: &Settings,
    printer: &Printer,
    env: &Path,
    packages: &[String],
    link_mode: SeedLinkMode,
) -> Result<SeedPlan> {
    let discoverer = settings.discoverer();
    // The base interpreter `pyvenv.cfg` names runs only if venvoy finds it on
    // its own or the env is trusted: a checkout's env must not run its code.
    if let Ok(base) = venvoy_python::find::venv_base_exe(env)
        && !discoverer.is_known(&base)
        && !settings.trust().check(env).is_trusted()
    {
        return Err(UserError::new(format!(
            "the base interpreter `{}` named by `{}` is not one venvoy finds on this machine, and the env is not trusted: venvoy does not run it",
            base.display(),
            env.join("pyvenv.cfg").display()
        ))
        .hint("if you trust this env, run `venvoy allow` for it first; or recreate it with `venvoy create -p PYTHON`")
        .into());
    }
    // The env itself, as a path: bytes kept, never read back from a lossy string.
    let request = PythonRequest::Path(env.to_path_buf());
    let selection = discoverer
        .find(&request)
        .with_context(|| format!("cannot find the interpreter of the venv `{}`", env.display()))?;
    let plan = SeedPlan::choose(settings, printer, &selection.interpreter, packages, link_mode, false)?;
    // What an interrupted seed left: temporary files where installs write them.
    let purelib = env.join(&plan.layout.purelib);
    let mut dirs = vec![env.to_path_buf(), env.join(&plan.layout.scripts), purelib.clone()];
    if let Ok(entries) = std::fs::read_dir(&purelib) {
        dirs.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "dist-info")),
        );
    }
    for dir in &dirs {
        venvoy_fs::atomic::clean_stale_in(dir);
    }
    plan.install(env, env)?;
    Ok(plan)
}

/// `venvoy cache update [PKG…]`: fetch the index's newest seed wheels, for
/// every supported interpreter on this machine, into the cache.
pub fn update(asked: &[String], settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let packages = if asked.is_empty() { SEED_PACKAGES.map(String::from).to_vec() } else { packages(asked)? };
    let Some(index) = settings.index.clone() else {
        return Err(UserError::new("`PIP_NO_INDEX` is set, so there is no index to update from")
            .hint("unset `PIP_NO_INDEX`")
            .into());
    };
    let mut pythons: Vec<PythonVersion> = settings
        .discoverer()
        .discover()
        .interpreters
        .iter()
        .filter(|i| i.is_supported())
        .map(|i| PythonVersion::new(i.major(), i.minor(), i.micro()))
        .collect();
    pythons.sort();
    pythons.dedup();
    if pythons.is_empty() {
        return Err(UserError::new("no supported Python found, so there is nothing to fetch wheels for")
            .hint("install Python 3.7 or newer, then run `venvoy cache update` again")
            .into());
    }
    let sources = Sources { store: Some(wheel_store(settings)), ensurepip: Vec::new(), index: Some(index) };
    let progress = DownloadBar::new(printer);
    for (path, downloaded) in sources.update(&packages, &pythons, &progress)? {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if downloaded {
            printer.message(format_args!("Downloaded {name}"));
        } else {
            printer.message(format_args!("Already cached: {name}"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A download's progress bar (on a terminal, not with `-q`).
struct DownloadBar(Bar);

impl DownloadBar {
    fn new(printer: &Printer) -> Self {
        Self(Bar::new(printer, Duration::ZERO))
    }
}

impl Progress for DownloadBar {
    fn start(&self, name: &str, size: Option<u64>) {
        self.0.finish();
        self.0.update("{spinner} Downloading {msg} {bytes}/{total_bytes}", size, |bar| {
            bar.set_message(name.to_string());
        });
    }

    fn advance(&self, done: u64, total: Option<u64>) {
        self.0.update_drawn(|bar| {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(done);
        });
    }

    fn finish(&self) {
        self.0.finish();
    }
}
