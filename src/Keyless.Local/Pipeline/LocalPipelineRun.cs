using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keyless.Core;
using Keyless.Core.Processes;

namespace Keyless.Local.Pipeline;

/// <summary>
/// Runs the real <c>.gitlab-ci.yml</c> with gitlab-ci-local 4.73.0 in a <see cref="PipelineWorkspace"/>:
/// every job with the shell executor (images are ignored), one at a time, in the clone.
/// <list type="bullet">
/// <item>Rules see what GitLab would set for the workspace's ref (<see cref="PipelineWorkspace.RefVariables"/>).</item>
/// <item>GitLab's <c>id_tokens</c> are validated by gitlab-ci-local but never minted: pass the job's token as a
/// secret <see cref="PipelineVariable"/> (<c>KEYLESS_ID_TOKEN</c>).</item>
/// <item>The jobs' environment is the caller's without the variables that would leak into a job what GitLab
/// would not give it: CI and GitLab variables, AWS credentials and profiles, keyless's own settings, and
/// the MSBuild and test-host variables of a surrounding <c>dotnet test</c> (<see cref="IsWithheld"/>).</item>
/// <item>Secrets travel in gitlab-ci-local's environment, never on its command line or on disk, and are
/// masked in everything it prints.</item>
/// </list>
/// </summary>
public sealed partial class LocalPipelineRun(LocalTools tools, PipelineWorkspace workspace)
{
    public const string Masked = "[MASKED]";

    /// <summary>The jobs of the workspace's pipeline for its ref, with their rules evaluated
    /// (<c>gitlab-ci-local --list-json</c>, after validating the file against GitLab's CI schema, offline).</summary>
    public async Task<IReadOnlyList<PipelineJob>> ListAsync(IReadOnlyList<PipelineVariable>? variables = null, CancellationToken cancellationToken = default)
    {
        variables ??= [];
        var result = await ReadPipelineAsync("--list-json", variables, cancellationToken);
        return ParseJobs(result.StandardOutput);
    }

    /// <summary>The pipeline as GitLab would read it: includes, components with their inputs, <c>extends</c> and
    /// <c>!reference</c> expanded (<c>gitlab-ci-local --preview</c>), as YAML.</summary>
    public async Task<string> PreviewAsync(IReadOnlyList<PipelineVariable>? variables = null, CancellationToken cancellationToken = default)
    {
        variables ??= [];
        var result = await ReadPipelineAsync("--preview", variables, cancellationToken);
        return Mask(result.StandardOutput, variables);
    }

    /// <summary>Runs gitlab-ci-local in a mode that reads the pipeline without running it; a non-zero exit means the pipeline is invalid.</summary>
    private async Task<ToolResult> ReadPipelineAsync(string mode, IReadOnlyList<PipelineVariable> variables, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { mode };
        arguments.AddRange(CommonArguments(variables));
        var result = await ToolProcess.RunAsync(tools.GitLabCiLocal, arguments, workspace.ProjectDirectory, ProcessEnvironment(variables, lowPriority: false), replaceEnvironment: true, cancellationToken: cancellationToken);
        return result.ExitCode == 0
            ? result
            : throw new KeylessException(FailureKind.Failed, $"gitlab-ci-local {mode} failed (exit {result.ExitCode}); the pipeline is invalid:\n{Mask(result.Output, variables).TrimEnd()}");
    }

    /// <summary>Runs the pipeline (or <see cref="LocalPipelineRequest.Jobs"/>) and reports each job's status.</summary>
    public async Task<LocalPipelineResult> RunAsync(LocalPipelineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var jobs = await ListAsync(request.Variables, cancellationToken);
        request.OnPlanned?.Invoke(jobs);
        var events = new JobEventSequence(jobs.Select(j => j.Name));
        var arguments = Arguments(request);
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        var nice = request.LowPriority ? ToolProcess.Which("nice") : null;
        ToolResult result;
        try
        {
            result = await ToolProcess.RunAsync(
                nice ?? tools.GitLabCiLocal,
                nice is null ? arguments : ["-n", "19", tools.GitLabCiLocal, .. arguments],
                workspace.ProjectDirectory,
                ProcessEnvironment(request.Variables, request.LowPriority),
                replaceEnvironment: true,
                onLine: line =>
                {
                    var masked = Mask(line, request.Variables);
                    output.Append(masked).Append('\n');
                    request.OnOutput?.Invoke(masked);
                    foreach (var jobEvent in events.Read(masked))
                    {
                        request.OnJob?.Invoke(jobEvent);
                    }
                },
                cancellationToken: cancellationToken);
        }
        finally
        {
            if (!request.LowPriority)
            {
                await ShutDownCompilerServerAsync();
            }
        }

        clock.Stop();

        var text = output.ToString();
        return new LocalPipelineResult(result.ExitCode, Statuses(jobs, text, request), text, arguments, clock.Elapsed);
    }

