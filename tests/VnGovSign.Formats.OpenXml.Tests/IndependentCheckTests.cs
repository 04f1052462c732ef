using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using VnGovSign.Tests;

namespace VnGovSign.Formats.OpenXml.Tests;

/// <summary>
/// Every sigN.xml checked outside our validator. xmlsec1 (1.2.37 here) verifies the SignatureValue, the certificate
/// path to the test root, the three SignedInfo references (#idPackageObject, #idOfficeObject, #idSignedProperties)
/// and **every Manifest reference**: the package is unzipped with Info-ZIP's unzip and each reference URI
/// ("/word/document.xml?ContentType=…", an OPC part name, not a file xmlsec1 could find by itself) is mapped to the
/// extracted file with --url-map; xmlsec1 implements the OPC Relationship transform itself
/// (http://schemas.openxmlformats.org/package/2006/RelationshipTransform) for the relationships parts. XML-DSig
/// leaves Manifest results to the application (xmlsec1 still exits 0 when one fails), so the test reads
/// "Manifests References (ok/all): n/n", and shows that a changed part and a changed signed relationship make it
/// n-1/n. Each Manifest digest is also recomputed a third way here with .NET (SHA-256 of the bytes read from the zip; for
/// relationships parts the transform written with LINQ to XML, then .NET's XmlDsigC14NTransform). One input xmlsec1
/// cannot check: a signed relationship whose attribute holds '&amp;' (xmlsec1's transform output is not escaped and its
/// own XML parser then fails); for it the test asserts that precise failure and relies on the .NET recomputation.
/// </summary>
[Collection("pki")]
public sealed class IndependentCheckTests
{
    private readonly PkiFixture _f;
    public IndependentCheckTests(PkiFixture f) => _f = f;

