using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VnGovSign.Validation;

/// <summary>ETSI EN 319 102-1 main status indication.</summary>
public enum Indication
{
    /// <summary>TOTAL_PASSED: every check succeeded.</summary>
    TotalPassed,
    /// <summary>TOTAL_FAILED: a check failed for good (changed content, broken signature, revoked…).</summary>
    TotalFailed,
    /// <summary>INDETERMINATE: something could not be decided (revocation unknown, chain not found…).</summary>
    Indeterminate,
}

/// <summary>ETSI EN 319 102-1 sub-indications (spelled in JSON as ETSI writes them).</summary>
public enum SubIndication
{
    /// <summary>No sub-indication.</summary>
    None,
    /// <summary>FORMAT_FAILURE</summary>
    FormatFailure,
    /// <summary>HASH_FAILURE</summary>
    HashFailure,
    /// <summary>SIG_CRYPTO_FAILURE</summary>
    SigCryptoFailure,
    /// <summary>REVOKED</summary>
    Revoked,
    /// <summary>EXPIRED</summary>
    Expired,
    /// <summary>NOT_YET_VALID</summary>
    NotYetValid,
    /// <summary>SIG_CONSTRAINTS_FAILURE</summary>
    SigConstraintsFailure,
    /// <summary>CHAIN_CONSTRAINTS_FAILURE</summary>
    ChainConstraintsFailure,
    /// <summary>CERTIFICATE_CHAIN_GENERAL_FAILURE</summary>
    CertificateChainGeneralFailure,
    /// <summary>CRYPTO_CONSTRAINTS_FAILURE</summary>
    CryptoConstraintsFailure,
    /// <summary>CRYPTO_CONSTRAINTS_FAILURE_NO_POE</summary>
    CryptoConstraintsFailureNoPoe,
    /// <summary>POLICY_PROCESSING_ERROR</summary>
    PolicyProcessingError,
    /// <summary>TIMESTAMP_ORDER_FAILURE</summary>
    TimestampOrderFailure,
    /// <summary>NO_SIGNING_CERTIFICATE_FOUND</summary>
    NoSigningCertificateFound,
    /// <summary>NO_CERTIFICATE_CHAIN_FOUND</summary>
    NoCertificateChainFound,
    /// <summary>REVOKED_NO_POE</summary>
    RevokedNoPoe,
    /// <summary>REVOKED_CA_NO_POE</summary>
    RevokedCaNoPoe,
    /// <summary>OUT_OF_BOUNDS_NO_POE</summary>
    OutOfBoundsNoPoe,
    /// <summary>OUT_OF_BOUNDS_NOT_REVOKED</summary>
    OutOfBoundsNotRevoked,
    /// <summary>REVOCATION_OUT_OF_BOUNDS_NO_POE</summary>
    RevocationOutOfBoundsNoPoe,
    /// <summary>NO_POE</summary>
    NoPoe,
    /// <summary>TRY_LATER</summary>
    TryLater,
    /// <summary>SIGNED_DATA_NOT_FOUND</summary>
    SignedDataNotFound,
}

/// <summary>How serious a report message is.</summary>
public enum ReportSeverity
{
    /// <summary>Information.</summary>
    Info,
    /// <summary>A warning that does not change the indication by itself.</summary>
    Warning,
    /// <summary>An error behind the indication.</summary>
    Error,
}

/// <summary>One message of a report: a resource key and its arguments, rendered in vi or en on demand.</summary>
public sealed class ReportMessage
{
    /// <summary>Creates a message from a key of <see cref="Messages.Core"/>.</summary>
    public ReportMessage(ReportSeverity severity, string key, params object?[] arguments)
        : this(Messages.Core, severity, key, arguments) { }

    /// <summary>Creates a message from a key of another package's resources.</summary>
    public ReportMessage(System.Resources.ResourceManager resources, ReportSeverity severity, string key, params object?[] arguments)
    {
        Resources = resources; Severity = severity; Key = key; Arguments = arguments;
    }

