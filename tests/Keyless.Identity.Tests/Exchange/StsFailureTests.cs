using System.Net;
using Amazon.Runtime;
using Keyless.Identity.Exchange;

namespace Keyless.Identity.Tests.Exchange;

public sealed class StsFailureTests
{
    [Theory]
    [InlineData("Throttling", HttpStatusCode.BadRequest, true)]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest, true)]
    [InlineData("RequestLimitExceeded", HttpStatusCode.BadRequest, true)]
    [InlineData("IDPCommunicationError", HttpStatusCode.BadRequest, true)]
    [InlineData("InternalFailure", HttpStatusCode.InternalServerError, true)]
    [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, false)]
    [InlineData("InvalidIdentityToken", HttpStatusCode.BadRequest, false)]
    [InlineData("ExpiredTokenException", HttpStatusCode.BadRequest, false)]
    [InlineData("ValidationError", HttpStatusCode.BadRequest, false)]
    [InlineData("IDPRejectedClaim", HttpStatusCode.Forbidden, false)]
    [InlineData("RegionDisabledException", HttpStatusCode.Forbidden, false)]
    [InlineData("AccessDenied", HttpStatusCode.ServiceUnavailable, false)]
    public void Should_Retry_Only_Temporary_Errors_When_Aws_Answers(string code, HttpStatusCode status, bool retryable)
    {
        // Given
        var exception = new AmazonServiceException("message", null, ErrorType.Sender, code, "request-1", status);

        // When
        var failure = StsFailure.From(exception, CancellationToken.None);

        // Then
        Assert.NotNull(failure);
        Assert.Equal(code, failure.Code);
        Assert.Equal((int)status, failure.HttpStatus);
        Assert.Equal("request-1", failure.RequestId);
        Assert.Equal(retryable, failure.Retryable);
    }

    [Fact]
    public void Should_Retry_When_The_Connection_Fails()
    {
        // Given
        var exception = new AmazonServiceException(new HttpRequestException("Connection refused (127.0.0.1:9)"));

        // When
        var failure = StsFailure.From(exception, CancellationToken.None);

        // Then
        Assert.NotNull(failure);
        Assert.Equal(StsFailure.ConnectionFailure, failure.Code);
        Assert.True(failure.Retryable);
    }

    [Fact]
    public void Should_Retry_When_An_Attempt_Times_Out()
    {
        // When
        var failure = StsFailure.From(new TaskCanceledException("timeout", new TimeoutException()), CancellationToken.None);

        // Then
        Assert.NotNull(failure);
        Assert.Equal(StsFailure.Timeout, failure.Code);
        Assert.True(failure.Retryable);
    }

    [Fact]
    public void Should_Not_Classify_When_The_Caller_Cancelled()
    {
        // Given
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        // When
        var failure = StsFailure.From(new OperationCanceledException(cancellation.Token), cancellation.Token);

        // Then
        Assert.Null(failure);
    }

    [Fact]
    public void Should_Not_Classify_When_It_Is_A_Bug()
    {
        Assert.Null(StsFailure.From(new InvalidOperationException("bug"), CancellationToken.None));
    }
}
