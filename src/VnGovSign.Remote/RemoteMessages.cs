using System.Resources;

namespace VnGovSign.Remote;

/// <summary>Messages of VnGovSign.Remote in Vietnamese (default) and English, and their stable keys.</summary>
public static class RemoteMessages
{
    /// <summary>The package's resources (pass them to the exception family and to <see cref="VnGovSign.Messages.Format"/>).</summary>
    public static ResourceManager Resources { get; } = new("VnGovSign.Remote.Resources.RemoteMessages", typeof(RemoteMessages).Assembly);

    /// <summary>Message key ServiceUnavailable.</summary>
    public const string ServiceUnavailable = nameof(ServiceUnavailable);
    /// <summary>Message key ServiceBadResponse.</summary>
    public const string ServiceBadResponse = nameof(ServiceBadResponse);
    /// <summary>Message key Unauthorized.</summary>
    public const string Unauthorized = nameof(Unauthorized);
    /// <summary>Message key WrongPin.</summary>
    public const string WrongPin = nameof(WrongPin);
    /// <summary>Message key WrongOtp.</summary>
    public const string WrongOtp = nameof(WrongOtp);
    /// <summary>Message key CredentialLocked.</summary>
    public const string CredentialLocked = nameof(CredentialLocked);
    /// <summary>Message key PinRequired.</summary>
    public const string PinRequired = nameof(PinRequired);
    /// <summary>Message key OtpRequired.</summary>
    public const string OtpRequired = nameof(OtpRequired);
    /// <summary>Message key CredentialNotFound.</summary>
    public const string CredentialNotFound = nameof(CredentialNotFound);
    /// <summary>Message key CredentialUnusable.</summary>
    public const string CredentialUnusable = nameof(CredentialUnusable);
    /// <summary>Message key UserNotFound.</summary>
    public const string UserNotFound = nameof(UserNotFound);
    /// <summary>Message key Rejected.</summary>
    public const string Rejected = nameof(Rejected);
    /// <summary>Message key Expired.</summary>
    public const string Expired = nameof(Expired);
    /// <summary>Message key Withdrawn.</summary>
    public const string Withdrawn = nameof(Withdrawn);
    /// <summary>Message key TimedOut.</summary>
    public const string TimedOut = nameof(TimedOut);
    /// <summary>Message key AuthorizationExpired.</summary>
    public const string AuthorizationExpired = nameof(AuthorizationExpired);
    /// <summary>Message key ServiceError.</summary>
    public const string ServiceError = nameof(ServiceError);
    /// <summary>Message key SignatureCountMismatch.</summary>
    public const string SignatureCountMismatch = nameof(SignatureCountMismatch);
    /// <summary>Message key AlgorithmNotOffered.</summary>
    public const string AlgorithmNotOffered = nameof(AlgorithmNotOffered);
    /// <summary>Message key MixedBatch.</summary>
    public const string MixedBatch = nameof(MixedBatch);
    /// <summary>Message key BadUrl.</summary>
    public const string BadUrl = nameof(BadUrl);
    /// <summary>Message key StatusSubmitted.</summary>
    public const string StatusSubmitted = nameof(StatusSubmitted);
    /// <summary>Message key StatusWaiting.</summary>
    public const string StatusWaiting = nameof(StatusWaiting);
    /// <summary>Message key StatusAuthorizing.</summary>
    public const string StatusAuthorizing = nameof(StatusAuthorizing);
    /// <summary>Message key StatusSigned.</summary>
    public const string StatusSigned = nameof(StatusSigned);
    /// <summary>Message key StatusRejected.</summary>
    public const string StatusRejected = nameof(StatusRejected);
    /// <summary>Message key StatusExpired.</summary>
    public const string StatusExpired = nameof(StatusExpired);
    /// <summary>Message key StatusCancelled.</summary>
    public const string StatusCancelled = nameof(StatusCancelled);
}
