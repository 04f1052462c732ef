using VnGovSign.Formats.Pdf.Appearance;

namespace VnGovSign.Formats.Pdf;

/// <summary>DocMDP permissions of a certification signature (ISO 32000-1 §12.8.2.2, /P).</summary>
public enum DocMdpPermissions
{
    /// <summary>P=1: no changes at all (no further signatures either).</summary>
    NoChanges = 1,
    /// <summary>P=2: filling in forms, instantiating page templates and signing.</summary>
    FormFilling = 2,
    /// <summary>P=3: as P=2, plus annotations.</summary>
    FormFillingAndAnnotations = 3,
}

/// <summary>What a PDF signature says besides the CMS: field, reason, place, certification, appearance.</summary>
public sealed record PdfSignatureParameters
{
    /// <summary>The signature field: an existing empty signature field of that name is signed; otherwise a new field gets this name (default: Signature1, Signature2, …).</summary>
    public string? FieldName { get; init; }

    /// <summary>/Reason.</summary>
    public string? Reason { get; init; }

    /// <summary>/Location.</summary>
    public string? Location { get; init; }

    /// <summary>/ContactInfo.</summary>
    public string? ContactInfo { get; init; }

    /// <summary>Makes this a certification signature (DocMDP) with these permissions; it must be the document's first signature.</summary>
    public DocMdpPermissions? Certification { get; init; }

    /// <summary>The visible form (Decree 30); null or <see cref="PdfSignatureAppearance.None"/> = invisible.</summary>
    public PdfSignatureAppearance? Appearance { get; init; }
}
