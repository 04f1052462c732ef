using System.Text;
using VnGovSign.Formats.Xml;
using VnGovSign.IO;
using VnGovSign.Testing;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>
/// Demo step: a small tax declaration signed with the tax profile (Signature in HSoThueDTu/CKyDTu), a BHXH
/// filing signed by the unit and countersigned by the I-VAN, each verified offline; a changed amount must fail.
/// A second step: an e-invoice signed by the seller and then the buyer, and a XAdES B-B signature.
/// </summary>
internal static class XmlDemoStep
{
    internal const string TaxDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\">\n"
        + "  <HSoKhaiThue id=\"ID_1\">\n"
        + "    <TTinChung><TTinTKhaiThue><TKhaiThue><maTKhai>842</maTKhai><tenTKhai>Tờ khai thuế giá trị gia tăng (mẫu 01/GTGT)</tenTKhai>"
        + "<KyKKhaiThue><kieuKy>Q</kieuKy><kyKKhai>4/2026</kyKKhai></KyKKhaiThue></TKhaiThue>"
        + "<NNT><mst>0100109106</mst><tenNNT>Công ty TNHH Thử nghiệm Chữ ký số</tenNNT></NNT></TTinTKhaiThue></TTinChung>\n"
        + "    <CTieuTKhaiChinh><ct22>15000000</ct22><ct23>1500000</ct23></CTieuTKhaiChinh>\n"
        + "  </HSoKhaiThue>\n"
        + "</HSoThueDTu>\n";

    internal const string BhxhFiling = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<BaoHiemDienTu>\n  <Hoso><NoiDung><D02-TS><MaDonVi>TA0001A</MaDonVi><TenDonVi>Công ty TNHH Thử nghiệm</TenDonVi>"
        + "<LaoDong><HoTen>Nguyễn Thị Hằng</HoTen><MucLuong>9500000</MucLuong></LaoDong></D02-TS></NoiDung></Hoso>\n"
        + "  <CKyDTu><CKYDTU_DVI/><CKYDTU_IVAN/></CKyDTu>\n</BaoHiemDienTu>\n";

    internal const string EInvoice = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<HDon>\n  <DLHDon Id=\"DLHDon-3900123456-C26TAA-0000123\">\n"
        + "    <TTChung><PBan>2.1.0</PBan><THDon>Hóa đơn giá trị gia tăng</THDon><KHHDon>C26TAA</KHHDon><SHDon>123</SHDon><NLap>2026-11-20</NLap></TTChung>\n"
        + "    <NDHDon><NBan><Ten>Công ty TNHH Thương mại Hòa Thành</Ten><MST>3900123456</MST></NBan>"
        + "<NMua><Ten>Ủy ban nhân dân huyện Gò Dầu</Ten><MST>3900987654</MST></NMua>"
        + "<TToan><TgTTTBSo>11440000</TgTTTBSo><TgTTTBChu>Mười một triệu bốn trăm bốn mươi nghìn đồng</TgTTTBChu></TToan></NDHDon>\n"
        + "  </DLHDon>\n  <DSCKS><NBan/><NMua/></DSCKS>\n</HDon>\n";

    /// <summary>E-invoice: the seller (organisation) signs into DSCKS/NBan, the buyer (leader) into DSCKS/NMua; XAdES B-B of the declaration.</summary>
    public static async Task<DemoCommand.DemoRow> RunEInvoiceAndXadesAsync(DemoCommand.DemoContext demo)
    {
        var pki = demo.Pki;
        var (invoiceSigned, _, invoiceReport) = await SignWriteVerifyAsync(demo, "hoa-don.signed.xml", EInvoice,
            (XmlSignatureProfile.EInvoice, pki.Organization), (XmlSignatureProfile.EInvoiceBuyer, pki.Leader));
        var (xadesSigned, _, xadesReport) = await SignWriteVerifyAsync(demo, "to-khai-842.xades.xml", TaxDeclaration, (XmlSignatureProfile.XadesEnveloped, pki.Leader));

        bool ok = invoiceReport.Indication != Indication.TotalFailed && invoiceReport.Signatures.Count == 2
                  && xadesReport.Indication != Indication.TotalFailed && xadesReport.Signatures.Count == 1;
        string result = "einvoice NBan+NMua " + Describe(invoiceReport) + " (" + invoiceReport.Signatures.Count + "), XAdES B-B " + Describe(xadesReport);
        return new DemoCommand.DemoRow("XMLDSig e-invoice, XAdES", Path.GetFileName(invoiceSigned) + ", " + Path.GetFileName(xadesSigned), result, ok);
    }

