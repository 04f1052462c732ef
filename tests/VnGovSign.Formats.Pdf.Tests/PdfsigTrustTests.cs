namespace VnGovSign.Formats.Pdf.Tests;

/// <summary>
/// pdfsig judging the certificates too, not only the signature value: with the test root trusted in its NSS database
/// and its own OCSP request to the loopback responder, the leader and the organisation are "Trusted" and the revoked
/// person is "Revoked". This checks our certificate profile and OCSP responder with an independent PKIX (NSS).
/// </summary>
[Collection("pdf")]
public sealed class PdfsigTrustTests
{
    private readonly PdfFixture _f;
    public PdfsigTrustTests(PdfFixture f) => _f = f;

    [Fact]
    public async Task Pdfsig_with_ocsp_trusts_leader_and_organization()
    {
        var signed = await _f.SignAsync(PdfFiles.Classic(), _f.Pki.Leader);
        signed = await _f.SignAsync(signed, _f.Pki.Organization);
        var verdict = _f.PdfsigWithOcsp(signed);
        Assert.Equal(2, PdfFixture.Count(verdict, "Signature is Valid"));
        Assert.Equal(2, PdfFixture.Count(verdict, "Certificate is Trusted"));
    }

    [Fact]
    public async Task Pdfsig_with_ocsp_reports_the_revoked_signer_revoked()
    {
        var signed = await _f.SignAsync(PdfFiles.Classic(), _f.Pki.Revoked);
        var verdict = _f.PdfsigWithOcsp(signed);
        Assert.Contains("Signature is Valid", verdict);
        Assert.Contains("Certificate has been Revoked", verdict);
        Assert.DoesNotContain("Certificate is Trusted", verdict);
    }
}
