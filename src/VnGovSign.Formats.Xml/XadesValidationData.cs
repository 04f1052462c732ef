using System.Security.Cryptography.X509Certificates;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Xml;

/// <summary>What B-LT embeds: the certificates of the signer's and the TSA's paths, and revocation data for them.</summary>
internal static class XadesValidationData
{
    public static async Task<ValidationData> CollectAsync(X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain, byte[] timestampToken, CancellationToken ct)
    {
        var tsaCerts = Timestamps.TimestampToken.Parse(timestampToken, "SignatureTimeStamp").Certificates;
        var extra = chain.Concat(tsaCerts).ToList();
        // Core's ValidationDataCollector (revocation data) is being written; until then certificates only.
        var data = new ValidationData();
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        foreach (var c in new[] { signer }.Concat(extra))
            if (!data.Certificates.Any(x => x.AsSpan().SequenceEqual(c.RawData))) data.Certificates.Add(c.RawData);
        return data;
    }
}
