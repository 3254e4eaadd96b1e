using Keyless.Identity.Exchange;
using Keyless.Testing;
using Keyless.Trust.Evaluation;

namespace Keyless.Identity.Tests.Exchange;

public sealed class SessionNamesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Jwt.Now);

    [Fact]
    public void Should_Name_The_Project_Pipeline_And_Job_When_The_Token_Has_Them()
    {
        // Given
        var claims = Claims(JobTokens.Claims());

        // When
        var name = SessionNames.ForJob(claims, new MapEnvironment(), Now);

        // Then
        Assert.Equal("gitlab-27182818-1414213562-1732050807", name);
    }

    [Fact]
    public void Should_Fall_Back_To_The_Ci_Variables_When_The_Token_Lacks_A_Claim()
    {
        // Given
        var raw = JobTokens.Claims();
        raw.Remove("job_id");
        var environment = new MapEnvironment { [EnvironmentNames.CiJobId] = "99", [EnvironmentNames.CiPipelineId] = "not used" };

        // When
        var name = SessionNames.ForJob(Claims(raw), environment, Now);

        // Then
        Assert.Equal("gitlab-27182818-1414213562-99", name);
    }

    [Fact]
    public void Should_Use_The_Time_When_Neither_Token_Nor_Environment_Name_The_Job()
    {
        // When
        var name = SessionNames.ForJob(null, new MapEnvironment { [EnvironmentNames.CiProjectId] = "1" }, Now);

        // Then
        Assert.Equal("keyless-1893456000", name);
    }

    [Theory]
    [InlineData("gitlab-1-2-3", "gitlab-1-2-3")]
    [InlineData("a b/c:d", "a-b-c-d")]
    [InlineData("ok+=,.@_-", "ok+=,.@_-")]
    [InlineData("é", "--")]
    [InlineData("", "--")]
    [InlineData("x", "x-")]
    public void Should_Keep_Only_What_Aws_Allows_When_Sanitising(string input, string expected)
    {
        Assert.Equal(expected, SessionNames.Sanitise(input));
    }

    [Fact]
    public void Should_Cut_At_64_Characters_When_The_Name_Is_Longer()
    {
        // When
        var name = SessionNames.Sanitise(new string('7', 100));

        // Then
        Assert.Equal(64, name.Length);
        Assert.Null(StsSimulator.ValidateParameters(new AssumeRoleParameters(name, 900, 3600)));
    }

    private static TokenClaims Claims(Dictionary<string, object?> claims) =>
        TokenClaims.Parse("claims", System.Text.Json.JsonSerializer.Serialize(claims));
}
