using System.Security.Cryptography.X509Certificates;
using VnGovSign.Revocation;
using VnGovSign.Timestamps;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Xml;

/// <summary>What B-LT embeds: the certificates of the signer's and the TSA's paths, and revocation data for them (from Core's collector).</summary>
internal static class XadesValidationData
{
    public static Task<ValidationData> CollectAsync(ValidationDataCollector collector, X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain,
        byte[] timestampToken, CancellationToken ct) => CollectAsync(collector, signer, chain, new[] { timestampToken }, ct);

    /// <summary>The same for a signature with several SignatureTimeStamps (each TSA's path is collected once).</summary>
    public static async Task<ValidationData> CollectAsync(ValidationDataCollector collector, X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain,
        IEnumerable<byte[]> timestampTokens, CancellationToken ct)
    {
        var data = await collector.CollectAsync(signer, chain, ct).ConfigureAwait(false);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in timestampTokens)
        {
            var token = TimestampToken.Parse(t, "SignatureTimeStamp");
            if (token.TsaCertificate is { } tsa && done.Add(tsa.Thumbprint))
                data.Merge(await collector.CollectAsync(tsa, token.Certificates, ct).ConfigureAwait(false));
        }
        // The signer's own certificate is in KeyInfo already; every other one goes to CertificateValues once.
        var distinct = new ValidationData();
        foreach (var c in data.Certificates)
            if (!c.AsSpan().SequenceEqual(signer.RawData) && !distinct.Certificates.Any(x => x.AsSpan().SequenceEqual(c))) distinct.Certificates.Add(c);
        foreach (var c in data.Crls) if (!distinct.Crls.Any(x => x.AsSpan().SequenceEqual(c))) distinct.Crls.Add(c);
        foreach (var o in data.OcspResponses) if (!distinct.OcspResponses.Any(x => x.AsSpan().SequenceEqual(o))) distinct.OcspResponses.Add(o);
        return distinct;
    }
}
