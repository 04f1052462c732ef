using System.Globalization;
using System.Resources;

namespace VnGovSign;

/// <summary>
/// The root of every error VnGovSign raises on purpose. The message is a key resolved in Vietnamese
/// or English (<see cref="GetMessage"/>); <see cref="Exception.Message"/> is the English text for logs.
/// </summary>
public class VnGovSignException : Exception
{
    /// <summary>Creates an error from a message key of VnGovSign.Core.</summary>
    public VnGovSignException(string messageKey, Exception? innerException, params object?[] arguments)
        : this(Messages.Core, messageKey, innerException, arguments) { }

    /// <summary>Creates an error from a message key of another VnGovSign package's resources.</summary>
    public VnGovSignException(ResourceManager resources, string messageKey, Exception? innerException, params object?[] arguments)
        : base(Messages.Format(resources, messageKey, Messages.English, arguments), innerException)
    {
        Resources = resources;
        MessageKey = messageKey;
        MessageArguments = arguments;
    }

    /// <summary>The resource key of the message (stable: scripts may match on it).</summary>
    public string MessageKey { get; }

    /// <summary>The values placed into the message (file names, element names, counts).</summary>
    public IReadOnlyList<object?> MessageArguments { get; }

    private ResourceManager Resources { get; }

    /// <summary>The message in the given culture (Vietnamese when null).</summary>
    public string GetMessage(CultureInfo? culture = null) => Messages.Format(Resources, MessageKey, culture, MessageArguments.ToArray());
}

/// <summary>Input that is malformed, unsupported or unreadable: a file, an object, an element, a password.</summary>
public class InvalidInputException : VnGovSignException
{
    /// <inheritdoc />
    public InvalidInputException(string messageKey, params object?[] arguments) : base(messageKey, null, arguments) { }
    /// <inheritdoc />
    public InvalidInputException(string messageKey, Exception? innerException, params object?[] arguments) : base(messageKey, innerException, arguments) { }
    /// <inheritdoc />
    public InvalidInputException(ResourceManager resources, string messageKey, Exception? innerException, params object?[] arguments)
        : base(resources, messageKey, innerException, arguments) { }
}

/// <summary>A service or device did not answer: a responder, a TSA, a remote signing service, a PKCS#11 module.</summary>
public class ServiceUnavailableException : VnGovSignException
{
    /// <inheritdoc />
    public ServiceUnavailableException(string messageKey, Exception? innerException, params object?[] arguments) : base(messageKey, innerException, arguments) { }
    /// <inheritdoc />
    public ServiceUnavailableException(ResourceManager resources, string messageKey, Exception? innerException, params object?[] arguments)
        : base(resources, messageKey, innerException, arguments) { }
}

/// <summary>The signing operation was refused: a pre-sign check failed, the user rejected it, the signer cannot do it.</summary>
public class SigningException : VnGovSignException
{
    /// <inheritdoc />
    public SigningException(string messageKey, Exception? innerException, params object?[] arguments) : base(messageKey, innerException, arguments) { }
    /// <inheritdoc />
    public SigningException(ResourceManager resources, string messageKey, Exception? innerException, params object?[] arguments)
        : base(resources, messageKey, innerException, arguments) { }
}

/// <summary>A token or HSM reported an error.</summary>
public class TokenException : VnGovSignException
{
    /// <inheritdoc />
    public TokenException(string messageKey, Exception? innerException, params object?[] arguments) : base(messageKey, innerException, arguments) { }
    /// <inheritdoc />
    public TokenException(ResourceManager resources, string messageKey, Exception? innerException, params object?[] arguments)
        : base(resources, messageKey, innerException, arguments) { }
}

/// <summary>The PIN was wrong. The library never retries it: each retry would cost one of the token's few tries.</summary>
public class WrongPinException : TokenException
{
    /// <inheritdoc />
    public WrongPinException(string messageKey, Exception? innerException, params object?[] arguments) : base(messageKey, innerException, arguments) { }
    /// <inheritdoc />
    public WrongPinException(ResourceManager resources, string messageKey, Exception? innerException, params object?[] arguments)
        : base(resources, messageKey, innerException, arguments) { }

    /// <summary>What the device says about the remaining tries, when it says anything.</summary>
    public PinTriesRemaining TriesRemaining { get; init; } = PinTriesRemaining.Unknown;
}

/// <summary>What a token says about the PIN tries left (PKCS#11 only gives flags, not a count).</summary>
public enum PinTriesRemaining
{
    /// <summary>The device does not say.</summary>
    Unknown,
    /// <summary>At least one earlier try failed (CKF_USER_PIN_COUNT_LOW).</summary>
    CountLow,
    /// <summary>The next wrong PIN locks the token (CKF_USER_PIN_FINAL_TRY).</summary>
    FinalTry,
}

/// <summary>The token's PIN is locked: only the security officer (or the CA) can unlock it.</summary>
public class TokenLockedException : TokenException
{
    /// <inheritdoc />
    public TokenLockedException(string messageKey, Exception? innerException, params object?[] arguments) : base(messageKey, innerException, arguments) { }
    /// <inheritdoc />
    public TokenLockedException(ResourceManager resources, string messageKey, Exception? innerException, params object?[] arguments)
        : base(resources, messageKey, innerException, arguments) { }
}
