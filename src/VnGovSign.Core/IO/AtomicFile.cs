namespace VnGovSign.IO;

/// <summary>
/// Writes a file whole or not at all: into a temporary file beside the target, then a rename.
/// A failed or cancelled signing never leaves a partial output, and never touches the input.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static Task WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken = default) =>
        WriteAsync(path, (s, ct) => s.WriteAsync(bytes, 0, bytes.Length, ct), cancellationToken);

    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary stream, then moves it over <paramref name="path"/>. The stream can
    /// also be read and re-positioned (a PDF signature is patched into /Contents after the revision is written).
    /// </summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
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