    /// <summary>gitlab-ci-local's command line for <paramref name="request"/>: options and non-secret variables only.</summary>
    public IReadOnlyList<string> Arguments(LocalPipelineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = new List<string>(request.Jobs);
        if (request.WithNeeds)
        {
            arguments.Add("--needs");
        }

        foreach (var job in request.Manual)
        {
            arguments.Add("--manual");
            arguments.Add(job);
        }

        arguments.Add("--concurrency");
        arguments.Add(Math.Max(1, request.Concurrency).ToString(System.Globalization.CultureInfo.InvariantCulture));
        arguments.AddRange(CommonArguments(request.Variables));
        return arguments;
    }

    /// <summary>Whether a variable of the caller's environment is kept from gitlab-ci-local and its jobs.</summary>
    public static bool IsWithheld(string name) =>
        name == "CI"
        || name.StartsWith("CI_", StringComparison.Ordinal)
        || name.StartsWith("GITLAB_", StringComparison.Ordinal)
        || name.StartsWith("GCL_", StringComparison.Ordinal)
        || name.StartsWith("AWS_", StringComparison.Ordinal)
        || name.StartsWith("KEYLESS_", StringComparison.Ordinal)
        || name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST", StringComparison.Ordinal)
        || name.StartsWith("TESTINGPLATFORM", StringComparison.Ordinal)
        || name is "DOTNET_HOST_PATH" or "NUGET_PACKAGES_OVERRIDE"
        || name.Equals("UseSharedCompilation", StringComparison.OrdinalIgnoreCase);

    /// <summary>Replaces every secret's value with <see cref="Masked"/>.</summary>
    public static string Mask(string text, IEnumerable<PipelineVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in (variables ?? []).Where(v => v.Secret && v.Value.Length > 0).OrderByDescending(v => v.Value.Length))
        {
            text = text.Replace(secret.Value, Masked, StringComparison.Ordinal);
        }

