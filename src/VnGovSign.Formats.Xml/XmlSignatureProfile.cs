namespace VnGovSign.Formats.Xml;

/// <summary>How the signing time is carried.</summary>
public enum SigningTimeStyle
{
    /// <summary>No signing time.</summary>
    None,
    /// <summary>ds:Object/SignatureProperties/SignatureProperty/SigningTime in Vietnam local time (yyyy-MM-ddTHH:mm:ss), signed by its own Reference.</summary>
    SignatureProperty,
    /// <summary>XAdES SignedProperties/SignedSignatureProperties/SigningTime (UTC, xs:dateTime).</summary>
    Xades,
}

/// <summary>What a profile signs: a child element of the anchor referenced by Id, or (when <see cref="ContentName"/> is null) the whole document.</summary>
/// <param name="AnchorName">Local name of the element the profile hangs on (the root, or HDon anywhere).</param>
/// <param name="ContentName">Local name of the signed child of the anchor; null for URI="".</param>
/// <param name="IdAttribute">The Id attribute's name on the content ("id" for tax declarations, "Id" elsewhere).</param>
/// <param name="DefaultId">The Id written when the content has none.</param>
public sealed record XmlContentRule(string AnchorName, string? ContentName, string IdAttribute = "Id", string DefaultId = "ID_1");

/// <summary>
/// A declarative description of where and how an XML signature is made: what is referenced, which
/// transforms, where the ds:Signature goes, its Ids, KeyInfo content and the signing-time property.
/// The built-in profiles are the ones Vietnamese receivers accept; make variants with <c>with</c>.
/// </summary>
public sealed record XmlSignatureProfile
{
    /// <summary>The profile's name as given on the command line.</summary>
    public string Name { get; init; } = "";
    /// <summary>Accepted anchors and their content (first matching rule wins).</summary>
    public IReadOnlyList<XmlContentRule> Content { get; init; } = Array.Empty<XmlContentRule>();
    /// <summary>True when the anchor may sit anywhere (an e-invoice wrapped in TDiep/DLieu); false: it is the root.</summary>
    public bool AnchorAnywhere { get; init; }
    /// <summary>Local names from the anchor to the element that receives the ds:Signature ("" = the anchor itself).</summary>
    public string ContainerPath { get; init; } = "";
    /// <summary>Create missing container elements (in the anchor's namespace).</summary>
    public bool CreateContainer { get; init; } = true;
    /// <summary>Id of the ds:Signature ("" for none); made unique when taken.</summary>
    public string SignatureId { get; init; } = "";
    /// <summary>How the signing time is carried.</summary>
    public SigningTimeStyle SigningTime { get; init; } = SigningTimeStyle.SignatureProperty;
    /// <summary>Id of the ds:Object that holds the SignatureProperties.</summary>
    public string ObjectId { get; init; } = "SigningTime";
    /// <summary>Id of the SignatureProperties element (the reference then points at it instead of the object).</summary>
    public string? PropertiesId { get; init; }
    /// <summary>Canonicalisation of SignedInfo and of the references.</summary>
    public string Canonicalization { get; init; } = XmlDsig.C14N;
    /// <summary>Elements (by local name) whose content a later countersignature fills, left out of the whole-document reference.</summary>
    public IReadOnlyList<string> ExcludedElements { get; init; } = Array.Empty<string>();
    /// <summary>Further children of the anchor referenced by their Id (the tax authority's MCCQT).</summary>
    public IReadOnlyList<string> ExtraReferences { get; init; } = Array.Empty<string>();
    /// <summary>Write KeyInfo/KeyValue (RSA) besides X509Data, as the tax and BHXH tools do.</summary>
    public bool IncludeKeyValue { get; init; }
    /// <summary>Write X509SubjectName in X509Data.</summary>
    public bool IncludeSubjectName { get; init; } = true;
    /// <summary>Make a XAdES signature (SignedProperties; levels B-T and above add unsigned properties).</summary>
    public bool Xades { get; init; }

    private static readonly XmlContentRule[] TaxRoots =
    {
        new("HSoThueDTu", "HSoKhaiThue", "id"),
        new("TBaoThueDTu", "TBaoThue", "id"),
        new("DKyThueDTu", "DKyThue", "id"),
        new("TKhai", "DLTKhai"),
        new("TBao", "DLTBao"),
        new("DNghi", "DLDNghi"),
    };

