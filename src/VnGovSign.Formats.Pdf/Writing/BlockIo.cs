namespace VnGovSign.Formats.Pdf.Writing;

/// <summary>
/// Block reads and writes for streaming a whole file. A <see cref="FileStream"/>'s ReadAsync/WriteAsync of a block
/// larger than its buffer only queues the same blocking read(2)/write(2) to the thread pool on Unix: one thread hop
/// per block, which measurably slowed signing and validation of large files on busy cores (docs/performance.md).
/// File streams are therefore read and written synchronously; every other stream keeps its asynchronous methods.
/// </summary>
internal static class BlockIo
{
    public static Task<int> ReadAsync(Stream s, byte[] buffer, int offset, int count, CancellationToken ct)
    {
        if (s is not FileStream) return s.ReadAsync(buffer, offset, count, ct);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(s.Read(buffer, offset, count));
    }

    public static Task WriteAsync(Stream s, byte[] buffer, int offset, int count, CancellationToken ct)
    {
        if (s is not FileStream) return s.WriteAsync(buffer, offset, count, ct);
        ct.ThrowIfCancellationRequested();
        s.Write(buffer, offset, count);
        return Task.CompletedTask;
    }
}
