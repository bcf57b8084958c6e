/*
 * TEST ONLY. Never shipped, never installed on a real Windows computer.
 *
 * Rust's standard library (1.78 and later) gets its random numbers from
 * bcryptprimitives.dll!ProcessPrng, which Wine 8 (Debian 12) does not have,
 * so no Rust program starts under it. scripts/test-windows.sh builds this
 * stand-in with mingw and copies it into the test Wine prefix only:
 * ProcessPrng is passed to RtlGenRandom (advapi32!SystemFunction036),
 * which Wine has, and which draws from the host's random source.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a ULONG length: fill in chunks. */
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
