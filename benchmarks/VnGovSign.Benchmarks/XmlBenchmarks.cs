using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using BenchmarkDotNet.Attributes;
using VnGovSign;
using VnGovSign.Formats.Xml;
using VnGovSign.Testing;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Benchmarks;

/// <summary>
/// XML signing and verification of a ~20 KB tax declaration (tax profile: HSoKhaiThue by id, Signature in
/// CKyDTu) and a ~5 MB e-invoice (einvoice profile: DLHDon by Id + SigningTime, into DSCKS/NBan),
/// beside the least any XML signer must do, in the same run: SHA-256 of the signed element's canonical
/// bytes plus one raw RSA-2048 sign (the baseline), and the same with the canonicalisation included
/// (.NET's XmlDsigC14NTransform, and the package's own canonicaliser hashing as it writes).
/// Verification is integrity and path without revocation (no network in a benchmark).
/// </summary>
[MemoryDiagnoser]
public class XmlBenchmarks
{
    private byte[] _document = Array.Empty<byte>();
    private byte[] _signed = Array.Empty<byte>();
    private byte[] _canonical = Array.Empty<byte>();
    private XmlElement _content = null!;
    private SoftwareSigner _signer = null!;
    private RSA _rsa = null!;
    private XmlSigner _xml = null!;
    private XmlSignatureValidator _validator = null!;

    [Params("tax-20KB", "einvoice-5MB")]
    public string Input { get; set; } = "tax-20KB";

    [GlobalSetup]
    public async Task Setup()
    {
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var pki = TestPki.Create(new TestPkiOptions { Seed = 7, Now = now });
        _signer = pki.Leader.CreateSigner();
        using (var cert = X509CertificateLoader.LoadPkcs12(pki.Leader.ExportPfx("b"), "b")) _rsa = cert.GetRSAPrivateKey()!;
        bool tax = Input.StartsWith("tax", StringComparison.Ordinal);
        _document = tax ? TaxDeclaration(20 * 1024) : EInvoice(5 * 1024 * 1024);
        _xml = new XmlSigner(tax ? XmlSignatureProfile.Tax : XmlSignatureProfile.EInvoice, new SignatureOptions());
        _validator = new XmlSignatureValidator(new CertificateValidator(TrustStore.Empty.With(new[] { pki.Root.Certificate }),
            ValidationPolicy.Default with { Revocation = RevocationMode.None, ValidationTime = now.AddDays(1) }));
        _signed = await _xml.SignAsync(_document, _signer, Input);
        var report = await _validator.ValidateAsync(_signed, Input);
        if (report.Indication != Indication.TotalPassed) throw new InvalidOperationException("setup: the signed document does not verify");
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        doc.LoadXml(Encoding.UTF8.GetString(_document));
        _content = (XmlElement)doc.DocumentElement!.FirstChild!.NextSibling!; // HSoKhaiThue / DLHDon
        _canonical = Canonicalize(_content);
        if (!DsigProcessor.ReferenceDigest(doc, _content, _content, new[] { new TransformSpec(XmlDsig.C14N) }, HashAlgorithmName.SHA256).AsSpan().SequenceEqual(SHA256.HashData(_canonical)))
            throw new InvalidOperationException("setup: the own canonicaliser and .NET's disagree");
    }

