using Keyless.Core.Configuration;
using Keyless.Testing;

namespace Keyless.Core.Tests.Configuration;

/// <summary>The one rule for finding keyless.json: --config, else $KEYLESS_CONFIG, else the nearest up to the repository root.</summary>
public sealed class KeylessConfigFileTests : IDisposable
{
    private static readonly string Valid = File.ReadAllText(Path.Combine(Repository.Root, "keyless.json"));

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("keyless-config-");

    private static InputFiles In(string workingFolder) => new(workingFolder, TextReader.Null);

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Should_PreferTheOptionOverTheVariableAndTheVariableOverTheWalk_When_AllThreeAreThere()
    {
        // Given: a keyless.json in the working folder, another for the variable and a third for the option
        var work = Folder("work");
        Write(work, "keyless.json", "acme/found");
        Write(work, "variable.json", "acme/variable");
        Write(work, "option.json", "acme/option");
        var variables = Variables(("KEYLESS_CONFIG", "variable.json"));

        // Then
        Assert.Equal("acme/option", KeylessConfigFile.Load("option.json", variables, In(work))!.GitLab.Project);
        Assert.Equal("acme/variable", KeylessConfigFile.Load(null, variables, In(work))!.GitLab.Project);
        Assert.Equal("acme/found", KeylessConfigFile.Load(null, Variables(), In(work))!.GitLab.Project);
        Assert.Equal("acme/found", KeylessConfigFile.Load(null, Variables(("KEYLESS_CONFIG", "")), In(work))!.GitLab.Project);
    }

    [Fact]
    public void Should_FindTheNearestKeylessJsonAbove_When_RunInASubfolder()
    {
        var repository = Folder("repo");
        Directory.CreateDirectory(Path.Combine(repository, ".git"));
        Write(repository, "keyless.json", "acme/root");
        Write(Folder("repo/site"), "keyless.json", "acme/site");
        var deep = Folder("repo/site/assets/img");

        var location = KeylessConfigFile.Locate(null, Variables(), deep);

        Assert.Equal(Path.Combine(repository, "site", "keyless.json"), location!.Path);
        Assert.Equal(Path.Combine("..", "..", "keyless.json"), location.Source);
        Assert.Equal("acme/site", KeylessConfigFile.Read(location, In(deep)).GitLab.Project);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_StopAtTheRepositoryRoot_When_AKeylessJsonLiesAboveIt(bool gitIsAFile)
    {
        // Given: a keyless.json above the repository (a git worktree has a .git file, a clone a .git folder)
        Write(_root.FullName, "keyless.json", "acme/outside");
        var repository = Folder("repo");
        if (gitIsAFile)
        {
            File.WriteAllText(Path.Combine(repository, ".git"), "gitdir: /elsewhere\n");
        }
        else
        {
            Directory.CreateDirectory(Path.Combine(repository, ".git"));
        }

        // Then: not found from inside the repository, found from beside it
        Assert.Null(KeylessConfigFile.Locate(null, Variables(), Folder("repo/src")));
        Assert.Null(KeylessConfigFile.Locate(null, Variables(), repository));
        Assert.Equal("acme/outside", KeylessConfigFile.Load(null, Variables(), In(Folder("elsewhere")))!.GitLab.Project);
    }

    [Theory]
    [InlineData("--config")]
    [InlineData("KEYLESS_CONFIG")]
    public void Should_NameTheOptionOrVariableAndThePath_When_TheNamedFileIsMissing(string how)
    {
        // Given: a keyless.json that the walk would find, which a named file must not fall back to
        var work = Folder("work");
        Write(work, "keyless.json", "acme/found");
        var (option, variables) = how == "--config" ? ("nowhere/keyless.json", Variables()) : (null, Variables(("KEYLESS_CONFIG", "nowhere/keyless.json")));

        var error = Assert.Throws<KeylessException>(() => KeylessConfigFile.Load(option, variables, In(work)));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith($"{how} {Path.Combine(work, "nowhere", "keyless.json")}: no such file.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SayAFileIsExpected_When_AFolderIsNamed()
    {
        var work = Folder("work");
        Folder("work/config");

        var error = Assert.Throws<KeylessException>(() => KeylessConfigFile.Load("config", Variables(), In(work)));

        Assert.Equal($"--config {Path.Combine(work, "config")}: is a folder; expected a file. Name a file inside it.", error.Message);
    }

    [Fact]
    public void Should_NameTheFileInTheParsersMessage_When_TheFoundFileIsInvalid()
    {
        var work = Folder("work");
        File.WriteAllText(Path.Combine(work, "keyless.json"), "{ not json");

        var error = Assert.Throws<KeylessException>(() => KeylessConfigFile.Load(null, Variables(), In(Folder("work/sub"))));

        Assert.StartsWith($"{Path.Combine("..", "keyless.json")}: not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SayHowToProvideIt_When_ACommandNeedsAConfigAndThereIsNone()
    {
        var error = KeylessConfigFile.Missing("--env staging", _root.FullName);

        Assert.Contains($"there is none in {_root.FullName} or above", error.Message, StringComparison.Ordinal);
        Assert.Contains("--config FILE", error.Message, StringComparison.Ordinal);
        Assert.Contains("KEYLESS_CONFIG=FILE", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] set) =>
        name => set.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    private string Folder(string relative) => Directory.CreateDirectory(Path.Combine(_root.FullName, relative)).FullName;

    private static void Write(string folder, string name, string project) =>
        File.WriteAllText(Path.Combine(folder, name), Valid.Replace("keyless-demo/website", project, StringComparison.Ordinal));
}