    /// <summary>Severity.</summary>
    public ReportSeverity Severity { get; }
    /// <summary>The stable resource key.</summary>
    public string Key { get; }
    /// <summary>The arguments placed into the text.</summary>
    public IReadOnlyList<object?> Arguments { get; }
    private System.Resources.ResourceManager Resources { get; }

    /// <summary>The text in <paramref name="culture"/> (Vietnamese when null).</summary>
    public string ToText(CultureInfo? culture = null) => Messages.Format(Resources, Key, culture, Arguments.ToArray());
}

/// <summary>What was found about one certificate of a path.</summary>
public sealed class CertificateReport
{
    /// <summary>Subject distinguished name (RFC 4514 text).</summary>
    public string Subject { get; set; } = "";
    /// <summary>Issuer distinguished name.</summary>
    public string Issuer { get; set; } = "";
    /// <summary>Serial number in upper-case hexadecimal.</summary>
    public string SerialNumber { get; set; } = "";
    /// <summary>Start of validity.</summary>
    public DateTimeOffset NotBefore { get; set; }
    /// <summary>End of validity.</summary>
    public DateTimeOffset NotAfter { get; set; }
    /// <summary>SHA-256 of the DER certificate, upper-case hex.</summary>
    public string Sha256 { get; set; } = "";
    /// <summary>Revocation status found: good, revoked, unknown, not-checked (trust anchors).</summary>
    public string RevocationStatus { get; set; } = "not-checked";
    /// <summary>Where the status came from: ocsp, crl, embedded-ocsp, embedded-crl, none.</summary>
    public string? RevocationSource { get; set; }
    /// <summary>When revoked, the revocation time.</summary>
    public DateTimeOffset? RevocationTime { get; set; }
    /// <summary>The name of the trust anchor when this certificate is one (e.g. "vgca-root-g2").</summary>
    public string? TrustAnchor { get; set; }

    /// <summary>Fills subject, issuer, serial, validity and fingerprint from a certificate.</summary>
    public static CertificateReport From(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => new()
    {
        Subject = certificate.Subject,
        Issuer = certificate.Issuer,
        SerialNumber = certificate.SerialNumber,
        NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
        Sha256 = Hex.Upper(Digests.Sha256(certificate.RawData)),
    };
}

/// <summary>The result for one signature (or timestamp) of a document.</summary>
public sealed class SignatureReport
{
    /// <summary>An identifier inside the document: field name, Signature Id, part name, or an index.</summary>
    public string Id { get; set; } = "";
    /// <summary>Format: CAdES, PAdES, XAdES, XMLDSig, OOXML, RFC3161 (document timestamp).</summary>
    public string Format { get; set; } = "";
    /// <summary>Level reached: B-B, B-T, B-LT, B-LTA (empty when not applicable).</summary>
    public string Level { get; set; } = "";
    /// <summary>Main indication.</summary>
    public Indication Indication { get; set; } = Indication.Indeterminate;
    /// <summary>Sub-indication (None when passed).</summary>
    public SubIndication SubIndication { get; set; }
    /// <summary>The signer's certificate, when found.</summary>
    public CertificateReport? Signer { get; set; }
    /// <summary>The time the signer claims (signing-time attribute, /M, SigningTime property).</summary>
    public DateTimeOffset? SigningTime { get; set; }
    /// <summary>The signature timestamp's genTime, when there is one.</summary>
    public DateTimeOffset? TimestampTime { get; set; }
    /// <summary>The time the path was validated at.</summary>
    public DateTimeOffset? ValidationTime { get; set; }
    /// <summary>The certificate path, signer first.</summary>
    public IList<CertificateReport> Certificates { get; } = new List<CertificateReport>();
    /// <summary>Errors, warnings and information, in order.</summary>
    public IList<ReportMessage> Messages { get; } = new List<ReportMessage>();
    /// <summary>Format-specific facts written into JSON as extra fields (e.g. PDF coversWholeDocument,
    /// modifiedAfterSigning, modifications). Values: bool, string, number, DateTimeOffset, or a list of strings.</summary>
    public IDictionary<string, object?> Details { get; } = new SortedDictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Sets the indication unless a worse one is already set (FAILED &gt; INDETERMINATE &gt; PASSED).</summary>
    public void Degrade(Indication indication, SubIndication subIndication)
    {
        if (Rank(indication) > Rank(Indication) || (Indication == Indication.TotalPassed && indication == Indication.TotalPassed))
        {
            Indication = indication;
            SubIndication = subIndication;
        }
    }

