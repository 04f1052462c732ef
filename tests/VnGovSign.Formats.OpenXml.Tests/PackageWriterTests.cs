using System.IO.Compression;
using VnGovSign.Tests;
using VnGovSign.Validation;

namespace VnGovSign.Formats.OpenXml.Tests;

/// <summary>
/// The signed package is written by copying unchanged entries compressed as they are (no inflate/deflate);
/// checked with Python's zipfile and Info-ZIP's unzip, and against the general (re-deflating) writer.
/// </summary>
[Collection("pki")]
public sealed class PackageWriterTests
{
    private readonly PkiFixture _f;
    public PackageWriterTests(PkiFixture f) => _f = f;

    private const string RawEntries = """
import sys, zipfile, json
def raw(path):
    out = {}
    with open(path, 'rb') as f: data = f.read()
    z = zipfile.ZipFile(path)
    assert z.testzip() is None
    for i in z.infolist():
        o = i.header_offset
        n = int.from_bytes(data[o+26:o+28], 'little'); x = int.from_bytes(data[o+28:o+30], 'little')
        start = o + 30 + n + x
        out[i.filename] = data[start:start + i.compress_size].hex()
    return out
print(json.dumps({'in': raw(sys.argv[1]), 'out': raw(sys.argv[2])}))
""";

    [Theory]
    [InlineData("docx")]
    [InlineData("xlsx")]
    [InlineData("pptx")]
    public async Task Unchanged_entries_keep_their_compressed_bytes_and_the_archive_tests_clean(string kind)
    {
        var input = kind switch { "docx" => OfficeFiles.Docx(), "xlsx" => OfficeFiles.Xlsx(2000), _ => OfficeFiles.Pptx() };
        using var signer = _f.Pki.Leader.CreateSigner();
        var once = await new OoxmlSigner().SignAsync(input, signer);
        var twice = await new OoxmlSigner().SignAsync(once, signer);
        var dir = Directory.CreateTempSubdirectory("ooxml-zip").FullName;
        try
        {
            var a = Path.Combine(dir, "in." + kind);
            var b = Path.Combine(dir, "once." + kind);
            var c = Path.Combine(dir, "twice." + kind);
            var script = Path.Combine(dir, "raw.py");
            File.WriteAllBytes(a, input);
            File.WriteAllBytes(b, once);
            File.WriteAllBytes(c, twice);
            File.WriteAllText(script, RawEntries);
            foreach (var f in new[] { b, c })
            {
                var t = ExternalTool.Run("unzip", "-tq", f);
                Assert.True(t.ExitCode == 0 && t.All.Contains("No errors detected"), t.All);
            }

            foreach (var (from, to, rewritten) in new[]
                     {
                         (a, b, new[] { "[Content_Types].xml", "_rels/.rels" }),
                         (b, c, new[] { "[Content_Types].xml", "_xmlsignatures/_rels/origin.sigs.rels" }),
                     })
            {
                var r = ExternalTool.Run("python3", script, from, to);
                Assert.True(r.ExitCode == 0, r.All);
                using var json = System.Text.Json.JsonDocument.Parse(r.StdOut);
                var before = json.RootElement.GetProperty("in").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
                var after = json.RootElement.GetProperty("out").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
                int same = 0;
                foreach (var (name, bytes) in before)
                {
                    Assert.True(after.ContainsKey(name), name);
                    if (rewritten.Contains(name)) continue;
                    Assert.True(bytes == after[name], name + ": compressed bytes differ");
                    same++;
                }
                Assert.True(same >= 2, $"{same} entries compared");
                Assert.Equal(before.Keys.Where(k => !k.StartsWith("_xmlsignatures/", StringComparison.Ordinal)),
                    after.Keys.Where(k => !k.StartsWith("_xmlsignatures/", StringComparison.Ordinal) && before.ContainsKey(k)));
            }
        }
        finally { Directory.Delete(dir, true); }

        var report = await _f.OoxmlValidator.ValidateAsync(twice, kind);
        Assert.Equal(2, report.Signatures.Count);
        Assert.Equal(Indication.TotalPassed, report.Indication);
    }

    [Fact]
    public async Task Raw_copy_and_general_writer_give_the_same_package_content()
    {
        var input = OfficeFiles.Docx();
        using var signer = _f.Pki.Leader.CreateSigner();
        var ooxml = new OoxmlSigner();
        var prepared = await ooxml.PrepareAsync(new MemoryStream(input), signer.Certificate, signer.Chain, signer.KeyAlgorithm);
        var value = await signer.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding);
        var viaRaw = new MemoryStream();
        await ooxml.CompleteAsync(prepared, new MemoryStream(input), viaRaw, value);

        // The same signature XML written by the general writer (every entry inflated and deflated again).
        var sigXml = Zip.Read(viaRaw.ToArray(), "_xmlsignatures/sig1.xml");
        var general = new MemoryStream();
        using (var ms = new MemoryStream(input, writable: false))
        using (var package = OpcPackage.Open(ms, "general"))
            PackageWriter.Write(package, general, prepared.SignaturePartName, sigXml, input: null);

        var rawNames = Zip.Names(viaRaw.ToArray());
        Assert.Equal(Zip.Names(general.ToArray()), rawNames);
        foreach (var name in rawNames)
            Assert.True(Zip.Read(general.ToArray(), name).AsSpan().SequenceEqual(Zip.Read(viaRaw.ToArray(), name)), name);
        Assert.Equal(Indication.TotalPassed, (await _f.OoxmlValidator.ValidateAsync(general.ToArray(), "general")).Indication);
        Assert.Equal(Indication.TotalPassed, (await _f.OoxmlValidator.ValidateAsync(viaRaw.ToArray(), "raw")).Indication);
    }

    [Fact]
    public void Crc32_matches_the_zip_reader()
    {
        var data = System.Text.Encoding.UTF8.GetBytes("Kế hoạch triển khai chữ ký số 2027");
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        using (var s = zip.CreateEntry("a.txt").Open()) s.Write(data);
        // The central directory record's CRC-32, written by System.IO.Compression.
        var bytes = ms.ToArray();
        int cd = bytes.AsSpan().LastIndexOf(new byte[] { 0x50, 0x4B, 0x01, 0x02 });
        Assert.Equal(BitConverter.ToUInt32(bytes, cd + 16), ZipRawCopy.Crc32(data));
    }
}