    public static async Task<DemoCommand.DemoRow> RunAsync(DemoCommand.DemoContext demo)
    {
        var ctx = demo.Cli;
        var pki = demo.Pki;
        var utf8 = new UTF8Encoding(false);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(demo.Directory, "to-khai-842.xml"), utf8.GetBytes(TaxDeclaration), ctx.CancellationToken);

        // Tax declaration: signed, verified, and a changed amount must be caught.
        var (taxSigned, signedBytes, taxReport) = await SignWriteVerifyAsync(demo, "to-khai-842.signed.xml", TaxDeclaration, (XmlSignatureProfile.Tax, pki.Leader));
        var tampered = Path.Combine(demo.Directory, "to-khai-842.tampered.xml");
        await AtomicFile.WriteAllBytesAsync(tampered, utf8.GetBytes(utf8.GetString(signedBytes).Replace("<ct22>15000000<", "<ct22>95000000<")), ctx.CancellationToken);
        var tamperedReport = await VerifyCommand.VerifyAsync(tampered, null, demo.Validator, ctx);

        // BHXH: the unit signs, the I-VAN countersigns, both must stay valid.
        var (_, _, bhxhReport) = await SignWriteVerifyAsync(demo, "d02-ts.signed.xml", BhxhFiling,
            (XmlSignatureProfile.Bhxh, pki.Organization), (XmlSignatureProfile.BhxhIvan, pki.Leader));

        bool ok = taxReport.Indication != Indication.TotalFailed && tamperedReport.Indication == Indication.TotalFailed
                  && bhxhReport.Indication != Indication.TotalFailed && bhxhReport.Signatures.Count == 2;
        string result = "tax " + Describe(taxReport) + ", tampered " + Describe(tamperedReport) + ", BHXH+I-VAN " + Describe(bhxhReport)
                        + " (" + bhxhReport.Signatures.Count + ")";
        return new DemoCommand.DemoRow("XMLDSig tax, BHXH", Path.GetFileName(taxSigned), result, ok);
    }

    /// <summary>Signs <paramref name="document"/> with each (profile, signer) in turn, writes it to <paramref name="output"/> and verifies it as `verify` would.</summary>
    private static async Task<(string Path, byte[] Bytes, ValidationReport Report)> SignWriteVerifyAsync(DemoCommand.DemoContext demo, string output, string document,
        params (XmlSignatureProfile Profile, TestIdentity Who)[] signatures)
    {
        var ct = demo.Cli.CancellationToken;
        byte[] bytes = new UTF8Encoding(false).GetBytes(document);
        foreach (var (profile, who) in signatures)
        {
            using var signer = who.CreateSigner();
            bytes = await new XmlSigner(profile, new SignatureOptions()).SignAsync(bytes, signer, output, ct);
        }
        var path = Path.Combine(demo.Directory, output);
        await AtomicFile.WriteAllBytesAsync(path, bytes, ct);
        return (path, bytes, await VerifyCommand.VerifyAsync(path, null, demo.Validator, demo.Cli));
    }

    private static string Describe(ValidationReport report)
    {
        var worst = report.Signatures.FirstOrDefault(s => s.Indication == report.Indication);
        return ValidationReport.EtsiName(report.Indication)
               + (worst is null || worst.SubIndication == SubIndication.None ? "" : "/" + ValidationReport.EtsiName(worst.SubIndication));
    }
}
