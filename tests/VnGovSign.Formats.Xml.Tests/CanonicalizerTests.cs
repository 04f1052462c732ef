using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using VnGovSign.Formats.Xml;

namespace VnGovSign.Formats.Xml.Tests;

/// <summary>
/// Differential tests of the own canonicaliser against .NET's XmlDsigC14NTransform/XmlDsigExcC14NTransform:
/// whole documents, document subsets (against what Isolate + .NET gives), and reference octets with the
/// enveloped transform and excluded elements, over the golden files, the sample inputs, the acceptance
/// data and a few hundred random documents. Every comparison is byte for byte and also asserts that the
/// own canonicaliser handled the input (no silent fallback).
/// </summary>
public sealed class CanonicalizerTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _log;
    public CanonicalizerTests(Xunit.Abstractions.ITestOutputHelper log) => _log = log;

    private sealed record Mode(string Algorithm, string? Prefixes)
    {
        public bool Exclusive => Algorithm is XmlDsig.ExcC14N or XmlDsig.ExcC14NWithComments;
        public bool Comments => Algorithm.EndsWith("WithComments", StringComparison.Ordinal);
        public override string ToString() => Algorithm.Substring(Algorithm.LastIndexOf('/') + 1) + (Prefixes is null ? "" : " [" + Prefixes + "]");
    }

    private static readonly Mode[] Modes =
    {
        new(XmlDsig.C14N, null),
        new(XmlDsig.C14NWithComments, null),
        new(XmlDsig.ExcC14N, null),
        new(XmlDsig.ExcC14NWithComments, null),
        new(XmlDsig.ExcC14N, "#default a p ds"),
        new(XmlDsig.ExcC14NWithComments, "b xades tờ q"),
    };

    private const string ExcludedName = "CKYDTU_IVAN";

    /// <summary>Counts of comparisons made, so a test cannot pass by comparing nothing.</summary>
    private sealed class Tally
    {
        public int Documents, Subsets, References, Digests, FallBacks;
        public readonly List<string> Failures = new();
        public void Fail(string what) { if (Failures.Count < 5) Failures.Add(what); else if (Failures.Count == 5) Failures.Add("…"); }
        public int Total => Documents + Subsets + References + Digests;
    }

    private static XmlDocument Parse(string text)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(text), XmlSource.SafeSettings());
        doc.Load(reader);
        return doc;
    }

    private static byte[]? Fast(XmlNode node, Mode m)
    {
        using var ms = new MemoryStream();
        return Canonicalizer.TryWrite(node, m.Exclusive, m.Comments, m.Prefixes, ms) ? ms.ToArray() : null;
    }

    private static byte[] DotNetDocument(XmlDocument doc, Mode m)
    {
        Transform t = m.Exclusive ? new XmlDsigExcC14NTransform(m.Comments, m.Prefixes) : new XmlDsigC14NTransform(m.Comments);
        t.LoadInput(doc);
        using var s = (Stream)t.GetOutput(typeof(Stream));
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static string Show(byte[]? b) => b is null ? "(not handled)" : Encoding.UTF8.GetString(b);

    private static void CompareDocument(XmlDocument doc, string label, Tally tally)
    {
        foreach (var m in Modes)
        {
            var expected = DotNetDocument(doc, m);
            var actual = Fast(doc, m);
            if (actual is null && MayFallBack(doc, m)) { tally.FallBacks++; continue; }
            tally.Documents++;
            if (actual is null || !actual.AsSpan().SequenceEqual(expected))
                tally.Fail($"{label}, whole document, {m}:\n.NET: {Show(expected)}\nours: {Show(actual)}");
        }
    }

    private static void CompareSubset(XmlElement e, string label, Tally tally)
    {
        foreach (var m in Modes)
        {
            var expected = DsigProcessor.DotNetCanonicalizeElement(e, m.Algorithm, m.Prefixes);
            var actual = Fast(e, m);
            if (actual is null && MayFallBack(e, m)) { tally.FallBacks++; continue; }
            tally.Subsets++;
            if (actual is null || !actual.AsSpan().SequenceEqual(expected))
                tally.Fail($"{label}, subset {XmlSignatureValidator.PathOf(e)}, {m}:\n.NET: {Show(expected)}\nours: {Show(actual)}");
        }
    }

    private static void CompareReference(XmlDocument doc, XmlElement signature, XmlElement? target, IReadOnlyList<TransformSpec> transforms, string label, Tally tally,
        bool mustHandle = true)
    {
        var expected = DsigProcessor.DotNetReferenceOctets(doc, signature, target, transforms);
        using var ms = new MemoryStream();
        bool handled = DsigProcessor.TryWriteReference(doc, signature, target, transforms, ms);
        var actual = handled ? ms.ToArray() : null;
        tally.References++;
        var c14n = transforms.Last();
        if (!handled && MayFallBack((XmlNode?)target ?? doc, new Mode(c14n.Algorithm, c14n.InclusivePrefixes))) { tally.FallBacks++; mustHandle = false; }
        string where = target is null ? "URI=\"\"" : XmlSignatureValidator.PathOf(target);
        if (handled ? !actual!.AsSpan().SequenceEqual(expected) : mustHandle)
            tally.Fail($"{label}, reference {where} [{string.Join(", ", transforms.Select(t => t.ExcludedElement ?? t.Algorithm))}]:\n.NET: {Show(expected)}\nours: {Show(actual)}");
        // The public entry point (fast path or fallback) gives .NET's octets and their digest.
        if (!DsigProcessor.ReferenceOctets(doc, signature, target, transforms).AsSpan().SequenceEqual(expected)
            || !DsigProcessor.ReferenceDigest(doc, signature, target, transforms, HashAlgorithmName.SHA256).AsSpan().SequenceEqual(SHA256.HashData(expected)))
            tally.Fail($"{label}, reference {where}: ReferenceOctets/ReferenceDigest differ from .NET");
    }

    /// <summary>
    /// The one documented fallback random input can reach: an empty xml:* attribute under inclusive C14N
    /// (.NET leaves it out, C14N 1.0 renders it; we do not imitate .NET there). Checked broadly: on the
    /// node's ancestors, itself and its descendants.
    /// </summary>
    private static bool MayFallBack(XmlNode node, Mode m)
    {
        if (m.Exclusive) return false;
        var scope = node is XmlDocument d ? d.SelectNodes("//*")! : node.SelectNodes("ancestor-or-self::* | descendant::*")!;
        foreach (XmlElement e in scope)
            foreach (XmlAttribute a in e.Attributes)
                if (a.Prefix == "xml" && a.Value.Length == 0) return true;
        return false;
    }

    private void AssertClean(Tally tally, int minimum)
    {
        _log.WriteLine($"compared byte for byte: {tally.Documents} whole documents, {tally.Subsets} subsets, {tally.References} references, "
            + $"{tally.Digests} digests against DigestValue; {tally.FallBacks} left to .NET as designed");
        Assert.True(tally.Failures.Count == 0, string.Join("\n\n", tally.Failures));
        Assert.True(tally.Total >= minimum, $"only {tally.Total} comparisons");
        Assert.True(tally.FallBacks * 10 <= tally.Total, $"{tally.FallBacks} of {tally.Total} left to .NET");
    }

    private static string TestDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>The checked-in golden outputs, the sample inputs, and the acceptance data.</summary>
    public static IEnumerable<object[]> Files()
    {
        foreach (var f in Directory.GetFiles(TestDir(), "*.verified.xml").OrderBy(x => x, StringComparer.Ordinal)) yield return new object[] { f };
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Data"), "*.xml").OrderBy(x => x, StringComparer.Ordinal)) yield return new object[] { f };
        // The acceptance data beside the checkout (../shared), when it is there.
        var shared = Path.Combine(TestDir(), "../../../shared/acceptance/data");
        if (Directory.Exists(shared))
            foreach (var f in Directory.GetFiles(shared, "*.xml").OrderBy(x => x, StringComparer.Ordinal)) yield return new object[] { Path.GetFullPath(f) };
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Files_canonicalise_as_dotnet_does_whole_every_element_and_every_reference(string path)
    {
        var tally = new Tally();
        var doc = Parse(XmlSource.Decode(File.ReadAllBytes(path), path).Text);
        string label = Path.GetFileName(path);
        CompareDocument(doc, label, tally);
        var elements = doc.SelectNodes("//*")!.Cast<XmlElement>().ToList();
        foreach (var e in elements) CompareSubset(e, label, tally);
        Assert.Equal(elements.Count * Modes.Length, tally.Subsets + tally.FallBacks);

        // Signed files: every reference as the signature states it, and its digest against DigestValue.
        foreach (var sig in doc.GetElementsByTagName("Signature", XmlDsig.Namespace).Cast<XmlElement>().ToList())
        {
            var model = SignatureModel.Parse(sig);
            var ids = DsigProcessor.IndexIds(doc);
            foreach (var r in model.References)
            {
                XmlElement? target = r.Uri.Length == 0 ? null : ids[r.Uri.Substring(1)][0];
                CompareReference(doc, sig, target, r.Transforms, label, tally);
                Assert.Equal(r.DigestValue, DsigProcessor.ReferenceDigest(doc, sig, target, r.Transforms, r.Hash));
                tally.Digests++;
            }
            Assert.Equal(DsigProcessor.DotNetCanonicalizeElement(model.SignedInfo, model.CanonicalizationMethod, model.InclusivePrefixes),
                DsigProcessor.CanonicalizeElement(model.SignedInfo, model.CanonicalizationMethod, model.InclusivePrefixes));
        }
        AssertClean(tally, Modes.Length * 2);
    }

    [Fact]
    public void Acceptance_data_is_among_the_inputs()
    {
        var names = Files().Select(f => (string)f[0]).Where(f => f.Replace('\\', '/').Contains("/acceptance/data/")).ToList();
        // On a clone without ../shared the sample inputs in Data/ (byte-identical copies) stand in.
        if (names.Count == 0) Assert.True(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Data"), "*.xml").Length >= 3);
        else Assert.True(names.Count >= 3, string.Join(", ", names));
    }

    [Fact]
    public void Random_documents_canonicalise_as_dotnet_does()
    {
        var tally = new Tally();
        int parsed = 0;
        for (int seed = 1; seed <= 400; seed++)
        {
            var rnd = new Random(seed);
            string xml = new RandomXml(rnd).Document();
            XmlDocument doc;
            try { doc = Parse(xml); }
            catch (XmlException e) { throw new InvalidOperationException($"seed {seed}: the generator wrote malformed XML ({e.Message}):\n{xml}", e); }
            parsed++;
            string label = "seed " + seed + "\n" + xml + "\n";
            CompareDocument(doc, label, tally);
            var elements = doc.SelectNodes("//*")!.Cast<XmlElement>().ToList();
            for (int k = 0; k < 4; k++) CompareSubset(elements[rnd.Next(elements.Count)], label, tally);
        }
        Assert.Equal(400, parsed);
        AssertClean(tally, 400 * Modes.Length * 5 * 9 / 10);
    }

    [Fact]
    public void Random_references_with_enveloped_and_excluded_elements_match_dotnet()
    {
        var tally = new Tally();
        int handled = 0, total = 0;
        for (int seed = 1001; seed <= 1300; seed++)
        {
            var rnd = new Random(seed);
            var doc = Parse(new RandomXml(rnd).Document());
            var elements = doc.SelectNodes("//*")!.Cast<XmlElement>().ToList();
            var signature = elements.FirstOrDefault(e => e.LocalName == "Signature" && e.NamespaceURI == XmlDsig.Namespace)
                            ?? elements[rnd.Next(elements.Count)];
            var mode = Modes[rnd.Next(Modes.Length)];
            var transforms = new List<TransformSpec> { new(XmlDsig.Enveloped) };
            if (rnd.Next(2) == 0) transforms.Add(new TransformSpec(XmlDsig.XPath, ExcludedElement: ExcludedName));
            transforms.Add(new TransformSpec(mode.Algorithm, mode.Prefixes));
            // URI="", an ancestor of the signature (the usual case), and any element.
            var targets = new List<XmlElement?> { null, signature.ParentNode as XmlElement ?? signature, signature, elements[rnd.Next(elements.Count)] };
            foreach (var target in targets)
            {
                // The whole document with its element left out is left to .NET on purpose.
                bool rootGone = target is null && (ReferenceEquals(signature, doc.DocumentElement) || doc.DocumentElement!.LocalName == ExcludedName && transforms.Count == 3);
                using var probe = new MemoryStream();
                total++;
                if (DsigProcessor.TryWriteReference(doc, signature, target, transforms, probe)) handled++;
                CompareReference(doc, signature, target, transforms, "seed " + seed + "\n" + doc.OuterXml, tally, mustHandle: !rootGone);
            }
            // Only C14N transform (the SignedProperties/extra references).
            CompareReference(doc, signature, elements[rnd.Next(elements.Count)], new[] { new TransformSpec(mode.Algorithm, mode.Prefixes) }, "seed " + seed, tally);
        }
        AssertClean(tally, 300 * 5);
        // Every case but the root-omitted and empty-xml:* ones must be handled (CompareReference checks it); most are.
        Assert.True(handled >= total * 7 / 10, $"{handled} of {total} handled");
    }

    [Fact]
    public void Namespace_edge_cases_match_dotnet()
    {
        string[] cases =
        {
            "<a xmlns=\"urn:a\"><b xmlns=\"\"><c xmlns=\"urn:a\"/></b></a>",
            "<p:a xmlns=\"urn:d\" xmlns:p=\"urn:p\"><b xmlns=\"\"/><p:c/></p:a>",
            "<a xmlns:p=\"urn:p\"><b><p:c xmlns:p=\"urn:q\"><d xmlns:p=\"urn:p\" p:x=\"1\"/></p:c></b></a>",
            "<a xmlns:p=\"urn:p\" xmlns:q=\"urn:p\"><b p:x=\"1\" q:y=\"2\" y=\"3\" x=\"4\"/></a>",
            "<a xml:lang=\"vi\" xml:space=\"preserve\"><b xml:lang=\"en\"><c/></b></a>",
            "<a xmlns=\"urn:a\"><b xmlns=\"urn:a\"><c xmlns=\"urn:b\"><d xmlns=\"\"/></c></b></a>",
            "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo xmlns=\"urn:x\"><ds:CanonicalizationMethod Algorithm=\"a\"/></ds:SignedInfo></ds:Signature>",
            "<a b=\"&#9;&#10;&#13; &quot;&lt;&amp;>'\">&#13;\r\n&amp;&lt;&gt;\"'<![CDATA[<&>]]>]]&gt;</a>",
            "<?pi one?><!--before--><a><?empty?><!--in--></a><!--after--><?pi two  ?>",
            "<a z=\"1\" a=\"2\" xmlns:z=\"urn:z\" z:a=\"3\" xmlns:a=\"urn:a\" a:z=\"4\"/>",
        };
        var tally = new Tally();
        foreach (var c in cases)
        {
            var doc = Parse(c);
            CompareDocument(doc, c, tally);
            foreach (var e in doc.SelectNodes("//*")!.Cast<XmlElement>()) CompareSubset(e, c, tally);
        }
        AssertClean(tally, cases.Length * Modes.Length * 2);
    }

    [Fact]
    public void Entity_references_and_doctype_fall_back_to_dotnet()
    {
        const string xml = "<!DOCTYPE a [<!ENTITY e \"entity text\">]><a xmlns=\"urn:a\"><b>x &e; y</b></a>";
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
#pragma warning disable CS0618 // XmlTextReader keeps entity references as nodes, which no XmlReaderSettings can
        using (var reader = new XmlTextReader(new StringReader(xml)) { DtdProcessing = DtdProcessing.Parse, EntityHandling = EntityHandling.ExpandCharEntities, XmlResolver = null })
#pragma warning restore CS0618
            doc.Load(reader);
        var b = (XmlElement)doc.DocumentElement!.FirstChild!;
        Assert.Contains(b.ChildNodes.Cast<XmlNode>(), n => n is XmlEntityReference);
        foreach (var m in Modes)
        {
            Assert.Null(Fast(doc, m));
            Assert.Null(Fast(b, m));
            Assert.Equal(DsigProcessor.DotNetCanonicalizeElement(b, m.Algorithm, m.Prefixes), DsigProcessor.CanonicalizeElement(b, m.Algorithm, m.Prefixes));
        }
        var transforms = new[] { new TransformSpec(XmlDsig.C14N) };
        Assert.Equal(DsigProcessor.DotNetReferenceOctets(doc, b, null, transforms), DsigProcessor.ReferenceOctets(doc, b, null, transforms));
        Assert.Equal(DsigProcessor.DotNetReferenceOctets(doc, b, b, transforms), DsigProcessor.ReferenceOctets(doc, b, b, transforms));
    }

    [Fact]
    public void A_dom_whose_declarations_disagree_with_its_namespaces_falls_back()
    {
        var doc = Parse("<a xmlns=\"urn:a\"><b/></a>");
        var p = doc.CreateElement("p", "c", "urn:p"); // no xmlns:p attribute anywhere
        doc.DocumentElement!.AppendChild(p);
        foreach (var m in Modes) Assert.Null(Fast(p, m));
        Assert.Equal(DsigProcessor.DotNetCanonicalizeElement(p, XmlDsig.C14N), DsigProcessor.CanonicalizeElement(p, XmlDsig.C14N));
        Assert.NotNull(Fast((XmlElement)doc.DocumentElement.FirstChild!, Modes[0]));
    }

    [Fact]
    public void Signature_as_the_whole_subset_gives_nothing_as_dotnet_does()
    {
        var doc = Parse("<r><x Id=\"a\"><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/></x></r>");
        var sig = (XmlElement)doc.GetElementsByTagName("Signature", XmlDsig.Namespace)[0]!;
        var transforms = new[] { new TransformSpec(XmlDsig.Enveloped), new TransformSpec(XmlDsig.C14N) };
        var tally = new Tally();
        CompareReference(doc, sig, sig, transforms, "signature itself", tally);
        CompareReference(doc, sig, (XmlElement)sig.ParentNode!, transforms, "parent", tally);
        AssertClean(tally, 2);
        Assert.Empty(DsigProcessor.ReferenceOctets(doc, sig, sig, transforms));
        Assert.Equal("<x Id=\"a\"></x>", Encoding.UTF8.GetString(DsigProcessor.ReferenceOctets(doc, sig, (XmlElement)sig.ParentNode!, transforms)));
    }

    [Fact]
    public void Ancestor_xml_attributes_are_inherited_by_inclusive_subsets_only()
    {
        var doc = Parse("<r xmlns=\"urn:r\" xml:lang=\"vi\" xml:space=\"preserve\"><m xml:space=\"default\"><a Id=\"x\"/></m></r>");
        var a = (XmlElement)doc.GetElementsByTagName("a")[0]!;
        Assert.Equal("<a xmlns=\"urn:r\" Id=\"x\" xml:lang=\"vi\" xml:space=\"default\"></a>", Show(Fast(a, Modes[0])));
        Assert.Equal("<a xmlns=\"urn:r\" Id=\"x\"></a>", Show(Fast(a, Modes[2])));
        Assert.Equal(DsigProcessor.DotNetCanonicalizeElement(a, XmlDsig.ExcC14N), Fast(a, Modes[2]));
    }

    /// <summary>Random well-formed documents exercising what canonicalisation has to get right.</summary>
    private sealed class RandomXml
    {
        private static readonly string[] Prefixes = { "a", "b", "p", "q", "ds", "xades", "tờ" };
        private static readonly string[] Uris =
        {
            "urn:a", "urn:b", "http://example.com/ns", XmlDsig.Namespace, XmlDsig.XadesNamespace, "http://example.com/ạ?x=1&y=2", "urn:vn:hóa-đơn",
        };
        private static readonly string[] Names = { "e", "Item", "HDon", "DLHDon", "Signature", ExcludedName, "x-y", "tên", "a.b", "Z" };
        private static readonly string[] AttrNames = { "id", "Id", "a", "b", "z", "tên", "Aa", "_x" };
        private static readonly string[] ValuePieces = { "x", "&amp;", "&lt;", ">", "&quot;", "'", "&#9;", "&#10;", "&#13;", " ", "Hóa đơn", "\t", "\n", "Ủy ban", "]]>" };
        private static readonly string[] TextPieces =
        {
            "abc", "&amp;", "&lt;", "&gt;", ">", "&#13;", "\r\n", "\r", "  ", "\n  ", "Tiếng Việt có dấu", "\"'", "[x]", "&#9;", "&#x10000;", "😀", "\t",
        };
        private readonly Random _r;
        private readonly StringBuilder _sb = new();
        public RandomXml(Random r) => _r = r;

        private T Pick<T>(IReadOnlyList<T> a) => a[_r.Next(a.Count)];
        private bool Chance(int percent) => _r.Next(100) < percent;

        private static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace("\"", "&quot;");

        public string Document()
        {
            if (Chance(50)) _sb.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            if (Chance(50)) _sb.Append('\n');
            TopLevel();
            Element(0, new Dictionary<string, string>(StringComparer.Ordinal));
            TopLevel();
            if (Chance(50)) _sb.Append('\n');
            return _sb.ToString();
        }

        private void TopLevel()
        {
            for (int n = _r.Next(3); n > 0; n--)
            {
                if (Chance(30)) _sb.Append("\n  ");
                if (Chance(50)) Comment(); else Pi();
            }
        }

        private void Comment() => _sb.Append("<!--").Append(Pick(new[] { "", " c ", "Chú thích - đây", "a&b<c>", "\r\nline" })).Append("-->");
        private void Pi() => _sb.Append("<?").Append(Pick(new[] { "pi", "xml-stylesheet", "tgt" })).Append(Pick(new[] { "", " data", " a=\"1\" b", "  spaced  ", " Việt" })).Append("?>");

        private void Element(int depth, Dictionary<string, string> outer)
        {
            var scope = new Dictionary<string, string>(outer, StringComparer.Ordinal);
            var decls = new List<(string Prefix, string Uri)>();
            for (int n = Chance(40) ? _r.Next(1, 4) : 0; n > 0; n--)
            {
                string p = Pick(Prefixes);
                if (decls.Any(d => d.Prefix == p)) continue;
                string u = Chance(30) && scope.TryGetValue(p, out var same) ? same : Pick(Uris);
                decls.Add((p, u));
            }
            if (Chance(25))
            {
                string u = Chance(35) ? "" : Chance(30) && scope.TryGetValue("", out var same) ? same : Pick(Uris);
                decls.Add(("", u));
            }
            foreach (var d in decls) scope[d.Prefix] = d.Uri;
            var bound = scope.Where(kv => kv.Key.Length > 0).Select(kv => kv.Key).ToList();
            string prefix = bound.Count > 0 && Chance(40) ? Pick(bound) : "";
            bool dsig = Chance(8);
            string local = dsig ? "Signature" : Pick(Names);
            if (dsig)
            {
                // A real ds:Signature now and then (prefixed or by default namespace).
                if (Chance(50)) { prefix = "ds"; decls.RemoveAll(d => d.Prefix == "ds"); decls.Add(("ds", XmlDsig.Namespace)); scope["ds"] = XmlDsig.Namespace; }
                else { prefix = ""; decls.RemoveAll(d => d.Prefix == ""); decls.Add(("", XmlDsig.Namespace)); scope[""] = XmlDsig.Namespace; }
            }
            string qname = prefix.Length == 0 ? local : prefix + ":" + local;
            _sb.Append('<').Append(qname);
            var attrs = new List<(string QName, string Value)>();
            var expanded = new HashSet<string>(StringComparer.Ordinal);
            for (int n = _r.Next(4); n > 0; n--)
            {
                string name = Pick(AttrNames);
                string ns = "";
                if (bound.Count > 0 && Chance(35)) { var p = Pick(bound); ns = scope[p]; name = p + ":" + name; }
                if (!expanded.Add(ns + "|" + name.Substring(name.IndexOf(':') + 1)) || attrs.Any(a => a.QName == name)) continue;
                attrs.Add((name, Value()));
            }
            if (Chance(15)) attrs.Add(("xml:lang", Pick(new[] { "vi", "en", "" })));
            if (Chance(10)) attrs.Add(("xml:space", Pick(new[] { "preserve", "default" })));
            // Declarations and attributes in random order, with random whitespace between.
            var parts = decls.Select(d => (d.Prefix.Length == 0 ? "xmlns" : "xmlns:" + d.Prefix) + "=\"" + Esc(d.Uri) + "\"")
                .Concat(attrs.Select(a => a.QName + "=" + (Chance(20) ? "'" + a.Value.Replace("'", "&apos;") + "'" : "\"" + a.Value.Replace("\"", "&quot;") + "\"")))
                .OrderBy(_ => _r.Next()).ToList();
            foreach (var part in parts) _sb.Append(Pick(new[] { " ", "  ", "\n\t" })).Append(part);
            if (depth >= 5 || Chance(15)) { _sb.Append(Chance(50) ? "/>" : " />"); return; }
            _sb.Append('>');
            for (int n = _r.Next(5); n > 0; n--)
            {
                int k = _r.Next(100);
                if (k < 40 && depth < 5) Element(depth + 1, scope);
                else if (k < 70) for (int t = _r.Next(1, 4); t > 0; t--) _sb.Append(Pick(TextPieces));
                else if (k < 78) _sb.Append("<![CDATA[").Append(Pick(new[] { "", " a < b & c > d ", "\r\n]]", "Việt" })).Append("]]>");
                else if (k < 86) Comment();
                else if (k < 92) Pi();
                else _sb.Append(Pick(new[] { " ", "\n", "\n    ", "\t" }));
            }
            _sb.Append("</").Append(qname).Append('>');
        }

        private string Value()
        {
            var sb = new StringBuilder();
            for (int n = _r.Next(4); n > 0; n--) sb.Append(Pick(ValuePieces));
            return sb.ToString().Replace("<", "&lt;");
        }
    }
}

/// <summary>xmlsec1 as the independent judge of subset rendering that .NET's transforms cannot settle.</summary>
[Collection("xml")]
public sealed class CanonicalizerInteropTests
{
    private readonly XmlFixture _f;
    public CanonicalizerInteropTests(XmlFixture f) => _f = f;

    [Theory]
    [InlineData("xades")]   // Exclusive C14N: SignedProperties must not pick up the root's xml:lang
    [InlineData("tax")]     // inclusive C14N: the referenced element inherits it
    public async Task Signature_over_a_document_with_xml_lang_on_the_root_verifies_in_xmlsec1_and_ours(string profile)
    {
        var input = Encoding.UTF8.GetString(XmlFixture.Data("tax-842.xml"));
        int i = input.IndexOf("<HSoThueDTu", StringComparison.Ordinal) + "<HSoThueDTu".Length;
        var signed = await _f.SignAsync(XmlSignatureProfile.FromName(profile), Encoding.UTF8.GetBytes(input.Insert(i, " xml:lang=\"vi\"")));
        var xmlsec = _f.XmlSec(signed);
        Assert.True(xmlsec.ExitCode == 0, xmlsec.StdOut);
        Assert.Equal(VnGovSign.Validation.Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
    }
}
