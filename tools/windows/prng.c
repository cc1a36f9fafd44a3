/*
 * prng.c - a stand-in for Windows' bcryptprimitives.dll, for the tests
 * under Wine.
 *
 * Go 1.22 and later take their random bytes from ProcessPrng, which the
 * Go runtime loads from bcryptprimitives.dll in the system folder. Wine
 * 8.0 has no such function, so a Go program stops at start-up. This DLL
 * has the one export, over RtlGenRandom (advapi32's SystemFunction036),
 * which Wine has; the Windows test stage builds it with mingw-w64 and
 * copies it into its Wine prefix's system32.
 */
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
