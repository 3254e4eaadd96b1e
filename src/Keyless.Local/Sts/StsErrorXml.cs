using System.Security;
using Keyless.Trust.Evaluation;

namespace Keyless.Local.Sts;

/// <summary>AWS STS's error document and status code for a refused AssumeRoleWithWebIdentity.</summary>
public static class StsErrorXml
{
    public static int Status(DecisionCode code) => code == DecisionCode.AccessDenied ? 403 : 400;

    public static string Render(DecisionCode code, string message, string requestId) =>
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        + $"<Error><Type>Sender</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>"
        + $"<RequestId>{requestId}</RequestId></ErrorResponse>";
}
