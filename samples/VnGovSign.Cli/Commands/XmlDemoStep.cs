using System.Text;
using VnGovSign.Formats.Xml;
using VnGovSign.IO;
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
        var ctx = demo.Cli;
        var ct = ctx.CancellationToken;
        var utf8 = new UTF8Encoding(false);
        var options = new SignatureOptions();
        using var leader = demo.Pki.Leader.CreateSigner();
        using var org = demo.Pki.Organization.CreateSigner();

        var invoice = await new XmlSigner(XmlSignatureProfile.EInvoice, options).SignAsync(utf8.GetBytes(EInvoice), org, "hoa-don.xml", ct);
        invoice = await new XmlSigner(XmlSignatureProfile.EInvoiceBuyer, options).SignAsync(invoice, leader, "hoa-don.xml", ct);
        var invoiceSigned = Path.Combine(demo.Directory, "hoa-don.signed.xml");
        await AtomicFile.WriteAllBytesAsync(invoiceSigned, invoice, ct);
        var invoiceReport = await VerifyCommand.VerifyAsync(invoiceSigned, null, demo.Validator, ctx);

        var xades = await new XmlSigner(XmlSignatureProfile.XadesEnveloped, options).SignAsync(utf8.GetBytes(TaxDeclaration), leader, "to-khai-842.xml", ct);
        var xadesSigned = Path.Combine(demo.Directory, "to-khai-842.xades.xml");
        await AtomicFile.WriteAllBytesAsync(xadesSigned, xades, ct);
        var xadesReport = await VerifyCommand.VerifyAsync(xadesSigned, null, demo.Validator, ctx);

        bool ok = invoiceReport.Indication != Indication.TotalFailed && invoiceReport.Signatures.Count == 2
                  && xadesReport.Indication != Indication.TotalFailed && xadesReport.Signatures.Count == 1;
        string result = "einvoice NBan+NMua " + Describe(invoiceReport) + " (" + invoiceReport.Signatures.Count + "), XAdES B-B " + Describe(xadesReport);
        return new DemoCommand.DemoRow("XMLDSig e-invoice, XAdES", Path.GetFileName(invoiceSigned) + ", " + Path.GetFileName(xadesSigned), result, ok);
    }

    public static async Task<DemoCommand.DemoRow> RunAsync(DemoCommand.DemoContext demo)
    {
        var ctx = demo.Cli;
        var ct = ctx.CancellationToken;
        var utf8 = new UTF8Encoding(false);
        var options = new SignatureOptions();
        using var leader = demo.Pki.Leader.CreateSigner();
        using var org = demo.Pki.Organization.CreateSigner();

        // Tax declaration: signed, verified, and a changed amount must be caught.
        var tax = Path.Combine(demo.Directory, "to-khai-842.xml");
        await AtomicFile.WriteAllBytesAsync(tax, utf8.GetBytes(TaxDeclaration), ct);
        var taxSigned = Path.Combine(demo.Directory, "to-khai-842.signed.xml");
        byte[] signedBytes = await new XmlSigner(XmlSignatureProfile.Tax, options).SignAsync(utf8.GetBytes(TaxDeclaration), leader, "to-khai-842.xml", ct);
        await AtomicFile.WriteAllBytesAsync(taxSigned, signedBytes, ct);
        var taxReport = await VerifyCommand.VerifyAsync(taxSigned, null, demo.Validator, ctx);

        var tampered = Path.Combine(demo.Directory, "to-khai-842.tampered.xml");
        await AtomicFile.WriteAllBytesAsync(tampered, utf8.GetBytes(utf8.GetString(signedBytes).Replace("<ct22>15000000<", "<ct22>95000000<")), ct);
        var tamperedReport = await VerifyCommand.VerifyAsync(tampered, null, demo.Validator, ctx);

        // BHXH: the unit signs, the I-VAN countersigns, both must stay valid.
        var bhxh = await new XmlSigner(XmlSignatureProfile.Bhxh, options).SignAsync(utf8.GetBytes(BhxhFiling), org, "d02-ts.xml", ct);
        bhxh = await new XmlSigner(XmlSignatureProfile.BhxhIvan, options).SignAsync(bhxh, leader, "d02-ts.xml", ct);
        var bhxhSigned = Path.Combine(demo.Directory, "d02-ts.signed.xml");
        await AtomicFile.WriteAllBytesAsync(bhxhSigned, bhxh, ct);
        var bhxhReport = await VerifyCommand.VerifyAsync(bhxhSigned, null, demo.Validator, ctx);

        bool ok = taxReport.Indication != Indication.TotalFailed && tamperedReport.Indication == Indication.TotalFailed
                  && bhxhReport.Indication != Indication.TotalFailed && bhxhReport.Signatures.Count == 2;
        string result = "tax " + Describe(taxReport) + ", tampered " + Describe(tamperedReport) + ", BHXH+I-VAN " + Describe(bhxhReport)
                        + " (" + bhxhReport.Signatures.Count + ")";
        return new DemoCommand.DemoRow("XMLDSig tax, BHXH", Path.GetFileName(taxSigned), result, ok);
    }

    private static string Describe(ValidationReport report)
    {
        var worst = report.Signatures.FirstOrDefault(s => s.Indication == report.Indication);
        return ValidationReport.EtsiName(report.Indication)
               + (worst is null || worst.SubIndication == SubIndication.None ? "" : "/" + ValidationReport.EtsiName(worst.SubIndication));
    }
}
