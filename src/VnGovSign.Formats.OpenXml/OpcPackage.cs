using System.IO.Compression;
using System.Xml;

namespace VnGovSign.Formats.OpenXml;

/// <summary>One relationship of a relationships part.</summary>
internal sealed record OpcRelationship(string Id, string Type, string Target, bool External, string? TargetPartName);

/// <summary>
/// A read-only view of an OPC package over a zip archive: part names, content types and
/// relationships. Part names compare case-insensitively, as OPC says (ECMA-376 Part 2 §9.1.1.1.2).
/// </summary>
internal sealed class OpcPackage : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _parts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _defaults = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _overrides = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlyList<OpcRelationship>> _rels = new(StringComparer.OrdinalIgnoreCase);

    private OpcPackage(ZipArchive zip, string name)
    {
        _zip = zip;
        Name = name;
        foreach (var e in zip.Entries)
        {
            if (e.FullName.EndsWith("/", StringComparison.Ordinal)) continue;
            _parts["/" + e.FullName] = e;
        }
        if (!_parts.TryGetValue("/[Content_Types].xml", out var ct))
            throw new InvalidInputException(OoxmlMessages.Resources, "NotAPackage", null, name, "[Content_Types].xml missing");
        var doc = LoadXml(ct, "/[Content_Types].xml");
        foreach (XmlElement el in doc.DocumentElement!.ChildNodes.OfType<XmlElement>())
        {
            if (el.LocalName == "Default") _defaults[el.GetAttribute("Extension")] = el.GetAttribute("ContentType");
            else if (el.LocalName == "Override") _overrides[el.GetAttribute("PartName")] = el.GetAttribute("ContentType");
        }
    }

    /// <summary>Opens a package; the stream must stay open while the package is used.</summary>
    public static OpcPackage Open(Stream stream, string name)
    {
        try { return new OpcPackage(new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true), name); }
        catch (InvalidDataException e) { throw new InvalidInputException(OoxmlMessages.Resources, "NotAPackage", e, name, e.Message); }
    }

    public string Name { get; }

    public ZipArchive Archive => _zip;

    public IEnumerable<string> PartNames => _parts.Keys;

    public bool Exists(string partName) => _parts.ContainsKey(partName);

    public ZipArchiveEntry Entry(string partName) => _parts[partName];

    /// <summary>The content type of a part: its Override, else the Default of its extension, else null.</summary>
    public string? ContentType(string partName)
    {
        if (_overrides.TryGetValue(partName, out var ct)) return ct;
        int dot = partName.LastIndexOf('.');
        int slash = partName.LastIndexOf('/');
        if (dot > slash && _defaults.TryGetValue(partName.Substring(dot + 1), out ct)) return ct;
        return null;
    }

    public Stream OpenPart(string partName) => _parts[partName].Open();

    public byte[] ReadPart(string partName)
    {
        using var s = OpenPart(partName);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>"/word/document.xml" → "/word/_rels/document.xml.rels"; "/" → "/_rels/.rels".</summary>
    public static string RelsPartNameFor(string sourcePartName)
    {
        if (sourcePartName == "/") return "/_rels/.rels";
        int slash = sourcePartName.LastIndexOf('/');
        return sourcePartName.Substring(0, slash + 1) + "_rels/" + sourcePartName.Substring(slash + 1) + ".rels";
    }

    /// <summary>The source part of a relationships part ("/" for the package root), or null when the name is not one.</summary>
    public static string? SourceOf(string relsPartName)
    {
        if (!relsPartName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)) return null;
        int slash = relsPartName.LastIndexOf('/');
        var folder = relsPartName.Substring(0, slash);
        if (!folder.EndsWith("/_rels", StringComparison.OrdinalIgnoreCase) && !folder.Equals("/_rels", StringComparison.OrdinalIgnoreCase)) return null;
        var file = relsPartName.Substring(slash + 1, relsPartName.Length - slash - 1 - ".rels".Length);
        var parent = folder.Substring(0, folder.Length - "_rels".Length);
        return file.Length == 0 ? "/" : parent + file;
    }

    /// <summary>The relationships of a source part ("/" for the root); empty when it has none.</summary>
    public IReadOnlyList<OpcRelationship> Relationships(string sourcePartName)
    {
        var relsName = RelsPartNameFor(sourcePartName);
        if (_rels.TryGetValue(relsName, out var cached)) return cached;
        var list = new List<OpcRelationship>();
        if (_parts.TryGetValue(relsName, out var entry))
        {
            var doc = LoadXml(entry, relsName);
            foreach (var el in doc.DocumentElement!.ChildNodes.OfType<XmlElement>())
            {
                if (el.LocalName != "Relationship" || el.NamespaceURI != OpcNames.RelationshipsNamespace) continue;
                bool external = el.GetAttribute("TargetMode") == "External";
                var target = el.GetAttribute("Target");
                list.Add(new OpcRelationship(el.GetAttribute("Id"), el.GetAttribute("Type"), target, external,
                    external ? null : ResolveTarget(sourcePartName, target)));
            }
        }
        _rels[relsName] = list;
        return list;
    }

    /// <summary>Resolves a relative target against its source part, as a part name ("/word/media/image1.png").</summary>
    public static string? ResolveTarget(string sourcePartName, string target)
    {
        if (string.IsNullOrEmpty(target)) return null;
        target = Uri.UnescapeDataString(target.Split('#')[0]);
        var baseFolder = sourcePartName == "/" ? "/" : sourcePartName.Substring(0, sourcePartName.LastIndexOf('/') + 1);
        var path = target.StartsWith("/", StringComparison.Ordinal) ? target : baseFolder + target;
        var segments = new List<string>();
        foreach (var s in path.Split('/'))
        {
            if (s.Length == 0 || s == ".") continue;
            if (s == "..") { if (segments.Count > 0) segments.RemoveAt(segments.Count - 1); continue; }
            segments.Add(s);
        }
        return "/" + string.Join("/", segments);
    }

    /// <summary>Loads a part as XML without DTDs or external resolution.</summary>
    public XmlDocument LoadXml(string partName) => LoadXml(_parts[partName], partName);

    private XmlDocument LoadXml(ZipArchiveEntry entry, string partName)
    {
        try
        {
            using var s = entry.Open();
            return SafeXml.Load(s);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException or IOException)
        {
            throw new InvalidInputException(OoxmlMessages.Resources, "PartMalformed", e, partName, e.Message);
        }
    }

    public void Dispose() => _zip.Dispose();
}

/// <summary>XML loading with DTDs prohibited and no resolver (no XXE, no network).</summary>
internal static class SafeXml
{
    public static XmlDocument Load(Stream s, bool preserveWhitespace = true)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = false };
        using var reader = XmlReader.Create(s, settings);
        var doc = new XmlDocument { PreserveWhitespace = preserveWhitespace, XmlResolver = null };
        doc.Load(reader);
        return doc;
    }

    public static XmlDocument Load(byte[] bytes, bool preserveWhitespace = true)
    {
        using var ms = new MemoryStream(bytes, writable: false);
        return Load(ms, preserveWhitespace);
    }
}
