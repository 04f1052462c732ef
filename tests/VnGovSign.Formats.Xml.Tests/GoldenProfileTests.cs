using VnGovSign.Formats.Xml;

namespace VnGovSign.Formats.Xml.Tests;

/// <summary>Golden files (fixed clock and key): the exact XML each profile produces.</summary>
[Collection("xml")]
public sealed class GoldenProfileTests
{
    private readonly XmlFixture _f;
    public GoldenProfileTests(XmlFixture f) => _f = f;

    [Theory]
    [InlineData("einvoice", "einvoice.xml")]
    [InlineData("einvoice-buyer", "einvoice.xml")]
    [InlineData("bhxh", "bhxh-d02.xml")]
    [InlineData("xades", "tax-842.xml")]
    public async Task Profile_output_is_byte_stable_with_fixed_clock_and_key(string profile, string input)
    {
        var signed = await _f.SignAsync(XmlSignatureProfile.FromName(profile), XmlFixture.Data(input));
        VnGovSign.Tests.GoldenFile.VerifyBytes(signed, profile + ".signed", "xml");
        Assert.Equal(VnGovSign.Validation.Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
    }

    [Fact]
    public async Task Bhxh_unit_then_ivan_is_byte_stable()
    {
        var unit = await _f.SignAsync(XmlSignatureProfile.Bhxh, XmlFixture.Data("bhxh-d02.xml"), _f.Organization);
        var both = await _f.SignAsync(XmlSignatureProfile.BhxhIvan, unit);
        VnGovSign.Tests.GoldenFile.VerifyBytes(both, "bhxh-ivan.signed", "xml");
        var report = await _f.ValidateAsync(both);
        Assert.Equal(2, report.Signatures.Count);
        Assert.Equal(VnGovSign.Validation.Indication.TotalPassed, report.Indication);
    }
}
