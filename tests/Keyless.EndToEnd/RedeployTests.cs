using System.Text.Json;
using Keyless.Local.Issuer;

namespace Keyless.EndToEnd;

/// <summary>Redeploying the same commit uploads nothing; a rollback restores the previous release.</summary>
[Collection(TheSystemGroup.Name)]
public sealed class RedeployTests(TheSystem system) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("keyless-e2e-site-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Should_UploadNothingThenRollBack_When_TheSameCommitIsRedeployedAndANewReleaseIsUndone()
    {
        // Given: the site built again from the same commit, and a main-branch token
        var dist = Path.Combine(_work, "dist");
        var (built, _) = await system.KeylessAsync(null, "site", "build", "--site", Path.Combine(TheSystem.Repository, "site"), "--out", dist);
        Assert.Equal(0, built);
        var token = system.Mint(system.Cloud.Config.GitLab.Project, "main", RefType.Branch, isProtected: true);
        using var http = new HttpClient();
        var live = await http.GetStringAsync(new Uri(system.StagingUrl + "/"));
        var bucket = system.Output("StagingBucketName");
        var before = await system.VersionsAsync(bucket);

        // When: the same content again, then a changed page, then a rollback
        var (same, sameOutput) = await system.KeylessAsync(token, "deploy", "--site", dist, "--env", "staging", "--format", "json", "--dotenv", Path.Combine(_work, "deploy.env"));
        File.WriteAllText(Path.Combine(dist, "index.html"), live.Replace("</h1>", " (changed)</h1>", StringComparison.Ordinal));
        var (changed, _) = await system.KeylessAsync(token, "deploy", "--site", dist, "--env", "staging", "--release", "e2e-changed", "--dotenv", Path.Combine(_work, "deploy.env"));
        var afterChange = await http.GetStringAsync(new Uri(system.StagingUrl + "/"));
        var (rolledBack, rollbackOutput) = await system.KeylessAsync(token, "rollback", "--env", "staging");
        var afterRollback = await http.GetStringAsync(new Uri(system.StagingUrl + "/"));

        // Then
        Assert.True(same == 0, sameOutput);
        using (var json = JsonDocument.Parse(sameOutput[sameOutput.IndexOf('{', StringComparison.Ordinal)..]))
        {
            Assert.Equal(0, json.RootElement.GetProperty("uploaded").GetInt32());
        }

        Assert.Equal(0, changed);
        Assert.Contains("(changed)", afterChange, StringComparison.Ordinal);
        Assert.True(rolledBack == 0, rollbackOutput);
        Assert.Equal(live, afterRollback);

        // And, the stack's bucket keeping versions, the changed page was written in place and copied back from the
        // version the earlier release recorded: two new versions of it, no content copy anywhere
        var added = (await system.VersionsAsync(bucket)).Except(before).ToList();
        Assert.Equal(2, added.Count(v => v.StartsWith("index.html ", StringComparison.Ordinal)));
        Assert.DoesNotContain(added, v => v.Contains("delete marker", StringComparison.Ordinal));
        Assert.DoesNotContain(await system.KeysAsync(bucket), k => k.StartsWith(".keyless/content/", StringComparison.Ordinal));
        system.AssertNoSecretLeaked();
    }
}
