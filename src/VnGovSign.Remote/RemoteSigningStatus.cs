using System.Globalization;

namespace VnGovSign.Remote;

/// <summary>Where a remote signing request stands.</summary>
public enum RemoteSigningState
{
    /// <summary>The credential is being authorised (PIN/OTP sent, or the service asks the phone).</summary>
    Authorizing,
    /// <summary>The request was accepted by the service: it has a transaction id.</summary>
    Submitted,
    /// <summary>The service waits for the signer to confirm on the phone.</summary>
    WaitingForConfirmation,
    /// <summary>The signature values arrived.</summary>
    Signed,
    /// <summary>The signer declined on the phone.</summary>
    Rejected,
    /// <summary>The request expired before the signer confirmed it.</summary>
    Expired,
    /// <summary>The caller cancelled the wait.</summary>
    Cancelled,
}

/// <summary>
/// A status update of a remote signing request, for a user interface (e.g. "Đang chờ xác nhận trên
/// điện thoại"): delivered through <see cref="IProgress{T}"/>.
/// </summary>
public sealed record RemoteSigningStatus
{
    /// <summary>Creates a status.</summary>
    public RemoteSigningStatus(RemoteSigningState state, string reference, TimeSpan elapsed)
    {
        State = state; Reference = reference; Elapsed = elapsed;
    }

    /// <summary>Where the request stands.</summary>
    public RemoteSigningState State { get; }

    /// <summary>The service's transaction id, or the credential id while authorising.</summary>
    public string Reference { get; }

    /// <summary>Time since the request started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The resource key of <see cref="GetMessage"/>.</summary>
    public string MessageKey => State switch
    {
        RemoteSigningState.Authorizing => RemoteMessages.StatusAuthorizing,
        RemoteSigningState.Submitted => RemoteMessages.StatusSubmitted,
        RemoteSigningState.WaitingForConfirmation => RemoteMessages.StatusWaiting,
        RemoteSigningState.Signed => RemoteMessages.StatusSigned,
        RemoteSigningState.Rejected => RemoteMessages.StatusRejected,
        RemoteSigningState.Expired => RemoteMessages.StatusExpired,
        _ => RemoteMessages.StatusCancelled,
    };

    /// <summary>The text to show the user, in Vietnamese (null) or English.</summary>
    public string GetMessage(CultureInfo? culture = null) => Messages.Format(RemoteMessages.Resources, MessageKey, culture, Reference);

    /// <inheritdoc />
    public override string ToString() => GetMessage(Messages.English);
}
