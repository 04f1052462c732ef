namespace VnGovSign.Formats.OpenXml;

/// <summary>Namespaces, relationship types and content types of ECMA-376 Part 2 and of Office's signatures.</summary>
public static class OpcNames
{
    /// <summary>The relationships namespace of OPC.</summary>
    public const string RelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    /// <summary>The [Content_Types].xml namespace.</summary>
    public const string ContentTypesNamespace = "http://schemas.openxmlformats.org/package/2006/content-types";
    /// <summary>The package digital-signature namespace (mdssi).</summary>
    public const string DigitalSignatureNamespace = "http://schemas.openxmlformats.org/package/2006/digital-signature";
    /// <summary>The Relationship transform's algorithm URI.</summary>
    public const string RelationshipTransformAlgorithm = "http://schemas.openxmlformats.org/package/2006/RelationshipTransform";
    /// <summary>Office's SignatureInfoV1 namespace.</summary>
    public const string OfficeDigSigNamespace = "http://schemas.microsoft.com/office/2006/digsig";
    /// <summary>XAdES 1.3.2 namespace (also the one of EN 319 132-1).</summary>
    public const string XadesNamespace = "http://uri.etsi.org/01903/v1.3.2#";
    /// <summary>XML-DSig namespace.</summary>
    public const string DsNamespace = "http://www.w3.org/2000/09/xmldsig#";

    /// <summary>Relationship from the package root to the signature origin part.</summary>
    public const string OriginRelationshipType = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin";
    /// <summary>Relationship from the origin part to a signature part.</summary>
    public const string SignatureRelationshipType = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/signature";
    /// <summary>Relationship to a certificate part (not written: certificates go into KeyInfo as Office does).</summary>
    public const string CertificateRelationshipType = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/certificate";
    /// <summary>Content type of the origin part.</summary>
    public const string OriginContentType = "application/vnd.openxmlformats-package.digital-signature-origin";
    /// <summary>Content type of a signature part.</summary>
    public const string SignatureContentType = "application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml";
    /// <summary>Content type of relationships parts.</summary>
    public const string RelationshipsContentType = "application/vnd.openxmlformats-package.relationships+xml";

    private const string Od = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    private const string Ms06 = "http://schemas.microsoft.com/office/2006/relationships/";
    private const string Ms07 = "http://schemas.microsoft.com/office/2007/relationships/";
    private const string Ms11 = "http://schemas.microsoft.com/office/2011/relationships/";

    /// <summary>
    /// Relationship types that are never signed: properties Office rewrites when a file is opened or
    /// saved (core, app, custom properties, thumbnail) and the signature parts themselves.
    /// </summary>
    public static readonly IReadOnlyCollection<string> UnsignedRelationshipTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
        Od + "extended-properties",
        Od + "custom-properties",
        OriginRelationshipType,
        SignatureRelationshipType,
        CertificateRelationshipType,
    };

    /// <summary>
    /// The relationship types Office itself signs (document content, styles, media, …). A relationship
    /// of one of these types that appears after signing in a signed relationships part makes the
    /// signature fail; other unknown additions are reported as not covered.
    /// </summary>
    public static readonly IReadOnlyCollection<string> OfficeSignedRelationshipTypes = new HashSet<string>(
        new[]
        {
            "activeXControl", "aFChunk", "attachedTemplate", "attachedToolbars", "audio", "calcChain", "chart", "chartColorStyle",
            "chartLayout", "chartsheet", "chartStyle", "chartUserShapes", "commentAuthors", "comments", "connections", "connectorXml",
            "control", "ctrlProp", "customData", "customProperty", "customXml", "diagram", "diagramColors", "diagramColorsHeader",
            "diagramData", "diagramDrawing", "diagramLayout", "diagramLayoutHeader", "diagramQuickStyle", "diagramQuickStyleHeader",
            "dialogsheet", "dictionary", "documentParts", "downRev", "drawing", "endnotes", "externalLink", "externalLinkPath", "font",
            "fontTable", "footer", "footnotes", "functionPrototypes", "glossaryDocument", "graphicFrameDoc", "groupShapeXml",
            "handoutMaster", "hdphoto", "header", "hyperlink", "image", "ink", "inkXml", "keyMapCustomizations", "legacyDiagramText",
            "legacyDocTextInfo", "mailMergeHeaderSource", "mailMergeRecipientData", "mailMergeSource", "media", "notesMaster",
            "notesSlide", "numbering", "officeDocument", "oleObject", "package", "pictureXml", "pivotCacheDefinition",
            "pivotCacheRecords", "pivotTable", "powerPivotData", "presProps", "printerSettings", "queryTable", "recipientData",
            "settings", "shapeXml", "sharedStrings", "sheetMetadata", "slicer", "slicerCache", "slide", "slideLayout", "slideMaster",
            "slideUpdateInfo", "slideUpdateUrl", "smartTags", "styles", "stylesWithEffects", "table", "tableSingleCells", "tableStyles",
            "tags", "theme", "themeOverride", "timeline", "timelineCache", "transform", "usernames", "userXmlData", "vbaProject",
            "video", "viewProps", "vmlDrawing", "volatileDependencies", "webSettings", "wordVbaData", "worksheet", "wsSortMap",
            "xlBinaryIndex", "xlIntlMacrosheet", "xlMacrosheet", "xmlMaps",
        }.Select(n => Od + n)
        .Concat(new[] { Ms06 + "ui/extensibility", Ms06 + "keyMapCustomizations", Ms06 + "vbaProject", Ms07 + "stylesWithEffects",
            Ms07 + "diagramDrawing", Ms07 + "hdphoto", Ms07 + "media", Ms07 + "slicer", Ms07 + "slicerCache", Ms11 + "webextension",
            Ms11 + "commentsExtended", Ms11 + "people", Ms11 + "chartStyle", Ms11 + "chartColorStyle", Ms11 + "timeline",
            Ms11 + "timelineCache" }),
        StringComparer.Ordinal);
}