    /// <summary>Adds a message of Core.</summary>
    public void Add(ReportSeverity severity, string key, params object?[] arguments) => Messages.Add(new ReportMessage(severity, key, arguments));

    internal static int Rank(Indication i) => i switch { Indication.TotalPassed => 0, Indication.Indeterminate => 1, _ => 2 };
}

/// <summary>The validation report of one document: one entry per signature, in the ETSI vocabulary.</summary>
public sealed class ValidationReport
{
    /// <summary>Creates a report over the given signature results.</summary>
    public ValidationReport(string document, IEnumerable<SignatureReport> signatures)
    {
        Document = document;
        Signatures = signatures.ToList();
    }

    /// <summary>The document validated (file name or a description).</summary>
    public string Document { get; }

    /// <summary>One entry per signature or timestamp found.</summary>
    public IReadOnlyList<SignatureReport> Signatures { get; }

    /// <summary>Messages about the document as a whole (e.g. no signature found).</summary>
    public IList<ReportMessage> Messages { get; } = new List<ReportMessage>();

    /// <summary>The worst indication of all signatures; a document without signatures is TOTAL_FAILED.</summary>
    public Indication Indication => Signatures.Count == 0
        ? Indication.TotalFailed
        : Signatures.Select(s => s.Indication).OrderByDescending(SignatureReport.Rank).First();

    /// <summary>The ETSI spelling of an indication (TOTAL_PASSED…).</summary>
    public static string EtsiName(Indication indication) => indication switch
    {
        Indication.TotalPassed => "TOTAL_PASSED",
        Indication.TotalFailed => "TOTAL_FAILED",
        _ => "INDETERMINATE",
    };

