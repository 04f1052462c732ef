using System.Text;
using System.Xml;

namespace VnGovSign.Formats.OpenXml;

/// <summary>
/// The Relationship transform of ECMA-376 Part 2 (§13.2.4.24), which .NET lacks: it keeps only the
/// relationships selected by Id (<c>mdssi:RelationshipReference SourceId</c>) or by type
/// (<c>mdssi:RelationshipsGroupReference SourceType</c>), keeps only their Id, Target, TargetMode and
/// Type attributes (TargetMode defaults to Internal), sorts them by Id, and drops everything else.
/// <see cref="Apply"/> returns the transform's result already in Canonical XML 1.0 form, which is what
/// the C14N transform that follows it in every Office manifest reference produces.
/// </summary>
public static class RelationshipTransform
{
    /// <summary>The transform's algorithm URI.</summary>
    public const string Algorithm = OpcNames.RelationshipTransformAlgorithm;

    /// <summary>Applies the transform (followed by C14N) to a relationships part.</summary>
    /// <param name="relationshipsPart">The XML of the relationships part.</param>
    /// <param name="sourceIds">Ids of the relationships to keep.</param>
    /// <param name="sourceTypes">Types whose relationships are all kept.</param>
    /// <returns>The UTF-8 canonical octets that are digested.</returns>
    /// <exception cref="XmlException">The part is not well-formed XML.</exception>
    public static byte[] Apply(XmlDocument relationshipsPart, IEnumerable<string> sourceIds, IEnumerable<string>? sourceTypes = null)
    {
        if (relationshipsPart is null) throw new ArgumentNullException(nameof(relationshipsPart));
        var ids = new HashSet<string>(sourceIds ?? Array.Empty<string>(), StringComparer.Ordinal);
        var types = new HashSet<string>(sourceTypes ?? Array.Empty<string>(), StringComparer.Ordinal);
        var kept = new SortedDictionary<string, XmlElement>(StringComparer.Ordinal);
        var root = relationshipsPart.DocumentElement;
        if (root is not null)
        {
            foreach (var el in root.ChildNodes.OfType<XmlElement>())
            {
                if (el.LocalName != "Relationship" || el.NamespaceURI != OpcNames.RelationshipsNamespace) continue;
                var id = el.GetAttribute("Id");
                if (ids.Contains(id) || types.Contains(el.GetAttribute("Type")))
                    kept[id] = el; // a duplicate Id is invalid OPC: the last one wins, as in a dictionary
            }
        }
        var sb = new StringBuilder();
        sb.Append("<Relationships xmlns=\"").Append(OpcNames.RelationshipsNamespace).Append("\">");
        foreach (var kv in kept)
        {
            var el = kv.Value;
            var mode = el.HasAttribute("TargetMode") ? el.GetAttribute("TargetMode") : "Internal";
            // C14N orders attributes without a namespace by local name: Id, Target, TargetMode, Type.
            sb.Append("<Relationship Id=\"").Append(Escape(kv.Key))
              .Append("\" Target=\"").Append(Escape(el.GetAttribute("Target")))
              .Append("\" TargetMode=\"").Append(Escape(mode))
              .Append("\" Type=\"").Append(Escape(el.GetAttribute("Type")))
              .Append("\"></Relationship>");
        }
        sb.Append("</Relationships>");
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    // Canonical XML 1.0 attribute value escaping.
    private static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\t': sb.Append("&#x9;"); break;
                case '\n': sb.Append("&#xA;"); break;
                case '\r': sb.Append("&#xD;"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
