using System.IO.Compression;
using System.Text;
using System.Xml;

namespace VnGovSign.Formats.OpenXml;

/// <summary>
/// Writes a copy of a package with one more signature part, the way Office lays it out:
/// <c>/_xmlsignatures/origin.sigs</c> (linked from the package root), its relationships part, and
/// <c>/_xmlsignatures/sigN.xml</c>. Every other part is copied with the same content.
/// </summary>
internal static class PackageWriter
{
    public const string DefaultOriginPartName = "/_xmlsignatures/origin.sigs";

    /// <summary>The next free /_xmlsignatures/sigN.xml.</summary>
    public static string NextSignaturePartName(OpcPackage package)
    {
        for (int n = 1; ; n++)
        {
            var name = "/_xmlsignatures/sig" + n + ".xml";
            if (!package.Exists(name)) return name;
        }
    }

    /// <summary>
    /// Writes the package with the signature part added. When <paramref name="input"/> (the package's bytes) is given and
    /// the zip is in the plain form, unchanged entries are copied compressed as they are (<see cref="ZipRawCopy"/>);
    /// otherwise every entry is inflated and deflated again.
    /// </summary>
    public static void Write(OpcPackage package, Stream output, string signaturePartName, byte[] signatureXml, byte[]? input = null)
    {
        var originRel = package.Relationships("/").FirstOrDefault(r => r.Type == OpcNames.OriginRelationshipType && !r.External);
        var origin = originRel?.TargetPartName ?? DefaultOriginPartName;
        var originRels = OpcPackage.RelsPartNameFor(origin);

        var replaced = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["/[Content_Types].xml"] = ContentTypes(package, origin, signaturePartName),
        };
        if (originRel is null)
            replaced["/_rels/.rels"] = AddRelationship(package, "/", OpcNames.OriginRelationshipType, "_xmlsignatures/origin.sigs");
        // Relative to the origin part's folder, as Office writes it ("sig1.xml"); an origin elsewhere (e.g. the
        // /package/services/digital-signature/origin.psdor of System.IO.Packaging) gets the absolute part name.
        int slash = signaturePartName.LastIndexOf('/');
        var sigTarget = string.Equals(origin.Substring(0, origin.LastIndexOf('/') + 1), signaturePartName.Substring(0, slash + 1), StringComparison.OrdinalIgnoreCase)
            ? signaturePartName.Substring(slash + 1)
            : signaturePartName;
        var originRelsXml = AddRelationship(package, origin, OpcNames.SignatureRelationshipType, sigTarget);
        replaced[originRels] = originRelsXml;

        if (input is not null)
        {
            var inPlace = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in replaced)
                if (package.Exists(kv.Key)) inPlace[package.Entry(kv.Key).FullName] = kv.Value;
            var added = new List<KeyValuePair<string, byte[]>>();
            if (!package.Exists(origin)) added.Add(new(origin.Substring(1), Array.Empty<byte>()));
            foreach (var name in new[] { "/_rels/.rels", originRels })
                if (replaced.TryGetValue(name, out var bytes) && !package.Exists(name)) added.Add(new(name.Substring(1), bytes));
            added.Add(new(signaturePartName.Substring(1), signatureXml));
            if (ZipRawCopy.TryWrite(input, output, inPlace, added)) return;
        }

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in package.Archive.Entries)
        {
            if (entry.FullName.EndsWith("/", StringComparison.Ordinal)) continue;
            var partName = "/" + entry.FullName;
            var copy = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = entry.LastWriteTime;
            using var dst = copy.Open();
            if (replaced.TryGetValue(partName, out var bytes)) dst.Write(bytes, 0, bytes.Length);
            else
            {
                using var src = entry.Open();
                src.CopyTo(dst);
            }
            written.Add(partName);
        }
        void Add(string partName, byte[] bytes)
        {
            if (written.Contains(partName)) return;
            var e = zip.CreateEntry(partName.Substring(1), CompressionLevel.Optimal);
            using var dst = e.Open();
            dst.Write(bytes, 0, bytes.Length);
            written.Add(partName);
        }
        if (!package.Exists(origin)) Add(origin, Array.Empty<byte>());
        if (replaced.TryGetValue("/_rels/.rels", out var rootRels)) Add("/_rels/.rels", rootRels);
        Add(originRels, originRelsXml);
        Add(signaturePartName, signatureXml);
    }

    private static byte[] ContentTypes(OpcPackage package, string origin, string signaturePartName)
    {
        var doc = package.LoadXml("/[Content_Types].xml");
        var root = doc.DocumentElement!;
        if (package.ContentType(origin) != OpcNames.OriginContentType)
        {
            var ext = origin.Substring(origin.LastIndexOf('.') + 1);
            var hasDefault = root.ChildNodes.OfType<XmlElement>().Any(e => e.LocalName == "Default"
                && string.Equals(e.GetAttribute("Extension"), ext, StringComparison.OrdinalIgnoreCase));
            var el = doc.CreateElement(hasDefault ? "Override" : "Default", OpcNames.ContentTypesNamespace);
            if (hasDefault) el.SetAttribute("PartName", origin); else el.SetAttribute("Extension", ext);
            el.SetAttribute("ContentType", OpcNames.OriginContentType);
            Insert(root, el);
        }
        var sig = doc.CreateElement("Override", OpcNames.ContentTypesNamespace);
        sig.SetAttribute("PartName", signaturePartName);
        sig.SetAttribute("ContentType", OpcNames.SignatureContentType);
        root.AppendChild(sig);
        return Save(doc);
    }

    // Defaults must come before Overrides for some readers: put a Default after the last Default.
    private static void Insert(XmlElement root, XmlElement el)
    {
        var lastDefault = root.ChildNodes.OfType<XmlElement>().LastOrDefault(e => e.LocalName == "Default");
        if (el.LocalName == "Default" && lastDefault is not null) root.InsertAfter(el, lastDefault);
        else if (el.LocalName == "Default") root.PrependChild(el);
        else root.AppendChild(el);
    }

    private static byte[] AddRelationship(OpcPackage package, string source, string type, string target)
    {
        var relsName = OpcPackage.RelsPartNameFor(source);
        XmlDocument doc;
        if (package.Exists(relsName)) doc = package.LoadXml(relsName);
        else
        {
            doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
            doc.AppendChild(doc.CreateXmlDeclaration("1.0", "UTF-8", "yes"));
            doc.AppendChild(doc.CreateElement("Relationships", OpcNames.RelationshipsNamespace));
        }
        var ids = new HashSet<string>(package.Relationships(source).Select(r => r.Id), StringComparer.Ordinal);
        int n = 1;
        while (ids.Contains("rId" + n)) n++;
        var el = doc.CreateElement("Relationship", OpcNames.RelationshipsNamespace);
        el.SetAttribute("Id", "rId" + n);
        el.SetAttribute("Type", type);
        el.SetAttribute("Target", target);
        doc.DocumentElement!.AppendChild(el);
        return Save(doc);
    }

    private static byte[] Save(XmlDocument doc)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
            doc.Save(w);
        return ms.ToArray();
    }
}