    private static byte[] Canonicalize(XmlElement e)
    {
        var copy = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        copy.AppendChild(copy.ImportNode(e, true));
        var t = new XmlDsigC14NTransform();
        t.LoadInput(copy);
        using var s = (Stream)t.GetOutput(typeof(Stream));
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Benchmark(Baseline = true, Description = "SHA-256 of the canonical element + one raw RSA sign")]
    public byte[] HashAndSign() => _rsa.SignHash(SHA256.HashData(_canonical), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "C14N of the element + SHA-256 + one raw RSA sign")]
    public byte[] CanonicalizeHashAndSign() => _rsa.SignHash(SHA256.HashData(Canonicalize(_content)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "Own C14N of the element into SHA-256 + one raw RSA sign")]
    public byte[] OwnCanonicalizeHashAndSign() =>
        _rsa.SignHash(DsigProcessor.ReferenceDigest(_content.OwnerDocument, _content, _content, new[] { new TransformSpec(XmlDsig.C14N) }, HashAlgorithmName.SHA256),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "XmlSigner.SignAsync (profile, byte-preserving)")]
    public Task<byte[]> Sign() => _xml.SignAsync(_document, _signer, Input);

    [Benchmark(Description = "XmlSignatureValidator.ValidateAsync (no revocation)")]
    public Task<ValidationReport> Verify() => _validator.ValidateAsync(_signed, Input);

    /// <summary>A tax declaration (01/GTGT shape) padded with appendix lines to about <paramref name="size"/> bytes.</summary>
    internal static byte[] TaxDeclaration(int size)
    {
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\">\n  <HSoKhaiThue id=\"ID_1\">\n");
        sb.Append("    <TTinChung><TTinTKhaiThue><TKhaiThue><maTKhai>842</maTKhai><tenTKhai>Tờ khai thuế giá trị gia tăng</tenTKhai></TKhaiThue>")
          .Append("<NNT><mst>0100109106</mst><tenNNT>Công ty TNHH Thử nghiệm Chữ ký số</tenNNT></NNT></TTinTKhaiThue></TTinChung>\n")
          .Append("    <CTieuTKhaiChinh><ct22>15000000</ct22><ct23>1500000</ct23></CTieuTKhaiChinh>\n    <PLuc>\n");
        for (int i = 1; sb.Length < size - 200; i++)
            sb.Append("      <BKeHDon><stt>").Append(i.ToString(CultureInfo.InvariantCulture)).Append("</stt><kyHieu>C26TAA</kyHieu><soHDon>")
              .Append((1000 + i).ToString(CultureInfo.InvariantCulture)).Append("</soHDon><tenNguoiBan>Công ty Cổ phần Đầu tư Hòa Bình</tenNguoiBan><giaTri>1250000</giaTri></BKeHDon>\n");
        sb.Append("    </PLuc>\n  </HSoKhaiThue>\n</HSoThueDTu>\n");
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    /// <summary>An e-invoice (Decision 1450 shape) with as many goods lines as make about <paramref name="size"/> bytes.</summary>
    internal static byte[] EInvoice(int size)
    {
        var sb = new StringBuilder(size + 4096);
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon>\n  <DLHDon Id=\"DLHDon-3900123456-C26TAA-0000123\">\n")
          .Append("    <TTChung><PBan>2.1.0</PBan><THDon>Hóa đơn giá trị gia tăng</THDon><KHHDon>C26TAA</KHHDon><SHDon>123</SHDon><NLap>2026-11-20</NLap></TTChung>\n")
          .Append("    <NDHDon><NBan><Ten>Công ty TNHH Thương mại Hòa Thành</Ten><MST>3900123456</MST></NBan><NMua><Ten>Ủy ban nhân dân huyện Gò Dầu</Ten></NMua>\n      <DSHHDVu>\n");
        for (int i = 1; sb.Length < size - 400; i++)
            sb.Append("        <HHDVu><TChat>1</TChat><STT>").Append(i.ToString(CultureInfo.InvariantCulture))
              .Append("</STT><THHDVu>Thiết bị ký số (token) FIPS 140-2 mức 2</THHDVu><DVTinh>Cái</DVTinh><SLuong>1</SLuong><DGia>650000</DGia><ThTien>650000</ThTien><TSuat>10%</TSuat></HHDVu>\n");
        sb.Append("      </DSHHDVu>\n    </NDHDon>\n  </DLHDon>\n  <DSCKS><NBan/><NMua/></DSCKS>\n</HDon>\n");
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }
}
