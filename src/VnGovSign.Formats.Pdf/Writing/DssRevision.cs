using VnGovSign.Formats.Pdf.Parsing;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Pdf.Writing;

/// <summary>The Document Security Store (ETSI EN 319 142-1 §5.4.2): /Certs, /OCSPs, /CRLs as streams, merged with any existing DSS.</summary>
internal static class DssRevision
{
    public static IncrementalUpdate Build(PdfFile f, ValidationData data)
    {
        var u = new IncrementalUpdate(f);
        var catalog = f.Catalog.Clone();
        var oldDss = f.ResolveDictionary(catalog["DSS"]);
        var dss = new PdfDictionary();
        dss["Type"] = new PdfName("DSS");
        if (oldDss is not null) foreach (var e in oldDss.Entries) dss[e.Key] = e.Value;
        Merge(f, u, dss, "Certs", data.Certificates);
        Merge(f, u, dss, "OCSPs", data.OcspResponses);
        Merge(f, u, dss, "CRLs", data.Crls);
        if (catalog["DSS"] is PdfReference r) u.Replace(r.Number, dss);
        else
        {
            catalog["DSS"] = new PdfReference(u.Add(dss));
            u.Replace(f.CatalogNumber, catalog);
        }
        return u;
    }

    private static void Merge(PdfFile f, IncrementalUpdate u, PdfDictionary dss, string key, IList<byte[]> items)
    {
        var array = new PdfArray((f.Resolve(dss[key]) as PdfArray)?.Items ?? new List<PdfObject>());
        var present = new List<byte[]>();
        foreach (var item in array.Items)
            if (f.Resolve(item) is PdfStream s) present.Add(f.Decode(s, "DSS /" + key));
        foreach (var item in items)
        {
            if (present.Any(p => p.AsSpan().SequenceEqual(item))) continue;
            present.Add(item);
            array.Items.Add(new PdfReference(u.Add(new PdfStream(new PdfDictionary(), item))));
        }
        if (array.Count > 0) dss[key] = array;
    }
}
