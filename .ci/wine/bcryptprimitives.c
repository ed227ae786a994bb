/* Test-only stand-in for Windows' bcryptprimitives.dll, which Debian 12's wine 8 lacks.
 *
 * Rust's standard library (1.78 and later) draws its random numbers on Windows from
 * ProcessPrng in bcryptprimitives.dll; without that DLL the .exe does not start under wine 8.
 * This DLL exports ProcessPrng over RtlGenRandom (SystemFunction036 in advapi32), which wine
 * has. .ci/cross.sh builds it with mingw and puts it beside xxgk.exe; it is never shipped:
 * real Windows (10 and later) has its own.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    /* RtlGenRandom takes a ULONG length: fill in pieces. */
    while (size > 0) {
        ULONG piece = size > 0x10000000 ? 0x10000000 : (ULONG)size;
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        size -= piece;
    }
    return TRUE;
}
