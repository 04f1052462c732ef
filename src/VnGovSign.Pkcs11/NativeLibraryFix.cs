#if NET
using System.Reflection;
using System.Runtime.InteropServices;
#endif

namespace VnGovSign.Pkcs11;

/// <summary>
/// Pkcs11Interop 5.3.0 calls dlopen through a DllImport of "libdl"; glibc 2.34+ (Debian 12…) ships only
/// libdl.so.2, so every module load would fail. On .NET 8+ a resolver maps the name; on other
/// runtimes (.NET Framework on Windows) nothing is needed.
/// </summary>
internal static class NativeLibraryFix
{
    private static int _done;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
#if NET
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Net.Pkcs11Interop.Common.CKR).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The host already set a resolver for Pkcs11Interop: it knows what it does.
        }
#endif
    }

#if NET
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out var handle)) return handle;
        return IntPtr.Zero; // default probing for everything else
    }
#endif
}
