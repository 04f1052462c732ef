using System.Security.Cryptography;

namespace VnGovSign.Formats.OpenXml;

/// <summary>One Reference of the package Manifest: a part, or a relationships part through the Relationship transform.</summary>
internal sealed record ManifestEntry(string PartName, string ContentType, IReadOnlyList<string>? RelationshipIds, byte[] Digest);

/// <summary>Decides what a signature covers, the way Office does, and digests it.</summary>
internal static class PackageManifest
{
    /// <summary>Signature parts are never covered by a package signature.</summary>
    public static bool IsSignaturePart(string partName) => partName.StartsWith("/_xmlsignatures/", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Walks the relationships from the package root: every relationship whose type is not one of
    /// <see cref="OpcNames.UnsignedRelationshipTypes"/> is selected by Id in its relationships part's
    /// Relationship transform, and its internal target part is signed and walked in turn.
    /// </summary>
    public static List<ManifestEntry> Compute(OpcPackage package, HashAlgorithmName hash)
    {
        var entries = new List<ManifestEntry>();
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "/" };
        var queue = new Queue<string>();
        queue.Enqueue("/");
        while (queue.Count > 0)
        {
            var source = queue.Dequeue();
            var rels = package.Relationships(source);
            var signed = rels.Where(r => !OpcNames.UnsignedRelationshipTypes.Contains(r.Type)).ToList();
            if (signed.Count == 0) continue;
            var relsName = OpcPackage.RelsPartNameFor(source);
            var ids = signed.Select(r => r.Id).Distinct(StringComparer.Ordinal).OrderBy(i => i, StringComparer.Ordinal).ToList();
            var transformed = RelationshipTransform.Apply(package.LoadXml(relsName), ids);
            entries.Add(new ManifestEntry(relsName, package.ContentType(relsName) ?? OpcNames.RelationshipsContentType, ids,
                Digests.Compute(hash, transformed)));
            foreach (var r in signed)
            {
                if (r.External || r.TargetPartName is not { } target || IsSignaturePart(target)) continue;
                if (!package.Exists(target) || !visited.Add(target)) continue;
                using (var s = package.OpenPart(target))
                    entries.Add(new ManifestEntry(target, package.ContentType(target) ?? "", null, HashStream(hash, s)));
                queue.Enqueue(target);
            }
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.PartName, b.PartName));
        return entries;
    }

    internal static byte[] HashStream(HashAlgorithmName hash, Stream s)
    {
        using var h = Digests.Create(hash);
        var buffer = new byte[81920];
        int n;
        while ((n = s.Read(buffer, 0, buffer.Length)) > 0) h.AppendData(buffer, 0, n);
        return h.GetHashAndReset();
    }
}
