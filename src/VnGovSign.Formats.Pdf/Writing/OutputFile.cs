namespace VnGovSign.Formats.Pdf.Writing;

/// <summary>
/// Like Core's AtomicFile (a temporary file beside the target, then a rename: whole or nothing), but the stream
/// can also be read and re-positioned, because a PDF signature is patched into /Contents after the revision is written.
/// </summary>
internal static class OutputFile
{
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new InvalidInputException(MessageKeys.FileNotReadable, full, "directory does not exist");
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                await write(fs, cancellationToken).ConfigureAwait(false);
                await fs.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
#if NET
            File.Move(temp, full, overwrite: true); // rename(2): the old file is replaced, never missing
#else
            if (File.Exists(full)) File.Delete(full);
            File.Move(temp, full);
#endif
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