    /// <summary>Tax declarations and related tax messages: content by id, enveloped, Signature in CKyDTu.</summary>
    public static XmlSignatureProfile Tax { get; } = new()
    {
        Name = "tax", Content = TaxRoots, ContainerPath = "CKyDTu", SignatureId = "sig-NNT", ObjectId = "SigningTime-NNT",
        IncludeKeyValue = true,
    };

    /// <summary>E-invoice, seller's signature: DLHDon by Id + SigningTime, into DSCKS/NBan.</summary>
    public static XmlSignatureProfile EInvoice { get; } = new()
    {
        Name = "einvoice", Content = new[] { new XmlContentRule("HDon", "DLHDon", "Id", "DLHDon") }, AnchorAnywhere = true,
        ContainerPath = "DSCKS/NBan", SignatureId = "NBan-sig", ObjectId = "NBan-SigningTime",
    };

    /// <summary>E-invoice, buyer's signature into DSCKS/NMua.</summary>
    public static XmlSignatureProfile EInvoiceBuyer { get; } = EInvoice with
    {
        Name = "einvoice-buyer", ContainerPath = "DSCKS/NMua", SignatureId = "NMua-sig", ObjectId = "NMua-SigningTime",
    };

    /// <summary>E-invoice, the tax authority's signature: DLHDon, MCCQT and SigningTime into DSCKS/CQT.</summary>
    public static XmlSignatureProfile EInvoiceTaxAuthority { get; } = EInvoice with
    {
        Name = "einvoice-cqt", ContainerPath = "DSCKS/CQT", SignatureId = "CQT-sig", ObjectId = "CQT-SigningTime",
        ExtraReferences = new[] { "MCCQT" },
    };

    private static readonly XmlContentRule[] BhxhRoots =
        { new("BaoHiemDienTu", null), new("BHXH", null), new("Envelope", null) };

    /// <summary>BHXH filing, the unit's signature: URI="" enveloped (leaving CKYDTU_IVAN out) into CKyDTu/CKYDTU_DVI.</summary>
    public static XmlSignatureProfile Bhxh { get; } = new()
    {
        Name = "bhxh", Content = BhxhRoots, ContainerPath = "CKyDTu/CKYDTU_DVI", SignatureId = "sigid", ObjectId = "SigningTime-DVI",
        PropertiesId = "proid", ExcludedElements = new[] { "CKYDTU_IVAN" }, IncludeKeyValue = true,
    };

    /// <summary>BHXH filing, the I-VAN provider's countersignature over everything into CKyDTu/CKYDTU_IVAN.</summary>
    public static XmlSignatureProfile BhxhIvan { get; } = Bhxh with
    {
        Name = "bhxh-ivan", ContainerPath = "CKyDTu/CKYDTU_IVAN", SignatureId = "sigid-ivan", ObjectId = "SigningTime-IVAN",
        PropertiesId = "proid-ivan", ExcludedElements = Array.Empty<string>(),
    };

    /// <summary>XAdES baseline, enveloped over the whole document, Signature as the root's last child, exclusive C14N.</summary>
    public static XmlSignatureProfile XadesEnveloped { get; } = new()
    {
        Name = "xades", Content = Array.Empty<XmlContentRule>(), ContainerPath = "", SignatureId = "xades-sig",
        SigningTime = SigningTimeStyle.Xades, Canonicalization = XmlDsig.ExcC14N, Xades = true,
    };

    /// <summary>Every built-in profile.</summary>
    public static IReadOnlyList<XmlSignatureProfile> All { get; } = new[] { Tax, EInvoice, EInvoiceBuyer, EInvoiceTaxAuthority, Bhxh, BhxhIvan, XadesEnveloped };

    /// <summary>A built-in profile by name (tax, einvoice, einvoice-buyer, einvoice-cqt, bhxh, bhxh-ivan, xades).</summary>
    /// <exception cref="InvalidInputException">No such profile.</exception>
    public static XmlSignatureProfile FromName(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw XmlMessages.Invalid("UnknownProfile", name, string.Join(", ", All.Select(p => p.Name)));
}
