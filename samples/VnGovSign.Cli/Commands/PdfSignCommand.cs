using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using VnGovSign.Formats.Pdf;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Revocation;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>
/// <c>vngovsign sign pdf IN OUT SIGNER [--level L] [--tsa URL] [--appearance leader|organization|attachment|copy|none]
/// [--image PNG] [--page N] [--rect X,Y,W,H] [--anchor-text TEXT] [--field NAME] [--certify] [--reason TEXT] [--location TEXT] [--doc-number TEXT]</c>:
/// a PAdES signature added by incremental update (earlier signatures stay valid). With <c>--anchor-text</c> the leader or
/// organisation box is centred under that text (e.g. the title <c>CHỦ TỊCH</c>) and <c>--rect</c> gives only its size.
/// </summary>
internal static class PdfSignCommand
{
    public static Command Create()
    {
        var args = new SignArguments();
        var appearance = new Option<string?>("--appearance") { Description = "Hình thức chữ ký (Nghị định 30) / visible form: leader | organization | attachment | copy | none" };
        var image = new Option<string?>("--image") { Description = "Ảnh chữ ký (xanh) hoặc con dấu (đỏ), PNG nền trong suốt / signature or seal image (PNG, transparent)" };
        var page = new Option<int?>("--page") { Description = "Trang đặt chữ ký (từ 1) / page number (from 1)" };
        var rect = new Option<string?>("--rect") { Description = "Vị trí X,Y,W,H (điểm); với --anchor-text chỉ là kích thước W,H / box X,Y,W,H in points; with --anchor-text only the size W,H" };
        var anchorText = new Option<string?>("--anchor-text")
        {
            Description = "Đặt chữ ký căn giữa ngay dưới dòng chữ này trên trang, ví dụ \"CHỦ TỊCH\" (leader, organization); khi đó --rect là W,H "
                + "(X,Y,W,H cũng được, X,Y bị bỏ qua; mặc định 170,60), --page giới hạn trang tìm (mặc định: mọi trang, lấy chỗ đầu tiên); "
                + "không tìm thấy thì báo lỗi và không ghi tệp / centre the signature just under this text on the page, e.g. \"CHỦ TỊCH\" "
                + "(leader, organization); --rect then gives only W,H (X,Y,W,H accepted, X,Y ignored; default 170,60), --page limits the "
                + "search (default: every page, first match); not found = error, no output written",
        };
        var field = new Option<string?>("--field") { Description = "Tên ô chữ ký (ô trống có sẵn hoặc ô mới) / signature field name (existing empty one or new)" };
        var certify = new Option<bool>("--certify") { Description = "Chữ ký chứng thực (DocMDP P=2: chỉ cho phép điền biểu mẫu và ký tiếp) / certification signature (DocMDP P=2)" };
        var reason = new Option<string?>("--reason") { Description = "Lý do ký / reason" };
        var location = new Option<string?>("--location") { Description = "Nơi ký / location" };
        var docNumber = new Option<string?>("--doc-number") { Description = "Số, ký hiệu văn bản (attachment, copy) / document number and symbol" };
        var cmd = new Command("pdf", "Ký PDF theo PAdES bằng cập nhật tăng dần (Nghị định 30) / PAdES signature by incremental update (Decree 30)");
        args.AddTo(cmd);
        foreach (var o in new Option[] { appearance, image, page, rect, anchorText, field, certify, reason, location, docNumber }) cmd.Options.Add(o);
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var (input, output) = args.Files(ctx);
            var options = args.Options(ctx);
            var look = PdfSignatureAppearance.FromOptions(ctx.Get(appearance), ctx.Get(image), ctx.Get(page), ctx.Get(rect), ctx.Get(docNumber),
                anchorText: ctx.Get(anchorText));
            var signer = await args.Signer.CreateAsync(ctx);
            var parameters = new PdfSignatureParameters
            {
                FieldName = ctx.Get(field),
                Reason = ctx.Get(reason),
                Location = ctx.Get(location),
                Certification = ctx.Get(certify) ? DocMdpPermissions.FormFilling : null,
                Appearance = look,
            };
            var pades = new PadesSigner(options) { ValidationDataSource = PdfValidationData.Online() };
            await pades.SignAsync(input, output, signer, parameters, ctx.CancellationToken);
            ctx.Out.WriteLine(ctx.Text("Signed", output, signer.Certificate.Subject, SignatureLevels.Name(options.Level)));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

/// <summary>Where B-LT and B-LTA get their validation data on the command line: online OCSP/CRL through Core's collector.</summary>
internal static class PdfValidationData
{
    /// <summary>
    /// Collects the path, OCSP responses and CRLs of a certificate. The anchors are the built-in Vietnamese roots plus
    /// any self-signed certificate the signature itself carries: this only decides what data to fetch and embed;
    /// whether that root is trusted is decided at verification.
    /// </summary>
    public static Func<X509Certificate2, IReadOnlyList<X509Certificate2>, CancellationToken, Task<ValidationData>> Online() =>
        async (certificate, extra, ct) =>
        {
            var roots = extra.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToList();
            var trust = TrustStore.BuiltIn(TrustWorld.ChuyenDung | TrustWorld.CongCong).With(roots)
                .WithIntermediates(extra.Where(c => !roots.Contains(c)));
            var collector = new ValidationDataCollector(trust, ValidationPolicy.Default with { Revocation = RevocationMode.Online });
            return await collector.CollectAsync(certificate, extra, ct).ConfigureAwait(false);
        };
}
