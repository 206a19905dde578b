/* Test-only shim, never shipped: Rust >= 1.78's std gets random bytes from
 * ProcessPrng in bcryptprimitives.dll, which Windows 10+ has but Debian's
 * wine 8 lacks (the .exe then exits 53 with no output). tests/cross_targets.rs
 * builds this with mingw-w64 and puts it beside a copy of the .exe; it fills
 * the buffer through advapi32's RtlGenRandom (SystemFunction036). */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
