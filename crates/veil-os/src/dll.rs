//! Windows: DLLs and functions that are not on every supported Windows 10
//! and 11 build (N editions without the Media Feature Pack, Server Core,
//! builds before 2004) are loaded at run time, so their absence is a
//! degraded source or an unknown check, never a program that cannot start.

use windows::core::{PCSTR, PCWSTR};
use windows::Win32::Foundation::{FreeLibrary, HMODULE};
use windows::Win32::System::LibraryLoader::{
    GetProcAddress, LoadLibraryExW, LOAD_LIBRARY_SEARCH_SYSTEM32,
};

/// A function pointer as GetProcAddress returns it; transmuted by the
/// caller to the function's documented signature.
pub(crate) type RawProc = unsafe extern "system" fn() -> isize;

/// A DLL loaded from System32 only (never the current folder or PATH),
/// freed on drop.
pub(crate) struct Library(HMODULE);

impl Library {
    pub(crate) fn system32(name: &str) -> Result<Library, String> {
        let w = crate::win_str::wide(name);
        // SAFETY: w is NUL-terminated and outlives the call.
        unsafe { LoadLibraryExW(PCWSTR(w.as_ptr()), None, LOAD_LIBRARY_SEARCH_SYSTEM32) }
            .map(Library)
            .map_err(|_| format!("{name} is not installed on this edition of Windows"))
    }

    pub(crate) fn symbol(&self, name: PCSTR) -> Option<RawProc> {
        // SAFETY: a module this value holds loaded; name is NUL-terminated.
        unsafe { GetProcAddress(self.0, name) }
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        // SAFETY: the module was loaded by Library::system32, freed once.
        let _ = unsafe { FreeLibrary(self.0) };
    }
}