        return text;
    }

    private List<string> CommonArguments(IReadOnlyList<PipelineVariable> variables)
    {
        var arguments = new List<string>
        {
            "--force-shell-executor", // the jobs' images are ignored: they run on this machine
            "--no-color",
            "--home", workspace.HomeDirectory,
        };

        var overridden = new List<string>();
        foreach (var (name, value) in workspace.RefVariables)
        {
            if (variables.Any(v => v.Name == name))
            {
                continue; // the caller's value wins
            }

            arguments.Add("--variable");
            arguments.Add($"{name}={value}");
            overridden.Add(name);
        }

        foreach (var variable in variables)
        {
            CheckName(variable.Name);
            overridden.Add(variable.Name);
            if (!variable.Secret)
            {
                arguments.Add("--variable");
                arguments.Add($"{variable.Name}={variable.Value}");
            }
        }

        foreach (var name in workspace.UnsetVariables)
        {
            arguments.Add("--unset-variable");
            arguments.Add(name);
        }

        // Overriding predefined variables is the point here; gitlab-ci-local would warn about each.
        arguments.Add("--ignore-predefined-vars");
        arguments.Add(string.Join(',', overridden.Distinct(StringComparer.Ordinal)));
        return arguments;
    }

    private static Dictionary<string, string?> ProcessEnvironment(IReadOnlyList<PipelineVariable> variables, bool lowPriority)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!IsWithheld(name))
            {
                environment[name] = (string?)entry.Value;
            }
        }

        environment["NO_COLOR"] = "1";
        environment["FORCE_COLOR"] = "0";

        // No MSBuild node outlives the run's jobs (nor the compiler server: ShutDownCompilerServerAsync).
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (lowPriority)
        {
            // The C# compiler server (VBCSCompiler) serves every build of the user: a low-priority pipeline's compiles
            // would run in it at the priority of whoever started it, beside the other pipeline's. MSBuild reads this
            // variable as a property: the compiler then runs inside the pipeline's own, low-priority processes.
            environment["UseSharedCompilation"] = "false";
        }

        foreach (var secret in variables.Where(v => v.Secret))
        {
            environment[$"GCL_VARIABLE_{secret.Name}"] = secret.Value;
        }

        return environment;
    }

    // The jobs compile as on a GitLab runner, with the C# compiler server, which would otherwise stay for ten idle
    // minutes after them, also after a cancelled run. Shutting it down lets a compile that is under way finish; a
    // build that needs it again starts another.
    private async Task ShutDownCompilerServerAsync()
    {
        try
        {
            await ToolProcess.RunAsync("dotnet", ["build-server", "shutdown", "--vbcscompiler"], workspace.ProjectDirectory, ProcessEnvironment([], lowPriority: false), replaceEnvironment: true);
        }
        catch (KeylessException)
        {
            // No dotnet on the PATH: then no job started a compiler server either.
        }
    }

    private static void CheckName(string name)
    {
        if (!VariableName().IsMatch(name))
        {
            throw new ArgumentException($"\"{name}\" is not a CI/CD variable name (letters, digits and _).", nameof(name));
        }
    }

    internal static IReadOnlyList<PipelineJob> ParseJobs(string json)
    {
        using var document = JsonDocument.Parse(json);
        var jobs = new List<PipelineJob>();
        foreach (var job in document.RootElement.EnumerateArray())
        {
            var needs = new List<string>();
            if (job.TryGetProperty("needs", out var needsElement) && needsElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var need in needsElement.EnumerateArray())
                {
                    needs.Add(need.ValueKind == JsonValueKind.String ? need.GetString()! : need.GetProperty("job").GetString()!);
                }
            }

            jobs.Add(new PipelineJob(
                job.GetProperty("name").GetString()!,
                job.GetProperty("stage").GetString()!,
                job.GetProperty("when").GetString()!,
                job.TryGetProperty("allow_failure", out var allowFailure) && allowFailure.ValueKind == JsonValueKind.True,
                needs));
        }

        return jobs;
    }

    /// <summary>Reads the closing report (<c> PASS  job</c>, <c> WARN  job  pre_script</c>, <c> FAIL  job</c>);
    /// jobs that did not start are manual, skipped or not in the pipeline.</summary>
    internal static IReadOnlyList<JobResult> Statuses(IReadOnlyList<PipelineJob> jobs, string output, LocalPipelineRequest request)
    {
        var reported = new Dictionary<string, JobStatus>(StringComparer.Ordinal);
        var byLength = jobs.OrderByDescending(j => j.Name.Length).ToList();
        foreach (var line in output.Split('\n'))
        {
            var match = ReportLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var rest = match.Groups["rest"].Value;
            var job = byLength.FirstOrDefault(j => rest.StartsWith(j.Name, StringComparison.Ordinal) && (rest.Length == j.Name.Length || char.IsWhiteSpace(rest[j.Name.Length])));
            if (job is null)
            {
                continue;
            }

            var tail = rest[job.Name.Length..].Trim();
            var status = match.Groups["status"].Value switch
            {
                "PASS" => JobStatus.Passed,
                "FAIL" => JobStatus.Failed,
                _ when tail == "after_script" => (JobStatus?)null, // an after_script warning: the job's own status is reported on its own line
                _ => JobStatus.Warned,
            };
            if (status is { } s)
            {
                reported[job.Name] = s;
            }
        }

        return jobs.Select(job => new JobResult(job.Name, job.Stage, job.When, reported.TryGetValue(job.Name, out var status) ? status
            : !job.InPipeline ? JobStatus.NotInPipeline
            : job.When == "manual" && !request.Manual.Contains(job.Name) ? JobStatus.Manual
            : JobStatus.Skipped)).ToList();
    }

    [GeneratedRegex(@"^ (?<status>PASS|WARN|FAIL) (?: *\[[^\]]*\])? +(?<rest>\S.*)$")]
    private static partial Regex ReportLine();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
