// Sample: an integrator signs a tax declaration (HSoThueDTu, signature in CKyDTu) and a BHXH filing
// (BaoHiemDienTu, signature in CKyDTu/CKYDTU_DVI) with a key on a PKCS#11 token, then verifies both.
//
//   dotnet run --project samples/TaxAndInsuranceXml -- MODULE TOKEN PIN KEY TAX.xml TAX.signed.xml [BHXH.xml BHXH.signed.xml] [CAS.pem]
//
// MODULE is the token's PKCS#11 library (Ban Cơ yếu bit4id: bit4ipki.dll / libbit4xpki.dylib; SafeNet: libeTPkcs11.so …).
// CAS.pem (optional) holds the issuing CA and root certificates: the sub-CA goes into KeyInfo, the root is trusted
// for the verification; without it the built-in Vietnamese roots are used. The BHXH pair defaults to data/bhxh-d02.xml.
//
// Without a real token, the same run against SoftHSM2 and the test PKI (Debian paths; each step is offline):
//   export SOFTHSM2_CONF=$PWD/softhsm2.conf; mkdir -p tokens; echo "directories.tokendir = $PWD/tokens" > softhsm2.conf
//   softhsm2-util --init-token --free --label VNGOVSIGN --pin 123456 --so-pin 12345678
//   M=/usr/lib/softhsm/libsofthsm2.so; V="dotnet run --project samples/VnGovSign.Cli --"
//   $V pki init --out pki
//   $V token keygen --module $M --token VNGOVSIGN --pin 123456 --key ke-toan
//   $V token csr --module $M --token VNGOVSIGN --pin 123456 --key ke-toan --subject "CN=Nguyễn Thị Kế Toán,O=Công ty TNHH Thử nghiệm,C=VN" --out ke-toan.csr
//   $V pki issue --dir pki --csr ke-toan.csr --out ke-toan.pem
//   $V token import-cert --module $M --token VNGOVSIGN --pin 123456 --key ke-toan --cert ke-toan.pem
//   cat pki/ca.pem pki/root.pem > cas.pem
//   dotnet run --project samples/TaxAndInsuranceXml -- $M VNGOVSIGN 123456 ke-toan samples/TaxAndInsuranceXml/data/tax-842.xml tax.signed.xml cas.pem
// SOFTHSM2_CONF must be exported before the process starts (the native module reads the C environment). Run so on
// 2026-12-04 (SoftHSM2 2.6.1): both files VALID, and xmlsec1 accepts both. Without `$V pki serve --dir pki` running,
// the revocation check cannot reach the test OCSP/CRL and the report says so in warnings (soft-fail).
using System.Globalization;
using VnGovSign;
using VnGovSign.Formats.Xml;
using VnGovSign.IO;
using VnGovSign.Pkcs11;
using VnGovSign.Trust;
using VnGovSign.Validation;

if (args.Length is not (6 or 7 or 8 or 9))
{
    Console.Error.WriteLine("usage: MODULE TOKEN PIN KEY TAX.xml TAX.signed.xml [BHXH.xml BHXH.signed.xml] [CAS.pem]");
    return 64;
}
var vi = new CultureInfo("vi-VN");
string taxIn = args[4], taxOut = args[5];
string bhxhIn = Path.Combine(AppContext.BaseDirectory, "data", "bhxh-d02.xml");
string bhxhOut = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(taxOut))!, "bhxh-d02.signed.xml");
if (args.Length >= 8) (bhxhIn, bhxhOut) = (args[6], args[7]);
string? casFile = args.Length is 7 or 9 ? args[^1] : null;

try
{
    // The CA certificates: issuers go into KeyInfo (so a receiver builds the path offline), self-signed ones are trusted.
    var cas = casFile is null ? Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>() : CertificateFiles.Load(casFile).ToArray();
    var roots = cas.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToList();
    TrustStore trust = roots.Count > 0 ? TrustStore.Empty.With(roots) : TrustStore.BuiltIn(TrustWorld.ChuyenDung | TrustWorld.CongCong);

    // 1. Open the token once: one login, the key found by label, its certificate read from the token.
    //    A wrong PIN is never retried (Ban Cơ yếu tokens lock after 3).
    using var signer = await Pkcs11Signer.OpenAsync(new Pkcs11SignerOptions
    {
        ModulePath = args[0], TokenLabel = args[1], Pin = args[2], KeyLabel = args[3],
        Chain = cas.Length > 0 ? cas : null,
    });
    Console.WriteLine($"Token: {signer.Certificate.Subject}");

    // 2. Sign each file under its receiver's profile. The bytes outside the new ds:Signature are never re-serialised.
    //    RSA-SHA256 PKCS#1 v1.5 by default; SignatureOptions { Hash = SHA1 } only for a receiver that still needs it.
    await SignAsync(XmlSignatureProfile.Tax, taxIn, taxOut);     // HSoKhaiThue by @id, Signature in CKyDTu
    await SignAsync(XmlSignatureProfile.Bhxh, bhxhIn, bhxhOut);  // URI="" (CKYDTU_IVAN left out), Signature in CKyDTu/CKYDTU_DVI

    // 3. Verify both as the receiver would: every signature, what it covers, the path (revocation online, soft-fail).
    var validator = new XmlSignatureValidator(new CertificateValidator(trust, ValidationPolicy.Default));
    bool ok = true;
    foreach (var file in new[] { taxOut, bhxhOut })
    {
        var report = await validator.ValidateAsync(await File.ReadAllBytesAsync(file), Path.GetFileName(file));
        Console.WriteLine(report.ToText(vi));
        Console.WriteLine(report.ToText(Messages.English));
        ok &= report.Indication == Indication.TotalPassed;
    }
    return ok ? 0 : 1;

    async Task SignAsync(XmlSignatureProfile profile, string input, string output)
    {
        var xml = new XmlSigner(profile, new SignatureOptions());
        xml.CheckOptions();                                         // before the token is asked
        var signed = await xml.SignAsync(await File.ReadAllBytesAsync(input), signer, Path.GetFileName(input));
        await AtomicFile.WriteAllBytesAsync(output, signed);       // whole or not at all
        Console.WriteLine($"Signed ({profile.Name}): {output}");
    }
}
catch (VnGovSignException e)
{
    // Every failure is typed and worded in Vietnamese and English (wrong PIN, token absent, not a tax file…).
    Console.Error.WriteLine(e.GetMessage(vi));
    Console.Error.WriteLine(e.GetMessage(Messages.English));
    return e switch { WrongPinException or TokenLockedException => 77, TokenException or ServiceUnavailableException => 69, InvalidInputException => 65, _ => 70 };
}
