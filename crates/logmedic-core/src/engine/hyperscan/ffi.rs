//! The few libhs entry points logmedic uses, resolved at run time with `libloading`.
//!
//! Nothing links against libhs at build time (Debian's static libhs.a is not PIC, and the
//! addon must load where libhs is absent), so the library is looked up once per process
//! and the outcome cached: either a table of function pointers or the reason it failed.

use std::ffi::{c_char, c_int, c_uint, c_ulonglong, c_void, CStr};
use std::sync::OnceLock;

use libloading::Library;

/// Environment variable that overrides where libhs is loaded from (a path or a file name);
/// `LOGMEDIC_LIBHS=/nonexistent` forces the "Hyperscan unavailable" path.
pub const LIBHS_ENV: &str = "LOGMEDIC_LIBHS";

/// Names tried in order when `LOGMEDIC_LIBHS` is not set (Linux, macOS, Windows).
pub const LIBHS_NAMES: [&str; 5] = ["libhs.so.5", "libhs.so", "libhs.5.dylib", "libhs.dylib", "hs.dll"];

pub const HS_SUCCESS: c_int = 0;
pub const HS_FLAG_MULTILINE: c_uint = 4;
pub const HS_MODE_BLOCK: c_uint = 1;

/// Opaque `hs_database_t`.
#[repr(C)]
pub struct HsDatabase {
    _opaque: [u8; 0],
}

/// Opaque `hs_scratch_t`.
#[repr(C)]
pub struct HsScratch {
    _opaque: [u8; 0],
}

/// `hs_compile_error_t`.
#[repr(C)]
pub struct HsCompileError {
    pub message: *const c_char,
    /// Index of the expression at fault, or negative when the error concerns the whole set.
    pub expression: c_int,
}

/// `hs_platform_info_t`: the CPU features and tuning libhs compiles for on this machine.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct PlatformInfo {
    pub tune: c_uint,
    pub cpu_features: c_ulonglong,
    pub reserved1: c_ulonglong,
    pub reserved2: c_ulonglong,
}

/// `match_event_handler`: a non-zero return stops the scan.
pub type MatchHandler =
    unsafe extern "C" fn(id: c_uint, from: c_ulonglong, to: c_ulonglong, flags: c_uint, context: *mut c_void) -> c_int;

type CompileMulti = unsafe extern "C" fn(
    expressions: *const *const c_char,
    flags: *const c_uint,
    ids: *const c_uint,
    elements: c_uint,
    mode: c_uint,
    platform: *const c_void,
    db: *mut *mut HsDatabase,
    error: *mut *mut HsCompileError,
) -> c_int;
type FreeCompileError = unsafe extern "C" fn(error: *mut HsCompileError) -> c_int;
type FreeDatabase = unsafe extern "C" fn(db: *mut HsDatabase) -> c_int;
type AllocScratch = unsafe extern "C" fn(db: *const HsDatabase, scratch: *mut *mut HsScratch) -> c_int;
type CloneScratch = unsafe extern "C" fn(src: *const HsScratch, dest: *mut *mut HsScratch) -> c_int;
type FreeScratch = unsafe extern "C" fn(scratch: *mut HsScratch) -> c_int;
type Scan = unsafe extern "C" fn(
    db: *const HsDatabase,
    data: *const c_char,
    length: c_uint,
    flags: c_uint,
    scratch: *mut HsScratch,
    on_event: MatchHandler,
    context: *mut c_void,
) -> c_int;
type SerializeDatabase = unsafe extern "C" fn(db: *const HsDatabase, bytes: *mut *mut c_char, length: *mut usize) -> c_int;
type DeserializeDatabase = unsafe extern "C" fn(bytes: *const c_char, length: usize, db: *mut *mut HsDatabase) -> c_int;
type PopulatePlatform = unsafe extern "C" fn(platform: *mut PlatformInfo) -> c_int;
type ValidPlatform = unsafe extern "C" fn() -> c_int;
type Version = unsafe extern "C" fn() -> *const c_char;