    public static IEnumerable<object[]> Cases() => new[]
    {
        new object[] { "docx", "leader" }, new object[] { "xlsx", "leader" }, new object[] { "pptx", "leader" },
        new object[] { "docx", "leader-ec" }, new object[] { "fixed", "org" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Xmlsec1_verifies_SignedInfo_and_each_manifest_digest_recomputes(string kind, string who)
    {
        var input = kind switch { "docx" => OfficeFiles.Docx(), "xlsx" => OfficeFiles.Xlsx(), "pptx" => OfficeFiles.Pptx(), _ => OfficeFiles.FixedDocx() };
        var identity = who switch { "leader-ec" => _f.Pki.LeaderEc, "org" => _f.Pki.Organization, _ => _f.Pki.Leader };
        using var signer = identity.CreateSigner();
        var signed = await new OoxmlSigner().SignAsync(input, signer);
        // A second signature too, so sig2.xml goes through the same checks.
        using var second = _f.Pki.Organization.CreateSigner();
        signed = await new OoxmlSigner().SignAsync(signed, second);

        var dir = Directory.CreateTempSubdirectory("ooxml-xmlsec").FullName;
        try
        {
            var root = Path.Combine(dir, "root.pem");
            File.WriteAllText(root, _f.Pki.Root.Certificate.ExportCertificatePem());
            var pkg = Path.Combine(dir, "pkg");
            var zipFile = Path.Combine(dir, "signed.zip");
            File.WriteAllBytes(zipFile, signed);
            var unzip = ExternalTool.Run("unzip", "-q", "-o", zipFile, "-d", pkg);
            Assert.True(unzip.ExitCode == 0, unzip.All);
            foreach (var sigName in new[] { "_xmlsignatures/sig1.xml", "_xmlsignatures/sig2.xml" })
            {
                var sigBytes = Zip.Read(signed, sigName);
                var file = Path.Combine(pkg, sigName);
                var (args, refs) = Xmlsec1Args(sigBytes, pkg, root, file);
                Assert.True(refs.Count >= 3, $"{sigName}: only {refs.Count} manifest references");
                int checkedRefs = CheckManifestIndependently(signed, sigBytes);
                Assert.Equal(refs.Count, checkedRefs);

                var r = ExternalTool.Run("xmlsec1", args);
                Assert.True(kind == "fixed" || r.ExitCode == 0, sigName + ": " + r.All); // only the fixed docx has '&' in a signed relationship
                if (r.ExitCode != 0)
                {
                    // The one case xmlsec1 cannot check, and why: its Relationship transform writes attribute values
                    // unescaped, so the XML parser it runs before C14N stops at a signed relationship whose Target
                    // holds '&' (the fixed docx's hyperlink https://example.invalid/a?b=1&amp;c=2). Those digests are
                    // the ones CheckManifestIndependently recomputed above; xmlsec1 still checks SignedInfo.
                    Assert.True(refs.Any(x => x.Part.EndsWith(".rels", StringComparison.Ordinal)
                                              && File.ReadAllText(Path.Combine(pkg, x.Part.TrimStart('/'))).Contains("&amp;")), r.All);
                    Assert.Contains("EntityRef: expecting ';'", r.All);
                    var signedInfoOnly = ExternalTool.Run("xmlsec1", new[] { "--verify", "--ignore-manifests" }.Concat(args.Skip(1)).ToArray());
                    Assert.True(signedInfoOnly.ExitCode == 0, sigName + ": " + signedInfoOnly.All);
                    Assert.Contains("SignedInfo References (ok/all): 3/3", signedInfoOnly.All);
                    continue;
                }
                Assert.Contains("SignedInfo References (ok/all): 3/3", r.All);
                Assert.Contains($"Manifests References (ok/all): {refs.Count}/{refs.Count}", r.All);

                // xmlsec1 must say no to a changed part and to a changed signed relationship (the check can fail).
                var plain = refs.First(x => !x.Part.EndsWith(".rels", StringComparison.Ordinal)).Part;
                var plainFile = Path.Combine(pkg, plain.TrimStart('/'));
                var original = File.ReadAllBytes(plainFile);
                File.WriteAllBytes(plainFile, original.Concat(new byte[] { (byte)' ' }).ToArray());
                var changedPart = ExternalTool.Run("xmlsec1", args);
                File.WriteAllBytes(plainFile, original);
                Assert.Contains($"Manifests References (ok/all): {refs.Count - 1}/{refs.Count}", changedPart.All);

                var rootRels = Path.Combine(pkg, "_rels", ".rels");
                var rels = File.ReadAllText(rootRels);
                var relsDoc = XDocument.Parse(rels);
                var officeDocument = relsDoc.Root!.Elements().Single(e => (string?)e.Attribute("Type") == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument");
                officeDocument.SetAttributeValue("Target", (string)officeDocument.Attribute("Target")! + ".evil");
                var moved = relsDoc.ToString(SaveOptions.DisableFormatting);
                Assert.NotEqual(rels, moved);
                File.WriteAllText(rootRels, moved);
                var changedRels = ExternalTool.Run("xmlsec1", args);
                File.WriteAllText(rootRels, rels);
                Assert.Contains($"Manifests References (ok/all): {refs.Count - 1}/{refs.Count}", changedRels.All);
            }

            // xmlsec1 must also say no when the signed XML is touched (the test can fail).
            var tampered = Encoding.UTF8.GetString(Zip.Read(signed, "_xmlsignatures/sig1.xml")).Replace("<mdssi:Value>2", "<mdssi:Value>1");
            var bad = Path.Combine(dir, "bad.xml");
            File.WriteAllText(bad, tampered);
            var rb = ExternalTool.Run("xmlsec1", "--verify", "--ignore-manifests", "--trusted-pem", root,
                "--id-attr:Id", "Object", "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", bad);
            Assert.NotEqual(0, rb.ExitCode);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>xmlsec1's arguments for one signature part, with every Manifest reference URI mapped to the unzipped part.</summary>
    private static (string[] Args, List<(string Uri, string Part)> Refs) Xmlsec1Args(byte[] sigXml, string pkg, string root, string file)
    {
        var sig = XDocument.Load(new MemoryStream(sigXml));
        XNamespace ds = "http://www.w3.org/2000/09/xmldsig#";
        var refs = sig.Descendants(ds + "Manifest").Elements(ds + "Reference").Select(r => r.Attribute("URI")!.Value)
            .Select(u => (Uri: u, Part: u.Substring(0, u.IndexOf('?')))).ToList();
        var args = new List<string> { "--verify", "--trusted-pem", root,
            "--id-attr:Id", "Object", "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties" };
        foreach (var (uri, part) in refs)
        {
            var path = Path.Combine(pkg, part.TrimStart('/'));
            Assert.True(File.Exists(path), path);
            args.Add("--url-map:" + uri);
            args.Add(path);
        }
        args.Add(file);
        return (args.ToArray(), refs);
    }

    /// <summary>Recomputes every Manifest reference's digest from the zip; returns how many were checked.</summary>
    private static int CheckManifestIndependently(byte[] package, byte[] sigXml)
    {
        var sig = XDocument.Load(new MemoryStream(sigXml), LoadOptions.PreserveWhitespace);
        XNamespace ds = "http://www.w3.org/2000/09/xmldsig#";
        XNamespace mdssi = "http://schemas.openxmlformats.org/package/2006/digital-signature";
        int n = 0;
        foreach (var r in sig.Descendants(ds + "Manifest").Elements(ds + "Reference"))
        {
            var uri = r.Attribute("URI")!.Value;
            var entry = uri.Substring(1, uri.IndexOf('?') - 1);
            Assert.Equal("http://www.w3.org/2001/04/xmlenc#sha256", r.Element(ds + "DigestMethod")!.Attribute("Algorithm")!.Value);
            var expected = r.Element(ds + "DigestValue")!.Value;
            var bytes = Zip.Read(package, entry);
            var transforms = r.Element(ds + "Transforms")?.Elements(ds + "Transform").ToList();
            byte[] data;
            if (transforms is null) data = bytes;
            else
            {
                Assert.Equal("http://schemas.openxmlformats.org/package/2006/RelationshipTransform", transforms[0].Attribute("Algorithm")!.Value);
                Assert.Equal("http://www.w3.org/TR/2001/REC-xml-c14n-20010315", transforms[1].Attribute("Algorithm")!.Value);
                var ids = transforms[0].Elements(mdssi + "RelationshipReference").Select(e => e.Attribute("SourceId")!.Value).ToHashSet();
                data = IndependentRelationshipTransform(bytes, ids);
            }
            Assert.Equal(expected, Convert.ToBase64String(SHA256.HashData(data)));
            n++;
        }
        return n;
    }

    /// <summary>ECMA-376 Part 2 §13.2.4.24 written a second way: filter, keep four attributes, default TargetMode, sort by Id, then .NET's C14N.</summary>
    internal static byte[] IndependentRelationshipTransform(byte[] rels, ISet<string> ids)
    {
        XNamespace pr = "http://schemas.openxmlformats.org/package/2006/relationships";
        var src = XDocument.Load(new MemoryStream(rels));
        var kept = src.Root!.Elements(pr + "Relationship").Where(e => ids.Contains((string)e.Attribute("Id")!))
            .OrderBy(e => (string)e.Attribute("Id")!, StringComparer.Ordinal)
            .Select(e => new XElement(pr + "Relationship",
                new XAttribute("Id", (string)e.Attribute("Id")!), new XAttribute("Type", (string)e.Attribute("Type")!),
                new XAttribute("Target", (string)e.Attribute("Target")!),
                new XAttribute("TargetMode", (string?)e.Attribute("TargetMode") ?? "Internal")));
        var doc = new XmlDocument();
        doc.LoadXml(new XElement(pr + "Relationships", kept).ToString(SaveOptions.DisableFormatting));
        var t = new XmlDsigC14NTransform();
        t.LoadInput(doc);
        using var s = (Stream)t.GetOutput(typeof(Stream));
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Relationship_transform_matches_the_independent_one_on_tricky_input()
    {
        var rels = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\" xmlns:x=\"urn:x\">\n"
            + "  <Relationship Type=\"t&amp;&lt;&quot;q\" Target=\"b.xml\" Id=\"rId10\" x:extra=\"1\"/>\n"
            + "  <Relationship Id=\"rId2\" TargetMode=\"External\" Target=\"http://e/?a=1&amp;b=2\" Type=\"t2\"/>\n"
            + "  <Relationship Id=\"rId3\" Target=\"skip.xml\" Type=\"t3\"/>\n"
            + "  <Relationship Id=\"rId1\" Target=\"a&#9;b.xml\" Type=\"t1\"></Relationship>\n</Relationships>");
        var ids = new HashSet<string> { "rId10", "rId2", "rId1" };
        var doc = new XmlDocument { PreserveWhitespace = true };
        doc.Load(new MemoryStream(rels));
        var ours = RelationshipTransform.Apply(doc, ids);
        Assert.Equal(Encoding.UTF8.GetString(IndependentRelationshipTransform(rels, ids)), Encoding.UTF8.GetString(ours));
        Assert.StartsWith("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\"", Encoding.UTF8.GetString(ours));
        Assert.DoesNotContain("skip.xml", Encoding.UTF8.GetString(ours));
    }
}
