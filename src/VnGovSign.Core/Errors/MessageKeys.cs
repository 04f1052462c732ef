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
    /// <summary>Message key TimestampMalformed.</summary>
    public const string TimestampMalformed = nameof(TimestampMalformed);
    /// <summary>Message key TimestampImprintMismatch.</summary>
    public const string TimestampImprintMismatch = nameof(TimestampImprintMismatch);
    /// <summary>Message key TimestampSignatureInvalid.</summary>
    public const string TimestampSignatureInvalid = nameof(TimestampSignatureInvalid);
    /// <summary>Message key TimestampSigningCertificateMismatch.</summary>
    public const string TimestampSigningCertificateMismatch = nameof(TimestampSigningCertificateMismatch);
    /// <summary>Message key TimestampNoTsaCertificate.</summary>
    public const string TimestampNoTsaCertificate = nameof(TimestampNoTsaCertificate);
    /// <summary>Message key TimestampValid.</summary>
    public const string TimestampValid = nameof(TimestampValid);
    /// <summary>Message key TsaHttpError.</summary>
    public const string TsaHttpError = nameof(TsaHttpError);
    /// <summary>Message key TsaTimeout.</summary>
    public const string TsaTimeout = nameof(TsaTimeout);
    /// <summary>Message key TsaUnreachable.</summary>
    public const string TsaUnreachable = nameof(TsaUnreachable);
    /// <summary>Message key TsaResponseMalformed.</summary>
    public const string TsaResponseMalformed = nameof(TsaResponseMalformed);
    /// <summary>Message key TsaRejected.</summary>
    public const string TsaRejected = nameof(TsaRejected);
    /// <summary>Message key TsaImprintMismatch.</summary>
    public const string TsaImprintMismatch = nameof(TsaImprintMismatch);
    /// <summary>Message key TsaNonceMismatch.</summary>
    public const string TsaNonceMismatch = nameof(TsaNonceMismatch);
    /// <summary>Message key KeyUsageNotForSigning.</summary>
    public const string KeyUsageNotForSigning = nameof(KeyUsageNotForSigning);
    /// <summary>Message key EkuTimestampingMissing.</summary>
    public const string EkuTimestampingMissing = nameof(EkuTimestampingMissing);
    /// <summary>Message key EkuOcspSigningMissing.</summary>
    public const string EkuOcspSigningMissing = nameof(EkuOcspSigningMissing);
    /// <summary>Message key UntrustedRoot.</summary>
    public const string UntrustedRoot = nameof(UntrustedRoot);
    /// <summary>Message key UnknownIssuer.</summary>
    public const string UnknownIssuer = nameof(UnknownIssuer);
    /// <summary>Message key PathLengthExceeded.</summary>
    public const string PathLengthExceeded = nameof(PathLengthExceeded);
    /// <summary>Message key NameConstraintsViolated.</summary>
    public const string NameConstraintsViolated = nameof(NameConstraintsViolated);
    /// <summary>Message key PolicyConstraintsFailed.</summary>
    public const string PolicyConstraintsFailed = nameof(PolicyConstraintsFailed);
    /// <summary>Message key PathInvalid.</summary>
    public const string PathInvalid = nameof(PathInvalid);
    /// <summary>Message key CaNotAllowed.</summary>
    public const string CaNotAllowed = nameof(CaNotAllowed);
    /// <summary>Message key CertificateSignatureInvalid.</summary>
    public const string CertificateSignatureInvalid = nameof(CertificateSignatureInvalid);
    /// <summary>Message key RevocationGood.</summary>
    public const string RevocationGood = nameof(RevocationGood);
    /// <summary>Message key CertificateRevoked.</summary>
    public const string CertificateRevoked = nameof(CertificateRevoked);
    /// <summary>Message key RevokedAfterValidationTime.</summary>
    public const string RevokedAfterValidationTime = nameof(RevokedAfterValidationTime);
    /// <summary>Message key RevokedNoPoe.</summary>
    public const string RevokedNoPoe = nameof(RevokedNoPoe);
    /// <summary>Message key RevocationUnknown.</summary>
    public const string RevocationUnknown = nameof(RevocationUnknown);
    /// <summary>Message key RevocationUnknownHardFail.</summary>
    public const string RevocationUnknownHardFail = nameof(RevocationUnknownHardFail);
    /// <summary>Message key RevocationUnavailableSoftFail (a warning: no revocation service could be reached, soft-fail).</summary>
    public const string RevocationUnavailableSoftFail = nameof(RevocationUnavailableSoftFail);
    /// <summary>Message key OcspUnavailable.</summary>
    public const string OcspUnavailable = nameof(OcspUnavailable);
    /// <summary>Message key OcspResponseInvalid.</summary>
    public const string OcspResponseInvalid = nameof(OcspResponseInvalid);
    /// <summary>Message key OcspUnauthorized.</summary>
    public const string OcspUnauthorized = nameof(OcspUnauthorized);
    /// <summary>Message key OcspStatusUnknown.</summary>
    public const string OcspStatusUnknown = nameof(OcspStatusUnknown);
    /// <summary>Message key OcspStale.</summary>
    public const string OcspStale = nameof(OcspStale);
    /// <summary>Message key CrlUnavailable.</summary>
    public const string CrlUnavailable = nameof(CrlUnavailable);
    /// <summary>Message key CrlInvalid.</summary>
    public const string CrlInvalid = nameof(CrlInvalid);
    /// <summary>Message key CrlStale.</summary>
    public const string CrlStale = nameof(CrlStale);
    /// <summary>Message key IssuerFetched.</summary>
    public const string IssuerFetched = nameof(IssuerFetched);
    /// <summary>Message key SigningTimeSkew.</summary>
    public const string SigningTimeSkew = nameof(SigningTimeSkew);
    /// <summary>Message key TimestampBeforeSigningTime.</summary>
    public const string TimestampBeforeSigningTime = nameof(TimestampBeforeSigningTime);
    /// <summary>Message key CertificateExpiredAtTimestamp.</summary>
    public const string CertificateExpiredAtTimestamp = nameof(CertificateExpiredAtTimestamp);
    /// <summary>Message key SignatureTimestampInvalid.</summary>
    public const string SignatureTimestampInvalid = nameof(SignatureTimestampInvalid);
    /// <summary>Message key ValidatedAt.</summary>
    public const string ValidatedAt = nameof(ValidatedAt);
    /// <summary>Message key BuiltInPinMismatch.</summary>
    public const string BuiltInPinMismatch = nameof(BuiltInPinMismatch);
    /// <summary>Message key SignerCertificateExpired (pre-sign check: the signer's certificate expired before the signing time).</summary>
    public const string SignerCertificateExpired = nameof(SignerCertificateExpired);
    /// <summary>Message key SignerCertificateNotYetValid (pre-sign check: the signer's certificate is not valid yet at the signing time).</summary>
    public const string SignerCertificateNotYetValid = nameof(SignerCertificateNotYetValid);
    /// <summary>Message key SignerKeyUsageNotForSigning (pre-sign check: keyUsage without digitalSignature and nonRepudiation).</summary>
    public const string SignerKeyUsageNotForSigning = nameof(SignerKeyUsageNotForSigning);
    /// <summary>Message key SignerExtendedKeyUsageNotForSigning (pre-sign check: an extendedKeyUsage for timestamping or OCSP only).</summary>
    public const string SignerExtendedKeyUsageNotForSigning = nameof(SignerExtendedKeyUsageNotForSigning);
}