/// The resolved entry points. The `Library` is kept alive for the life of the process
/// (it sits in a `static`), so the copied function pointers stay valid.
pub struct Api {
    _lib: Library,
    pub compile_multi: CompileMulti,
    pub free_compile_error: FreeCompileError,
    pub free_database: FreeDatabase,
    pub alloc_scratch: AllocScratch,
    pub clone_scratch: CloneScratch,
    pub free_scratch: FreeScratch,
    pub scan: Scan,
    /// The bytes it returns are allocated with `malloc` (libhs's default misc allocator,
    /// which logmedic never replaces) and must be released with `free`.
    pub serialize_database: SerializeDatabase,
    pub deserialize_database: DeserializeDatabase,
    /// The libhs version string, part of the database cache key.
    pub version: String,
    /// What `hs_populate_platform` reports here, part of the database cache key.
    pub platform: PlatformInfo,
    /// Where the library was found and its version, for messages.
    pub description: String,
}

static API: OnceLock<Result<Api, String>> = OnceLock::new();

/// The libhs API, loaded on first use; `Err` says why it cannot be used here.
pub fn api() -> Result<&'static Api, &'static str> {
    API.get_or_init(load).as_ref().map_err(String::as_str)
}

fn load() -> Result<Api, String> {
    if let Some(path) = std::env::var_os(LIBHS_ENV).filter(|v| !v.is_empty()) {
        let name = path.to_string_lossy().into_owned();
        // SAFETY: loading libhs runs its initialisers, which have no preconditions.
        return match unsafe { Library::new(&path) } {
            Ok(lib) => resolve(lib, &name),
            Err(e) => Err(format!("libhs could not be loaded from {LIBHS_ENV}={name}: {e}")),
        };
    }
    let mut last = String::new();
    for name in LIBHS_NAMES {
        // SAFETY: as above.
        match unsafe { Library::new(name) } {
            Ok(lib) => return resolve(lib, name),
            Err(e) => last = e.to_string(),
        }
    }
    Err(format!(
        "libhs could not be loaded (tried {}; set {LIBHS_ENV} to its path): {last}",
        LIBHS_NAMES.join(", ")
    ))
}

fn resolve(lib: Library, name: &str) -> Result<Api, String> {
    // SAFETY: each symbol is declared with the signature hs.h gives it.
    unsafe {
        fn missing(name: &str, sym: &str, e: libloading::Error) -> String {
            format!("{name} lacks {sym}: {e}")
        }
        macro_rules! sym {
            ($ty:ty, $sym:literal) => {
                *lib.get::<$ty>(concat!($sym, "\0").as_bytes()).map_err(|e| missing(name, $sym, e))?
            };
        }
        let valid_platform: ValidPlatform = sym!(ValidPlatform, "hs_valid_platform");
        if valid_platform() != HS_SUCCESS {
            return Err(format!("{name} loaded, but this CPU is not supported by Hyperscan"));
        }
        let version: Version = sym!(Version, "hs_version");
        let v = version();
        let version = if v.is_null() { "unknown version".into() } else { CStr::from_ptr(v).to_string_lossy().into_owned() };
        let populate_platform: PopulatePlatform = sym!(PopulatePlatform, "hs_populate_platform");
        let mut platform = PlatformInfo::default();
        if populate_platform(&mut platform) != HS_SUCCESS {
            return Err(format!("{name} loaded, but could not describe this CPU (hs_populate_platform failed)"));
        }
        Ok(Api {
            compile_multi: sym!(CompileMulti, "hs_compile_multi"),
            free_compile_error: sym!(FreeCompileError, "hs_free_compile_error"),
            free_database: sym!(FreeDatabase, "hs_free_database"),
            alloc_scratch: sym!(AllocScratch, "hs_alloc_scratch"),
            clone_scratch: sym!(CloneScratch, "hs_clone_scratch"),
            free_scratch: sym!(FreeScratch, "hs_free_scratch"),
            scan: sym!(Scan, "hs_scan"),
            serialize_database: sym!(SerializeDatabase, "hs_serialize_database"),
            deserialize_database: sym!(DeserializeDatabase, "hs_deserialize_database"),
            description: format!("{name} {version}"),
            version,
            platform,
            _lib: lib,
        })
    }
}