    /// <summary>The ETSI spelling of a sub-indication (HASH_FAILURE…); null for None.</summary>
    public static string? EtsiName(SubIndication sub)
    {
        if (sub == SubIndication.None) return null;
        var name = sub.ToString();
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <summary>The report as JSON (field names as in the command-line contract); messages in <paramref name="culture"/>.</summary>
    public string ToJson(CultureInfo? culture = null)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("document", Document);
            w.WriteString("indication", EtsiName(Indication));
            w.WriteNumber("signatureCount", Signatures.Count);
            WriteMessages(w, Messages, culture);
            w.WriteStartArray("signatures");
            foreach (var s in Signatures) WriteSignature(w, s, culture);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteSignature(Utf8JsonWriter w, SignatureReport s, CultureInfo? culture)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("format", s.Format);
        w.WriteString("level", s.Level);
        w.WriteString("indication", EtsiName(s.Indication));
        if (EtsiName(s.SubIndication) is { } sub) w.WriteString("subIndication", sub); else w.WriteNull("subIndication");
        w.WritePropertyName("signer");
        if (s.Signer is null) w.WriteNullValue(); else WriteCertificate(w, s.Signer);
        WriteTime(w, "signingTime", s.SigningTime);
        WriteTime(w, "timestampTime", s.TimestampTime);
        WriteTime(w, "validationTime", s.ValidationTime);
        foreach (var kv in s.Details) { w.WritePropertyName(kv.Key); WriteValue(w, kv.Value); }
        w.WriteStartArray("certificates");
        foreach (var c in s.Certificates) WriteCertificate(w, c);
        w.WriteEndArray();
        WriteMessages(w, s.Messages, culture);
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case string str: w.WriteStringValue(str); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case DateTimeOffset t: w.WriteStringValue(t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)); break;
            case System.Collections.IEnumerable e:
                w.WriteStartArray();
                foreach (var x in e) WriteValue(w, x);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Convert.ToString(v, CultureInfo.InvariantCulture)); break;
        }
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is null) w.WriteNull(name);
        else w.WriteString(name, t.Value.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    private static void WriteCertificate(Utf8JsonWriter w, CertificateReport c)
    {
        w.WriteStartObject();
        w.WriteString("subject", c.Subject);
        w.WriteString("issuer", c.Issuer);
        w.WriteString("serialNumber", c.SerialNumber);
        WriteTime(w, "notBefore", c.NotBefore);
        WriteTime(w, "notAfter", c.NotAfter);
        w.WriteString("sha256", c.Sha256);
        w.WriteString("revocationStatus", c.RevocationStatus);
        if (c.RevocationSource is null) w.WriteNull("revocationSource"); else w.WriteString("revocationSource", c.RevocationSource);
        WriteTime(w, "revocationTime", c.RevocationTime);
        if (c.TrustAnchor is null) w.WriteNull("trustAnchor"); else w.WriteString("trustAnchor", c.TrustAnchor);
        w.WriteEndObject();
    }

    private static void WriteMessages(Utf8JsonWriter w, IEnumerable<ReportMessage> messages, CultureInfo? culture)
    {
        w.WriteStartArray("messages");
        foreach (var m in messages)
        {
            w.WriteStartObject();
            w.WriteString("severity", m.Severity.ToString().ToLowerInvariant());
            w.WriteString("key", m.Key);
            w.WriteString("text", m.ToText(culture));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A short human-readable summary, one block per signature, in <paramref name="culture"/> (Vietnamese when null).</summary>
    public string ToText(CultureInfo? culture = null)
    {
        var sb = new StringBuilder();
        string L(string key, params object?[] a) => VnGovSign.Messages.Get(key, culture, a);
        sb.AppendLine(L(MessageKeys.ReportDocument, Document, L("Indication." + EtsiName(Indication))));
        foreach (var m in Messages) sb.Append("  ").AppendLine(m.ToText(culture));
        int n = 0;
        foreach (var s in Signatures)
        {
            n++;
            sb.AppendLine(L(MessageKeys.ReportSignature, n, s.Id, s.Format, s.Level));
            sb.Append("  ").AppendLine(L(MessageKeys.ReportIndication, L("Indication." + EtsiName(s.Indication)), EtsiName(s.SubIndication) ?? "-"));
            if (s.Signer is not null) sb.Append("  ").AppendLine(L(MessageKeys.ReportSigner, s.Signer.Subject, s.Signer.Issuer));
            if (s.Signer is not null) sb.Append("  ").AppendLine(L(MessageKeys.ReportValidity, Fmt(s.Signer.NotBefore), Fmt(s.Signer.NotAfter)));
            if (s.SigningTime is not null) sb.Append("  ").AppendLine(L(MessageKeys.ReportSigningTime, Fmt(s.SigningTime.Value)));
            if (s.TimestampTime is not null) sb.Append("  ").AppendLine(L(MessageKeys.ReportTimestampTime, Fmt(s.TimestampTime.Value)));
            foreach (var m in s.Messages)
                sb.Append("  [").Append(m.Severity.ToString().ToLowerInvariant()).Append("] ").AppendLine(m.ToText(culture));
        }
        return sb.ToString();
    }

    // Vietnam time is what officials read; the offset keeps it unambiguous.
    private static string Fmt(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(7)).ToString("dd/MM/yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture);
}
