using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using P = DocumentFormat.OpenXml.Presentation;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;
using D = DocumentFormat.OpenXml.Drawing;

namespace VnGovSign.Formats.OpenXml.Tests;

/// <summary>Small Word, Excel and PowerPoint files made with DocumentFormat.OpenXml, as a user's files would be.</summary>
internal static class OfficeFiles
{
    public const string DocxText = "Kế hoạch triển khai chữ ký số chuyên dùng năm 2027";

    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    public static byte[] Docx(bool withImage = true)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new W.Document(new W.Body(
                new W.Paragraph(new W.Run(new W.Text(DocxText))),
                new W.Paragraph(new W.Run(new W.Text("Ủy ban nhân dân tỉnh Tây Ninh — số 123/KH-UBND")))));
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new W.Styles(new W.Style(new W.StyleName { Val = "Normal" }) { Type = W.StyleValues.Paragraph, StyleId = "Normal", Default = true });
            if (withImage)
            {
                var image = main.AddImagePart(ImagePartType.Png);
                using var png = new MemoryStream(Png);
                image.FeedData(png);
            }
            doc.PackageProperties.Creator = "Văn thư";
            doc.PackageProperties.Title = "Kế hoạch 2027";
        }
        return ms.ToArray();
    }

    /// <summary>A docx with fixed part contents and relationship Ids (DocumentFormat.OpenXml makes random Ids): for the golden file.</summary>
    public static byte[] FixedDocx()
    {
        var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string xml)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(new System.Text.UTF8Encoding(false).GetBytes(xml));
            }
            const string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
            Add("[Content_Types].xml", decl + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>");
            Add("_rels/.rels", decl + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>");
            Add("word/document.xml", decl + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>" + DocxText + "</w:t></w:r></w:p></w:body></w:document>");
            Add("word/_rels/document.xml.rels", decl + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"https://example.invalid/a?b=1&amp;c=2\" TargetMode=\"External\"/></Relationships>");
            Add("word/styles.xml", decl + "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style></w:styles>");
            Add("docProps/core.xml", decl + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Kế hoạch 2027</dc:title></cp:coreProperties>");
        }
        return ms.ToArray();
    }

    public static byte[] Xlsx(int rows = 20)
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var ws = wb.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (uint r = 1; r <= rows; r++)
                data.Append(new Row(new S.Cell { CellValue = new CellValue(("Khoản chi " + r)), DataType = CellValues.String },
                                    new S.Cell { CellValue = new CellValue((r * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)), DataType = CellValues.Number })
                { RowIndex = r });
            ws.Worksheet = new Worksheet(data);
            wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(ws), SheetId = 1, Name = "Dự toán" }));
        }
        return ms.ToArray();
    }

    public static byte[] Pptx()
    {
        using var ms = new MemoryStream();
        using (var doc = PresentationDocument.Create(ms, PresentationDocumentType.Presentation))
        {
            var pres = doc.AddPresentationPart();
            pres.Presentation = new P.Presentation();
            var slide = pres.AddNewPart<SlidePart>();
            slide.Slide = new Slide(new CommonSlideData(new ShapeTree(
                new P.NonVisualGroupShapeProperties(new P.NonVisualDrawingProperties { Id = 1, Name = "" }, new P.NonVisualGroupShapeDrawingProperties(), new ApplicationNonVisualDrawingProperties()),
                new GroupShapeProperties(new D.TransformGroup()),
                new P.Shape(new P.NonVisualShapeProperties(new P.NonVisualDrawingProperties { Id = 2, Name = "Tiêu đề" }, new P.NonVisualShapeDrawingProperties(), new ApplicationNonVisualDrawingProperties()),
                    new P.ShapeProperties(), new P.TextBody(new D.BodyProperties(), new D.Paragraph(new D.Run(new D.Text("Báo cáo tổng kết 2027"))))))));
            pres.Presentation.SlideIdList = new SlideIdList(new SlideId { Id = 256, RelationshipId = pres.GetIdOfPart(slide) });
        }
        return ms.ToArray();
    }
}
