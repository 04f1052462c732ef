namespace VnGovSign;

/// <summary>Resource keys of VnGovSign.Core's messages (stable: scripts may match on them).</summary>
public static class MessageKeys
{
    /// <summary>Message key FileNotReadable.</summary>
    public const string FileNotReadable = nameof(FileNotReadable);
    /// <summary>Message key PfxUnreadable.</summary>
    public const string PfxUnreadable = nameof(PfxUnreadable);
    /// <summary>Message key NoPrivateKey.</summary>
    public const string NoPrivateKey = nameof(NoPrivateKey);
    /// <summary>Message key UnsupportedKey.</summary>
    public const string UnsupportedKey = nameof(UnsupportedKey);
    /// <summary>Message key UnsupportedAlgorithm.</summary>
    public const string UnsupportedAlgorithm = nameof(UnsupportedAlgorithm);
    /// <summary>Message key EcdsaSignatureMalformed.</summary>
    public const string EcdsaSignatureMalformed = nameof(EcdsaSignatureMalformed);
    /// <summary>Message key DigestLengthMismatch.</summary>
    public const string DigestLengthMismatch = nameof(DigestLengthMismatch);
    /// <summary>Message key SignatureValueInvalid.</summary>
    public const string SignatureValueInvalid = nameof(SignatureValueInvalid);
    /// <summary>Message key PreparedStateInvalid.</summary>
    public const string PreparedStateInvalid = nameof(PreparedStateInvalid);
    /// <summary>Message key UnknownLevel.</summary>
    public const string UnknownLevel = nameof(UnknownLevel);
    /// <summary>Message key TimestampUrlMissing.</summary>
    public const string TimestampUrlMissing = nameof(TimestampUrlMissing);
    /// <summary>Message key CmsMalformed.</summary>
    public const string CmsMalformed = nameof(CmsMalformed);
    /// <summary>Message key CmsNoSigner.</summary>
    public const string CmsNoSigner = nameof(CmsNoSigner);
    /// <summary>Message key CertificateUnreadable.</summary>
    public const string CertificateUnreadable = nameof(CertificateUnreadable);
    /// <summary>Message key NoSignerCertificate.</summary>
    public const string NoSignerCertificate = nameof(NoSignerCertificate);
    /// <summary>Message key Sha1Used.</summary>
    public const string Sha1Used = nameof(Sha1Used);
    /// <summary>Message key Sha1Rejected.</summary>
    public const string Sha1Rejected = nameof(Sha1Rejected);
    /// <summary>Message key HashFailure.</summary>
    public const string HashFailure = nameof(HashFailure);
    /// <summary>Message key SigCryptoFailure.</summary>
    public const string SigCryptoFailure = nameof(SigCryptoFailure);
    /// <summary>Message key SigningCertificateMismatch.</summary>
    public const string SigningCertificateMismatch = nameof(SigningCertificateMismatch);
    /// <summary>Message key SigningCertificateAttributeMissing.</summary>
    public const string SigningCertificateAttributeMissing = nameof(SigningCertificateAttributeMissing);
    /// <summary>Message key NoChain.</summary>
    public const string NoChain = nameof(NoChain);
    /// <summary>Message key CertificateExpired.</summary>
    public const string CertificateExpired = nameof(CertificateExpired);
    /// <summary>Message key CertificateNotYetValid.</summary>
    public const string CertificateNotYetValid = nameof(CertificateNotYetValid);
    /// <summary>Message key SignatureValid.</summary>
    public const string SignatureValid = nameof(SignatureValid);
    /// <summary>Message key RevocationNotChecked.</summary>
    public const string RevocationNotChecked = nameof(RevocationNotChecked);
    /// <summary>Message key ReportDocument.</summary>
    public const string ReportDocument = nameof(ReportDocument);
    /// <summary>Message key ReportSignature.</summary>
    public const string ReportSignature = nameof(ReportSignature);
    /// <summary>Message key ReportIndication.</summary>
    public const string ReportIndication = nameof(ReportIndication);
    /// <summary>Message key ReportSigner.</summary>
    public const string ReportSigner = nameof(ReportSigner);
    /// <summary>Message key ReportValidity.</summary>
    public const string ReportValidity = nameof(ReportValidity);
    /// <summary>Message key ReportSigningTime.</summary>
    public const string ReportSigningTime = nameof(ReportSigningTime);
    /// <summary>Message key ReportTimestampTime.</summary>
    public const string ReportTimestampTime = nameof(ReportTimestampTime);
}
