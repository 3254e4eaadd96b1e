using System.Globalization;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Keyless.Identity.Exchange;

/// <summary>One failed attempt, classified: AWS's error code (or what went wrong on the wire) and whether to retry.</summary>
public sealed record StsFailure(string Code, string Message, int? HttpStatus, string? RequestId, bool Retryable)
{
    public const string AccessDenied = "AccessDenied";
    public const string InvalidIdentityToken = "InvalidIdentityToken";
    public const string ExpiredToken = "ExpiredTokenException";
    public const string ValidationError = "ValidationError";
    public const string IdpCommunicationError = "IDPCommunicationError";
    public const string ConnectionFailure = "ConnectionFailure";
    public const string Timeout = "Timeout";

    /// <summary>
    /// Worth another attempt: AWS asks callers to slow down or retry (throttling, IDPCommunicationError).
    /// Source: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html ,
    /// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html (throttling codes).
    /// </summary>
    public static readonly IReadOnlySet<string> RetryableCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "RequestLimitExceeded", IdpCommunicationError,
    };

    /// <summary>Answers that another attempt with the same token cannot change.</summary>
    public static readonly IReadOnlySet<string> FinalCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        AccessDenied, InvalidIdentityToken, ExpiredToken, ValidationError,
    };

    /// <summary>Classifies what an attempt threw; null when it is neither an AWS answer nor a network failure (a bug, or cancellation).</summary>
    public static StsFailure? From(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case AmazonServiceException service when service.StatusCode != 0 || service.ErrorCode is not null:
                var status = (int)service.StatusCode;
                var code = string.IsNullOrEmpty(service.ErrorCode) ? $"HTTP {status.ToString(CultureInfo.InvariantCulture)}" : service.ErrorCode;
                var retryable = !FinalCodes.Contains(code) && (RetryableCodes.Contains(code) || status >= 500);
                return new StsFailure(code, Clean(service.Message), status == 0 ? null : status, service.RequestId, retryable);
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException or TimeoutException:
                return new StsFailure(Timeout, "the request timed out", null, null, true);
        }

        // Connection refused, reset, DNS: the SDK surfaces them bare or wrapped.
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or SocketException or IOException)
            {
                return new StsFailure(ConnectionFailure, Clean(inner.Message), null, null, true);
            }
        }

        return null;
    }

    public override string ToString() =>
        HttpStatus is { } status && !Code.StartsWith("HTTP ", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"{Code} (HTTP {status}): {Message}")
            : $"{Code}: {Message}";

    private static string Clean(string? message) => string.IsNullOrWhiteSpace(message) ? "(no message)" : message.Trim().TrimEnd('.');
}
