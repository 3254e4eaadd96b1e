using Keyless.Core.Processes;

namespace Keyless.Cli.Tests.Init;

/// <summary>A throwaway git repository with a one-page static site and, optionally, a remote origin: what a new user has.</summary>
internal sealed class InitRepository : IDisposable
{
    private readonly TempFolder _folder = new();

    private InitRepository()
    {
    }

    public string Path => _folder.Path;

    public static async Task<InitRepository> CreateAsync(string? remote = "git@gitlab.com:acme/website.git", bool site = true)
    {
        var repository = new InitRepository();
        await repository.GitAsync("init", "--quiet", "--initial-branch", "main");
        if (remote is not null)
        {
            await repository.GitAsync("remote", "add", "origin", remote);
        }

        if (site)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(repository.Path, "site"));
            repository._folder.Write("site/index.html", "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Home</title></head><body><h1>Home</h1></body></html>\n");
        }

        return repository;
    }

    public Task<CliResult> InitAsync(params string[] args) => KeylessCli.RunAsync(new KeylessServices { WorkingFolder = Path }, ["init", .. args]);

    public string Read(string file) => File.ReadAllText(System.IO.Path.Combine(Path, file));

    public bool Exists(string file) => File.Exists(System.IO.Path.Combine(Path, file));

    public void Write(string file, string content) => _folder.Write(file, content);

    public async Task GitAsync(params string[] args)
    {
        var result = await ToolProcess.RunAsync("git", args, Path);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result.Output}");
    }

    public void Dispose() => _folder.Dispose();
}
